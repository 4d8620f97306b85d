#!/usr/bin/env bash
# Every test: formatting and lints, the Rust unit and integration tests
# (which include the check that include/sequra.h is what cbindgen makes),
# the C programs (plain and under AddressSanitizer), the C package (make
# install, pkg-config, examples/c), the PHP tests and demo examples on this
# machine's PHP 8.2 and on PHP 8.4 (in a Debian 13 chroot), and the phpize
# route that PIE drives, against the bundled sandbox. Exits non-zero when
# anything fails.
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

# PHP 8.4 needs a Debian 13 chroot (root, debootstrap, a few minutes). A
# caller that cannot or need not build one says why in SEQURA_SKIP_PHP84.
php84() {
    if [ -n "${SEQURA_SKIP_PHP84:-}" ]; then
        echo "skipped: $SEQURA_SKIP_PHP84"
        passed=$((passed - 1)) skipped=$((skipped + 1))
        return 0
    fi
    bash scripts/php84.sh
}

ensure_system_packages
step "format" cargo fmt --all --check
step "lints" cargo clippy --workspace --all-targets --quiet -- -D warnings
step "build (library, C ABI, PHP extension, sandbox)" cargo build --workspace --quiet
step "Rust tests" cargo test --quiet
start_sandbox
step "C tests" make -s -C tests/c test
step "C tests under AddressSanitizer" make -s -C tests/c asan
step "C package: make install, pkg-config, examples/c (dynamic and static)" bash scripts/c-package.sh
step "PHP $(php_version) (this machine): tests/php and the demo examples" bash scripts/php-tests.sh
step "PHP 8.4 (Debian 13 chroot): tests/php and the demo examples" php84
step "the phpize route (PIE): phpize, configure, make, make install" bash scripts/phpize-route.sh
say "time per step"
printf '%s\n' "${times[@]}"
if [ "$skipped" -gt 0 ]; then
    printf '\nsteps: %d passed, 0 failed, %d skipped\n' "$passed" "$skipped"
else
    printf '\nsteps: %d passed, 0 failed\n' "$passed"
fi
