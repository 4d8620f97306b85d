//! `include/sequra.h` is what cbindgen makes of the C ABI: this test fails
//! when the committed header is stale. `SEQURA_UPDATE_HEADER=1` rewrites it.

use std::path::Path;

#[test]
fn committed_header_matches_cbindgen() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let header_path = crate_dir.join("../include/sequra.h");
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).unwrap();
    let bindings = cbindgen::Builder::new()
        .with_crate(crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen reads the C ABI");
    let mut generated = Vec::new();
    bindings.write(&mut generated);
    let generated = String::from_utf8(generated).unwrap();

    if std::env::var_os("SEQURA_UPDATE_HEADER").is_some() {
        std::fs::write(&header_path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&header_path).unwrap_or_default();
    if committed != generated {
        let line = committed
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| committed.lines().count().min(generated.lines().count()));
        panic!(
            "include/sequra.h is stale (it first differs at line {}: {:?}, cbindgen makes {:?}); \
             regenerate it with\n    SEQURA_UPDATE_HEADER=1 cargo test -p sequra-capi --test header\nand commit it",
            line + 1,
            committed.lines().nth(line).unwrap_or("<end of file>"),
            generated.lines().nth(line).unwrap_or("<end of file>"),
        );
    }
}
