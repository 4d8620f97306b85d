#!/usr/bin/env bash
# The demo: builds the PHP extension and the sandbox, starts the sandbox on a
# free loopback port (HTTPS, from a CA of its own: each example is given the
# CA's file and trusts it alone) and runs the examples from PHP, printing
# each step: a seQura checkout, the order's life after it, an in-store
# sale, seQura through checkout.com and a Paysera payment. The sandbox stops
# when the demo ends.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_system_packages
say "building the sequra PHP extension and the sandbox"
cargo build --quiet -p sequra-php -p sequra-sandbox
start_sandbox
sandbox=("$SEQURA_SANDBOX_URL" "$SEQURA_CA_FILE")
php() { command php -n -d extension="$PHP_EXTENSION" "$@"; }

say "checkout from PHP"
php examples/checkout.php "${sandbox[@]}"
say "the order's life after the checkout, from PHP (IPN endpoint on PHP's built-in server)"
SEQURA_PHP_EXTENSION="$PHP_EXTENSION" php examples/lifecycle.php "${sandbox[@]}"
say "an in-store sale with part payment, from PHP"
php examples/pos_counter.php "${sandbox[@]}"
say "seQura through checkout.com, from PHP (webhook verified)"
php examples/checkout_com.php "${sandbox[@]}"
say "a Paysera payment and the next month's, charged to the stored token, from PHP"
php examples/paysera.php "${sandbox[@]}"
