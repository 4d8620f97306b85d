#!/usr/bin/env bash
# The demo: builds the PHP extension and the sandbox, starts the sandbox on a
# free loopback port and takes one order through the seQura checkout from
# PHP, printing each step. The sandbox stops when the demo ends.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_system_packages
say "building the sequra PHP extension and the sandbox"
cargo build --quiet -p sequra-php -p sequra-sandbox
start_sandbox
say "checkout from PHP"
php -n -d extension="$PHP_EXTENSION" examples/checkout.php "$SEQURA_SANDBOX_URL"
say "the order's life after the checkout, from PHP (IPN endpoint on PHP's built-in server)"
SEQURA_PHP_EXTENSION="$PHP_EXTENSION" php -n -d extension="$PHP_EXTENSION" examples/lifecycle.php "$SEQURA_SANDBOX_URL"
say "an in-store sale with part payment, from PHP"
php -n -d extension="$PHP_EXTENSION" examples/pos_counter.php "$SEQURA_SANDBOX_URL"
