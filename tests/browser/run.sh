#!/usr/bin/env bash
# The example shop (examples/shop) tested as its users meet it: first its
# endpoints over plain HTTP (tests/browser/shop_over_http.php: the IPN's
# answers, the admin's refusals, the settings' diagnoses), then in a real
# browser, Debian's Chromium driven through chromedriver over the W3C
# WebDriver API (tests/browser/shop_in_chromium.php), with a screenshot of
# every step in target/browser/*.png. Starts what it needs (the bundled
# sandbox, over HTTPS, unless SEQURA_SANDBOX_URL and SEQURA_CA_FILE are
# set; the shop on PHP's built-in server; chromedriver) and stops them all
# on exit. Chromium trusts the sandbox's CA as a Linux user would add one:
# in the NSS database of its HOME (a scratch one here), never by turning
# certificate checks off.
#
#   bash tests/browser/run.sh
#
# Installs the packages chromium, chromium-driver and libnss3-tools
# (certutil) with apt-get when they are missing and we are root; skips the
# browser part (saying so, exit 0) only when they cannot be installed.
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"
cd "$ROOT"

OUT="$TARGET_DIR/browser"
PACKAGES="chromium chromium-driver libnss3-tools"

# Installs Chromium, chromedriver and certutil when missing; when that
# cannot be, prints why (then the browser part is skipped) and fails.
ensure_chromium() {
    command -v chromium >/dev/null && command -v chromedriver >/dev/null &&
        command -v certutil >/dev/null && return 0
    if [ "$(id -u)" -ne 0 ]; then
        echo "browser test skipped: Chromium is not installed and installing needs root;" \
            "install the packages $PACKAGES (apt-get install $PACKAGES) and run again"
        return 1
    fi
    say "installing $PACKAGES" >&2
    export DEBIAN_FRONTEND=noninteractive
    if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends $PACKAGES; } \
        >"$OUT/apt.log" 2>&1; then
        echo "browser test skipped: the packages $PACKAGES could not be installed" \
            "(apt-get failed: $(tail -n 1 "$OUT/apt.log"))"
        return 1
    fi
}

# A TCP port on 127.0.0.1 that is free now.
free_port() {
    php -n -r '$s = stream_socket_server("tcp://127.0.0.1:0"); echo substr(strrchr(stream_socket_get_name($s, false), ":"), 1);'
}

# Waits until something accepts connections on 127.0.0.1:$1 (process $2 alive).
wait_for_port() {
    for _ in $(seq 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        kill -0 "$2" 2>/dev/null || break
        sleep 0.1
    done
    echo "nothing listens on port $1; see the logs in $OUT" >&2
    return 1
}

# A HOME for Chromium whose NSS database (~/.pki/nssdb, where Chromium on
# Linux reads the CAs a user added) trusts the sandbox's CA: $1.
home_trusting_sandbox() {
    local db="$1/.pki/nssdb"
    mkdir -p "$db"
    certutil -d "sql:$db" -N --empty-password
    certutil -d "sql:$db" -A -t "C,," -n sequra-sandbox -i "$SEQURA_CA_FILE"
}

PIDS=()
# Stops what this script started (chromedriver with its browsers: its
# process group) and removes its scratch directory; an at_exit hook.
stop_all() {
    local pid _
    for pid in "${PIDS[@]}"; do
        kill -- "-$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
        # Chromium's own processes take a moment to go.
        for _ in $(seq 50); do
            kill -0 -- "-$pid" 2>/dev/null || break
            sleep 0.1
        done
    done
    rm -rf "${SCRATCH:-}"
}

mkdir -p "$OUT"
rm -f "$OUT"/*.png
skipped=$(ensure_chromium) || true

say "building the PHP extension (and the sandbox)"
cargo build --quiet -p sequra-php -p sequra-sandbox
if [ -z "${SEQURA_SANDBOX_URL:-}" ]; then
    start_sandbox
fi
[ -n "${SEQURA_CA_FILE:-}" ] || die "SEQURA_SANDBOX_URL is set but SEQURA_CA_FILE is not: give the sandbox's CA file too"
at_exit stop_all
SCRATCH=$(mktemp -d)

say "starting the shop"
shop_port=$(free_port)
export SHOP_URL="http://127.0.0.1:$shop_port" SHOP_DATA_DIR="$SCRATCH/shop"
setsid php -n -d extension="$PHP_EXTENSION" -S "127.0.0.1:$shop_port" examples/shop/router.php \
    >"$OUT/shop.log" 2>&1 &
PIDS+=($!)
wait_for_port "$shop_port" "$!"
echo "shop at $SHOP_URL (log: $OUT/shop.log)"

say "the shop over HTTP"
php -n -d extension="$PHP_EXTENSION" tests/browser/shop_over_http.php

if [ -n "$skipped" ]; then
    say "$skipped"
    exit 0
fi
say "driving Chromium through the shop"
driver_port=$(free_port)
home_trusting_sandbox "$SCRATCH/home"
HOME="$SCRATCH/home" setsid chromedriver --port="$driver_port" >"$OUT/chromedriver.log" 2>&1 &
PIDS+=($!)
wait_for_port "$driver_port" "$!"
echo "chromedriver at http://127.0.0.1:$driver_port ($(chromium --version 2>/dev/null))"
WEBDRIVER_URL="http://127.0.0.1:$driver_port" CHROMIUM="$(command -v chromium)" \
    CHROMIUM_PROFILE="$SCRATCH/profile" SCREENSHOTS="$OUT" php -n tests/browser/shop_in_chromium.php
