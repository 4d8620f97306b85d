//! What the tests of generated files share.

use std::path::Path;

/// Compares a committed generated file (`name`, under the repository's
/// root) with what its generator makes now, and fails naming the first
/// line that differs and how to make it again; with the environment
/// variable `update` set, writes it instead. `test` is the test file that
/// makes it (`cargo test -p sequra-capi --test <test>`).
pub fn committed_matches(name: &str, generated: &str, update: &str, test: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(name);
    if std::env::var_os(update).is_some() {
        std::fs::write(&path, generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != generated {
        let line = committed
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| committed.lines().count().min(generated.lines().count()));
        panic!(
            "{name} is stale (it first differs at line {}: {:?}, its generator makes {:?}); \
             make it again with\n    {update}=1 cargo test -p sequra-capi --test {test}\nand commit it",
            line + 1,
            committed.lines().nth(line).unwrap_or("<end of file>"),
            generated.lines().nth(line).unwrap_or("<end of file>"),
        );
    }
}
