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
    assert!(
        committed == generated,
        "include/sequra.h is stale: regenerate it with\n    SEQURA_UPDATE_HEADER=1 cargo test -p sequra-capi --test header\nand commit it"
    );
}
