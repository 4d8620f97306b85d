#!/usr/bin/env bash
# The PHP tests (tests/php, through PHP's own run-tests.php) and the demo
# examples, for the PHP on PATH, against the sandbox at $SEQURA_SANDBOX_URL,
# whose CA is in $SEQURA_CA_FILE (both from scripts/lib.sh start_sandbox,
# started here when the URL is unset). Builds the extension first, with cargo, into
# $CARGO_TARGET_DIR (else target/). scripts/test.sh runs it with this
# machine's PHP, scripts/php-chroot.sh with each other PHP of 8.1 to 8.5.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

require_php_headers
version=$(php_version)
say "PHP $version: building the extension"
cargo build --quiet -p sequra-php
if [ -z "${SEQURA_SANDBOX_URL:-}" ]; then
    cargo build --quiet -p sequra-sandbox
    start_sandbox
fi

say "PHP $version: tests/php"
php -n "$(php_run_tests)" -q --show-diff "$(php_test_workers)" -p "$(command -v php)" \
    -n -d extension="$PHP_EXTENSION" tests/php
# The demo's examples (scripts/demo.sh), given the sandbox's CA file as
# their second argument (the pos_counter phpt tests take it from
# SEQURA_CA_FILE instead); lifecycle.php starts PHP's built-in server with
# the extension it is told about.
sandbox=("$SEQURA_SANDBOX_URL")
[ -n "${SEQURA_CA_FILE:-}" ] && sandbox+=("$SEQURA_CA_FILE")
for example in checkout lifecycle pos_counter checkout_com paysera; do
    say "PHP $version: examples/$example.php"
    SEQURA_PHP_EXTENSION="$PHP_EXTENSION" \
        php -n -d extension="$PHP_EXTENSION" "examples/$example.php" "${sandbox[@]}"
done
