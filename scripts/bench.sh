#!/usr/bin/env bash
# The benchmarks, each printing ratios against a baseline measured in the
# same run: the Rust validator against serde_json encoding, and the PHP
# extension (release build) against PHP's json_encode.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_system_packages
say "Rust: validating the example order against encoding it"
cargo bench --quiet -p sequra --bench order
say "PHP: the extension against json_encode"
cargo build --quiet --release -p sequra-php
php -n -d extension="$TARGET_DIR/release/libsequra_php.so" php-ext/benches/order.php
