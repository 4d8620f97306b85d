//! `THIRD-PARTY-LICENSES` names every crate compiled into the libraries a
//! user installs (`libsequra.so`/`.a` and the PHP extension) with its
//! license text, as their licenses ask of a binary that carries their code:
//! this test fails when a dependency changed and the file did not.
//! `SEQURA_UPDATE_LICENSES=1` rewrites it.
//!
//! What is compiled in is what cargo resolves for each library with its own
//! features (`cargo tree`, normal dependencies); a proc macro and its
//! dependencies run at build time only, and the test crates (the sandbox,
//! proptest, rcgen) are never linked. The target is fixed so that the file
//! is the same wherever it is made: the other Linux targets resolve the
//! same crates.
//!
//! What the libraries carry that Cargo.lock does not list (Rust's standard
//! library and the crates it links, PHP's headers) is fixed text in
//! `std-and-php-licenses.txt`, added after the crates.

mod common;

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

const TARGET: &str = "x86_64-unknown-linux-gnu";
/// The libraries a user installs, by package, and how the file names them.
const LIBRARIES: [(&str, &str); 2] = [("sequra-capi", "C"), ("sequra-php", "PHP")];

#[test]
fn committed_third_party_licenses_match_the_crates_compiled_in() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let generated = third_party_licenses(&root);
    common::committed_matches(
        "THIRD-PARTY-LICENSES",
        &generated,
        "SEQURA_UPDATE_LICENSES",
        "licenses",
    );
}

/// A crate compiled into at least one library.
struct Crate {
    name: String,
    version: String,
    license: String,
    repository: String,
    /// "C", "PHP" or "C, PHP".
    used_by: String,
    /// The license files chosen, read; empty when the package has none.
    texts: Vec<String>,
    /// Said after the numbers of its texts, in brackets: where they come
    /// from, or what they lack.
    note: String,
}

fn third_party_licenses(root: &Path) -> String {
    let mut used_by: BTreeMap<(String, String), Vec<&str>> = BTreeMap::new();
    for (package, library) in LIBRARIES {
        for crate_id in compiled_in(root, package) {
            used_by.entry(crate_id).or_default().push(library);
        }
    }
    let packages = registry_packages(root);
    let mut crates: Vec<Crate> = used_by
        .into_iter()
        .map(|((name, version), libraries)| {
            let package = packages
                .get(&(name.clone(), version.clone()))
                .unwrap_or_else(|| panic!("cargo metadata does not list {name} {version}"));
            let field = |key: &str| package[key].as_str().unwrap_or("").to_string();
            let license = field("license");
            let dir = Path::new(package["manifest_path"].as_str().unwrap())
                .parent()
                .unwrap()
                .to_path_buf();
            let texts = license_files(&dir, &license)
                .iter()
                .map(|file| normalised(&std::fs::read_to_string(file).unwrap()))
                .collect();
            Crate {
                name,
                version,
                license,
                repository: field("repository"),
                used_by: libraries.join(", "),
                texts,
                note: String::new(),
            }
        })
        .collect();
    use_repository_texts(&mut crates);
    let mut groups = vec![(String::new(), crates)];
    groups.extend(beyond_cargo());
    render(&groups)
}

/// Rust's standard library with the crates it links, and PHP's headers:
/// they depend on the toolchain and on PHP, not on Cargo.lock, so they are
/// written down once (the file's opening comment says how and from where).
const BEYOND_CARGO: &str = include_str!("std-and-php-licenses.txt");

/// The groups of `BEYOND_CARGO`, each its heading and its entries.
fn beyond_cargo() -> Vec<(String, Vec<Crate>)> {
    let mut groups: Vec<(String, Vec<Crate>)> = Vec::new();
    let malformed = |line: &str, why: &str| -> ! {
        panic!("std-and-php-licenses.txt: {why}: {line:?} (its opening comment says the form)")
    };
    for line in BEYOND_CARGO
        .lines()
        .skip_while(|line| !line.starts_with("### "))
    {
        if let Some(heading) = line.strip_prefix("### ") {
            match groups.last_mut() {
                Some((text, entries)) if entries.is_empty() => {
                    text.push('\n');
                    text.push_str(heading);
                }
                _ => groups.push((heading.to_string(), Vec::new())),
            }
        } else if let Some(entry) = line.strip_prefix("== ") {
            // `name (version): license; in`, then maybe `; note`.
            let Some((name, (version, rest))) = entry
                .split_once(" (")
                .and_then(|(name, rest)| Some((name, rest.split_once("): ")?)))
            else {
                malformed(line, "an entry is `== name (version): license; in`")
            };
            let mut fields = rest.splitn(3, "; ");
            let mut field = || fields.next().unwrap_or("").to_string();
            let (license, used_by, note) = (field(), field(), field());
            if license.is_empty() || used_by.is_empty() {
                malformed(line, "an entry names its license and its library");
            }
            let Some((_, entries)) = groups.last_mut() else {
                malformed(line, "an entry comes after a `### ` heading")
            };
            entries.push(Crate {
                name: name.to_string(),
                version: version.to_string(),
                license,
                repository: String::new(),
                used_by,
                texts: vec![String::new()],
                note,
            });
        } else {
            let Some(entry) = groups.last_mut().and_then(|(_, e)| e.last_mut()) else {
                malformed(line, "a license text comes after its `== ` entry")
            };
            writeln!(entry.texts[0], "{line}").unwrap();
        }
    }
    for entry in groups.iter_mut().flat_map(|(_, entries)| entries) {
        entry.texts[0] = normalised(&entry.texts[0]);
    }
    groups
}

/// A crate published without license files (ext-php-rs-introspection)
/// whose repository and license are another listed crate's is under that
/// crate's license files: the repository's.
fn use_repository_texts(crates: &mut [Crate]) {
    for i in 0..crates.len() {
        let orphan = &crates[i];
        if !orphan.texts.is_empty() || orphan.repository.is_empty() {
            continue;
        }
        let sibling = crates.iter().find(|c| {
            !c.texts.is_empty() && c.repository == orphan.repository && c.license == orphan.license
        });
        if let Some(texts) = sibling.map(|c| c.texts.clone()) {
            crates[i].texts = texts;
            crates[i].note = "its repository's".into();
        }
    }
}

/// `(name, version)` of each registry crate `package` compiles in.
fn compiled_in(root: &Path, package: &str) -> BTreeSet<(String, String)> {
    let tree = cargo(
        root,
        &[
            "tree",
            "--locked",
            "--package",
            package,
            "--target",
            TARGET,
            "--edges",
            "normal,no-proc-macro",
            "--prefix",
            "none",
            "--format",
            "{p}",
        ],
    );
    tree.lines()
        // Our own crates are path dependencies: `name vX (/path)`.
        .filter(|line| !line.is_empty() && !line.contains(" (/"))
        .map(|line| {
            let mut words = line.split_whitespace();
            let name = words.next().unwrap().to_string();
            let version = words.next().unwrap().trim_start_matches('v').to_string();
            (name, version)
        })
        .collect()
}

/// Every package of the lock file for the target, by `(name, version)`.
fn registry_packages(root: &Path) -> BTreeMap<(String, String), Value> {
    let metadata = cargo(
        root,
        &[
            "metadata",
            "--locked",
            "--format-version",
            "1",
            "--filter-platform",
            TARGET,
        ],
    );
    let metadata: Value = serde_json::from_str(&metadata).unwrap();
    let Some(Value::Array(packages)) = metadata.get("packages") else {
        panic!("cargo metadata lists no packages");
    };
    packages
        .iter()
        .map(|p| {
            let key = (p["name"].as_str().unwrap(), p["version"].as_str().unwrap());
            ((key.0.to_string(), key.1.to_string()), p.clone())
        })
        .collect()
}

fn cargo(root: &Path, args: &[&str]) -> String {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args(args)
        .current_dir(root)
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo {} failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The license files to carry for a crate licensed under `license` (an
/// SPDX expression; old crates write `MIT/Apache-2.0`). A crate that may be
/// used under MIT among other choices is used under MIT, the shortest text
/// with its copyright line: its MIT file only. Otherwise (one license, or
/// several that all apply: `Apache-2.0 AND ISC`) every license file,
/// those of the code it took from others in its folders too (ring's).
fn license_files(dir: &Path, license: &str) -> Vec<PathBuf> {
    let choices: Vec<&str> = license.split([' ', '/', '(', ')']).collect();
    if !choices.contains(&"AND") && choices.contains(&"MIT") {
        let mut mit = Vec::new();
        find_license_files(dir, false, &mut mit);
        mit.retain(|path| name_of(path).contains("MIT"));
        if !mit.is_empty() {
            return mit;
        }
    }
    let mut files = Vec::new();
    find_license_files(dir, true, &mut files);
    files
}

fn find_license_files(dir: &Path, nested: bool, found: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let name = name_of(&path);
        if path.is_dir() && nested && !name.starts_with('.') {
            find_license_files(&path, nested, found);
        } else if path.is_file()
            && ["LICEN", "COPYING", "NOTICE"]
                .iter()
                .any(|p| name.starts_with(p))
        {
            found.push(path);
        }
    }
}

/// A file's name in capitals.
fn name_of(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().to_uppercase()
}

/// Line ends as `\n`, no trailing spaces, one line end at the end: the same
/// text however its package wrote it.
fn normalised(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    format!("{}\n", lines.join("\n").trim_matches('\n'))
}

/// The file: each group's heading (none for Cargo.lock's crates) and
/// crates, then the texts.
fn render(groups: &[(String, Vec<Crate>)]) -> String {
    // Each distinct text once, numbered in the order the crates first use it.
    let mut numbers: BTreeMap<&str, usize> = BTreeMap::new();
    let mut texts: Vec<(&str, Vec<&Crate>)> = Vec::new();
    for c in groups.iter().flat_map(|(_, crates)| crates) {
        for text in &c.texts {
            let n = *numbers.entry(text).or_insert_with(|| {
                texts.push((text, Vec::new()));
                texts.len()
            });
            texts[n - 1].1.push(c);
        }
    }

    let mut out = String::new();
    out.push_str(
        "Third-party software in the sequra libraries\n\
         ============================================\n\
         \n\
         The sequra libraries (libsequra.so and libsequra.a, \"C\" below; the PHP\n\
         extension, \"PHP\") are under the MIT license of LICENSE. They are built\n\
         from the Rust crates listed first, whose code is compiled into them,\n\
         and from Rust's standard library and the crates it links, listed after\n\
         them; the PHP extension also carries code of PHP's and the Zend\n\
         Engine's headers, listed last: their texts open with the\n\
         acknowledgements their licenses ask for. Each one's license text\n\
         follows the lists; a crate that may be used under MIT among other\n\
         licenses is used under MIT.\n\
         \n\
         Made by c-api/tests/licenses.rs from Cargo.lock and\n\
         c-api/tests/std-and-php-licenses.txt:\n\
         SEQURA_UPDATE_LICENSES=1 cargo test -p sequra-capi --test licenses\n\
         \n\
         crate (version): license; in; text\n\
         \n",
    );
    for (heading, crates) in groups {
        if !heading.is_empty() {
            write!(out, "\n{heading}\n\n").unwrap();
        }
        for c in crates {
            let which: Vec<String> = c
                .texts
                .iter()
                .map(|text| numbers[text.as_str()].to_string())
                .collect();
            let which = if which.is_empty() {
                format!("its package has no license file: see {}", c.repository)
            } else if c.note.is_empty() {
                which.join(", ")
            } else {
                format!("{} ({})", which.join(", "), c.note)
            };
            let (name, version, license) = (&c.name, &c.version, &c.license);
            writeln!(out, "{name} ({version}): {license}; {}; {which}", c.used_by).unwrap();
        }
    }
    for (i, (text, users)) in texts.iter().enumerate() {
        let names: Vec<String> = users
            .iter()
            .map(|c| format!("{} {}", c.name, c.version))
            .collect();
        write!(
            out,
            "\n\n---- text {}: {} ----\n\n{}",
            i + 1,
            names.join(", "),
            text
        )
        .unwrap();
    }
    out
}
