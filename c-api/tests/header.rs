//! `include/sequra.h` is what cbindgen makes of the C ABI, plus the version
//! macros written here from the crate's version (the one `sq_version()`
//! returns): this test fails when the committed header is stale.
//! `SEQURA_UPDATE_HEADER=1` rewrites it.

mod common;

use std::path::Path;

#[test]
fn committed_header_matches_cbindgen() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).unwrap();
    config.after_includes = Some(version_macros());
    let bindings = cbindgen::Builder::new()
        .with_crate(crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen reads the C ABI");
    let mut generated = Vec::new();
    bindings.write(&mut generated);
    let generated = String::from_utf8(generated).unwrap();

    common::committed_matches(
        "include/sequra.h",
        &generated,
        "SEQURA_UPDATE_HEADER",
        "header",
    );
}

/// `SEQURA_VERSION_*`: the version of the library the header describes, so a
/// program can check at build time what it compiles against and, with
/// `sq_version()`, at run time that the library it loaded is the same one.
fn version_macros() -> String {
    format!(
        "\n/** The version of the library this header describes: sq_version() returns SEQURA_VERSION. */\n\
         #define SEQURA_VERSION_MAJOR {}\n\
         #define SEQURA_VERSION_MINOR {}\n\
         #define SEQURA_VERSION_PATCH {}\n\
         #define SEQURA_VERSION \"{}\"",
        env!("CARGO_PKG_VERSION_MAJOR"),
        env!("CARGO_PKG_VERSION_MINOR"),
        env!("CARGO_PKG_VERSION_PATCH"),
        env!("CARGO_PKG_VERSION"),
    )
}

/// Every function of the header is called by a C program of `tests/c`,
/// which build against the header and run under AddressSanitizer and
/// valgrind: a function added later without a C test fails this one,
/// naming it.
#[test]
fn every_function_of_the_header_is_called_by_a_c_test() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let header = std::fs::read_to_string(root.join("include/sequra.h")).unwrap();
    let mut tests = String::new();
    for entry in std::fs::read_dir(root.join("tests/c")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "c" || e == "h") {
            tests.push_str(&code_of(&std::fs::read_to_string(path).unwrap()));
        }
    }
    // A declaration starts a line with its type (comments start with a
    // space, `*` or `/`); its name is the `sq_` word before its `(`.
    let declared: Vec<&str> = header
        .lines()
        .filter(|line| line.starts_with(|c: char| c.is_ascii_alphabetic()))
        .filter_map(|line| {
            let start = line.find("sq_")?;
            let name = &line[start..line[start..].find('(')? + start];
            name.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_')
                .then_some(name)
        })
        .collect();
    assert!(
        declared.len() > 40,
        "the header's functions were not found: {declared:?}"
    );
    let missing: Vec<&str> = declared
        .into_iter()
        .filter(|name| !tests.contains(&format!("{name}(")))
        .collect();
    assert!(missing.is_empty(), "no C test in tests/c calls {missing:?}");
}

/// C source without its comments, string and character literals (each
/// left as a space): a name in a comment or a message is not a call.
fn code_of(source: &str) -> String {
    let mut code = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(c) = rest.chars().next() {
        let skipped = if rest.starts_with("/*") {
            rest.find("*/").map_or(rest.len(), |end| end + 2)
        } else if rest.starts_with("//") {
            rest.find('\n').unwrap_or(rest.len())
        } else if c == '"' || c == '\'' {
            // To the closing quote not escaped by a backslash.
            let mut escaped = false;
            rest[1..]
                .char_indices()
                .find(|&(_, d)| {
                    let end = d == c && !escaped;
                    escaped = d == '\\' && !escaped;
                    end
                })
                .map_or(rest.len(), |(at, _)| at + 2)
        } else {
            code.push(c);
            rest = &rest[c.len_utf8()..];
            continue;
        };
        code.push(' ');
        rest = &rest[skipped..];
    }
    code
}

#[test]
fn c_code_is_read_without_comments_and_literals() {
    let source = "a(); /* b( */ c(\"d(\\\"e(\", \'\\\'\'); // f(\ng();";
    assert_eq!(code_of(source), "a();   c( ,  );  \ng();");
}
