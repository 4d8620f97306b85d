#!/usr/bin/env bash
# Every test: formatting and lints, that the fuzz targets compile, the Rust
# unit and integration tests
# (which include the check that include/sequra.h is what cbindgen makes),
# the C programs (plain, under AddressSanitizer, valgrind and, with nightly
# Rust, ThreadSanitizer), the C package (make
# install, pkg-config, examples/c), the PHP tests and demo examples on this
# machine's PHP (and once more under valgrind), on the other PHP releases
# of 8.1 to 8.5 (each in a chroot of the release that ships it) and on a thread-safe
# (ZTS) PHP 8.3 with several threads at once, the example shop
# walked in Chromium, and the phpize route that PIE drives, against the
# bundled sandbox. Exits non-zero when anything fails.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

passed=0
skipped=0
times=()
step() {
    local name=$1 start=$SECONDS
    say "$name"
    shift
    "$@"
    passed=$((passed + 1))
    times+=("$(printf '%5ds  %s' $((SECONDS - start)) "$name")")
}

# Runs a step's command; its exit status 77 says it could not run here and
# why (it printed it): the step counts as skipped.
skippable() {
    local status=0
    "$@" || status=$?
    if [ "$status" -eq 77 ]; then
        passed=$((passed - 1)) skipped=$((skipped + 1))
        return 0
    fi
    return "$status"
}

# The supported PHP releases other than this machine's (8.1, 8.3, 8.4 and
# 8.5 on Debian 12; 8.1, 8.2, 8.3 and 8.5 on Debian 13) need a chroot of the
# release that ships each (root, debootstrap, a few minutes the first time).
# A caller that cannot or need not build them says why in
# SEQURA_SKIP_CHROOTS; a machine that cannot reach Ubuntu's archive skips
# 8.1, 8.3 and 8.5, saying so.
php_chroot() {
    if [ -n "${SEQURA_SKIP_CHROOTS:-}" ]; then
        echo "skipped: $SEQURA_SKIP_CHROOTS"
        passed=$((passed - 1)) skipped=$((skipped + 1))
        return 0
    fi
    skippable bash scripts/php-chroot.sh "$1"
}

# ThreadSanitizer needs the library instrumented too, which only nightly
# Rust with rust-src does (tests/c/Makefile says why).
tsan() {
    if ! have_tsan_toolchain; then
        echo "skipped: it needs nightly Rust with rust-src (rustup toolchain install nightly --profile minimal --component rust-src)"
        passed=$((passed - 1)) skipped=$((skipped + 1))
        return 0
    fi
    make -s -C tests/c tsan
}

# The fuzz targets (fuzz/, a crate outside the workspace) checked as
# cargo-fuzz builds them (--cfg fuzzing), so that they keep up with the
# library; running them needs nightly and cargo-fuzz (fuzz/README.md). A
# check links nothing: CUSTOM_LIBFUZZER_PATH names a library that is never
# linked, so that libFuzzer's C++ is not compiled (a bare machine has no g++).
fuzz_targets() {
    RUSTFLAGS="--cfg fuzzing" CARGO_TARGET_DIR="$ROOT/target/fuzz-check" \
        CUSTOM_LIBFUZZER_PATH="$ROOT/target/fuzz-check/libfuzzer-not-linked.a" \
        cargo check --quiet --manifest-path fuzz/Cargo.toml --bins
}

# The API docs (cargo doc) without a broken or private link. The C ABI's
# crate is documented on its own: its library is also named `sequra`, and
# cargo refuses to write two crates' docs of one name at once.
api_docs() {
    RUSTDOCFLAGS="-D warnings" cargo doc --quiet --no-deps -p sequra -p sequra-php -p sequra-sandbox
    RUSTDOCFLAGS="-D warnings" cargo doc --quiet --no-deps -p sequra-capi
}

ensure_system_packages
# This machine's PHP release ("8.2"): its own steps, and the chroots of the others.
machine_php=$(php_version)
step "format" cargo fmt --all --check
step "lints" cargo clippy --workspace --all-targets --quiet -- -D warnings
step "API docs (cargo doc, warnings are errors)" api_docs
step "the fuzz targets compile (cargo check)" fuzz_targets
step "build (library, C ABI, PHP extension, sandbox)" cargo build --workspace --quiet
step "Rust tests" cargo test --quiet
start_sandbox
step "C tests" make -s -C tests/c test
step "C tests under AddressSanitizer" make -s -C tests/c asan
step "C tests under valgrind" make -s -C tests/c valgrind
step "C tests under ThreadSanitizer" tsan
step "C package: make install, pkg-config, examples/c (dynamic and static)" bash scripts/c-package.sh
step "PHP $machine_php (this machine): tests/php and the demo examples" bash scripts/php-tests.sh
# run-tests' -m runs every test under valgrind (USE_ZEND_ALLOC=0); without
# VALGRIND_OPTS it would not check leaks. pcre.jit=0: memcheck misreads the
# code PCRE's JIT writes, which is PHP's, not ours. The suppressions are the
# C tests': the same library, the same TLS code (tests/c/valgrind.supp).
step "PHP $machine_php tests under valgrind" env VALGRIND_OPTS="--leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite --num-callers=40 --suppressions=$ROOT/tests/c/valgrind.supp" \
    php -n "$(php_run_tests)" -q -m "$(php_test_workers)" -p "$(command -v php)" \
    -n -d pcre.jit=0 -d extension="$PHP_EXTENSION" tests/php
step "example shop (over HTTP, then in Chromium)" bash tests/browser/run.sh
for version in $SUPPORTED_PHP; do
    [ "$version" = "$machine_php" ] && continue
    read -r _ _ release <<<"$(php_release "$version")"
    step "PHP $version ($release chroot): tests/php and the demo examples" php_chroot "$version"
done
step "PHP 8.3 thread-safe (ZTS, built once from source): tests/php, the examples, 8 threads at once" \
    skippable bash scripts/php-zts.sh
step "the phpize route (PIE): phpize, configure, make, make install" bash scripts/phpize-route.sh
say "time per step"
printf '%s\n' "${times[@]}"
if [ "$skipped" -gt 0 ]; then
    printf '\nsteps: %d passed, 0 failed, %d skipped\n' "$passed" "$skipped"
else
    printf '\nsteps: %d passed, 0 failed\n' "$passed"
fi
