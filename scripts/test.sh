#!/usr/bin/env bash
# Every test: formatting and lints, the Rust unit and integration tests
# (which include the check that include/sequra.h is what cbindgen makes),
# the C programs (plain, under AddressSanitizer, valgrind and, with nightly
# Rust, ThreadSanitizer), the PHP tests and the
# demo, against the bundled sandbox. Exits non-zero when anything fails.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

passed=0
step() {
    say "$1"
    shift
    "$@"
    passed=$((passed + 1))
}

ensure_system_packages
step "format" cargo fmt --all --check
step "lints" cargo clippy --workspace --all-targets --quiet -- -D warnings
step "build (library, C ABI, PHP extension, sandbox)" cargo build --workspace --quiet
step "Rust tests" cargo test --quiet
start_sandbox
step "C tests" make -s -C tests/c test
step "C tests under AddressSanitizer" make -s -C tests/c asan
step "C tests under valgrind" make -s -C tests/c valgrind
if have_tsan_toolchain; then
    step "C tests under ThreadSanitizer" make -s -C tests/c tsan
else
    say "C tests under ThreadSanitizer: skipped, they need nightly Rust with rust-src (rustup toolchain install nightly --profile minimal --component rust-src)"
fi
step "PHP tests" php -n "$(php_run_tests)" -q --show-diff -p "$(command -v php)" \
    -n -d extension="$PHP_EXTENSION" tests/php
# run-tests' -m runs every test under valgrind (USE_ZEND_ALLOC=0); without
# VALGRIND_OPTS it would not check leaks. pcre.jit=0: memcheck misreads the
# code PCRE's JIT writes, which is PHP's, not ours.
step "PHP tests under valgrind" env VALGRIND_OPTS="--leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite" \
    php -n "$(php_run_tests)" -q -m -p "$(command -v php)" \
    -n -d pcre.jit=0 -d extension="$PHP_EXTENSION" tests/php
step "demo" php -n -d extension="$PHP_EXTENSION" examples/checkout.php "$SEQURA_SANDBOX_URL"
step "lifecycle demo" env SEQURA_PHP_EXTENSION="$PHP_EXTENSION" \
    php -n -d extension="$PHP_EXTENSION" examples/lifecycle.php "$SEQURA_SANDBOX_URL"
step "example shop (over HTTP, then in Chromium)" bash tests/browser/run.sh
printf '\nsteps: %d passed, 0 failed\n' "$passed"
