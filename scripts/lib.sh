# Shared by scripts/demo.sh and scripts/test.sh: installing what a bare
# machine lacks, and starting the bundled sandbox. Source it; don't run it.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
PHP_EXTENSION="$TARGET_DIR/debug/libsequra_php.so"

say() { printf '\n==> %s\n' "$*"; }

# What bindgen loads: libclang.so or libclang-<N>.so*. libclang-cpp (which
# any LLVM install brings) is another library and does not count.
have_libclang() {
    compgen -G '/usr/lib/llvm-*/lib/libclang.so*' >/dev/null ||
        compgen -G '/usr/lib/llvm-*/lib/libclang-[0-9]*.so*' >/dev/null ||
        compgen -G '/usr/lib/*-linux-gnu/libclang-[0-9]*.so*' >/dev/null
}

# PHP's CLI and headers (for ext-php-rs), libclang (for bindgen), a C
# compiler and make. Installs with apt-get when something is missing and we
# are root; otherwise says what to install.
ensure_system_packages() {
    local missing=()
    command -v php >/dev/null || missing+=(php8.2-cli)
    command -v php-config >/dev/null || missing+=(php8.2-dev)
    have_libclang || missing+=(libclang-dev)
    command -v cc >/dev/null || missing+=(gcc)
    command -v make >/dev/null || missing+=(make)
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        echo "missing: ${missing[*]}; install them (apt-get install ${missing[*]}) and run again" >&2
        return 1
    fi
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Whether nightly Rust with rust-src is installed: ThreadSanitizer needs the
# library instrumented too (tests/c/Makefile says why), which only nightly's
# -Zsanitizer=thread with -Zbuild-std does.
have_tsan_toolchain() {
    command -v rustup >/dev/null &&
        rustup component list --toolchain nightly --installed 2>/dev/null | grep -q '^rust-src'
}

# The path to PHP's own test runner (shipped with php8.2-dev).
php_run_tests() {
    local runner
    runner=$(compgen -G "$(php-config --extension-dir | sed 's/\/[^/]*$//')/*/build/run-tests.php" | head -n1)
    [ -n "$runner" ] || runner=$(compgen -G '/usr/lib/php/*/build/run-tests.php' | head -n1)
    [ -n "$runner" ] || { echo "run-tests.php not found; install php8.2-dev" >&2; return 1; }
    echo "$runner"
}

# Stops the sandbox, keeping the exit status of the script.
stop_sandbox() {
    local status=$?
    kill "$SANDBOX_PID" 2>/dev/null || true
    wait "$SANDBOX_PID" 2>/dev/null || true  # a killed process "fails" with 143
    exit "$status"
}

# Starts the sandbox on a free loopback port, exports SEQURA_SANDBOX_URL
# and stops the sandbox when the calling script exits, whatever happens.
start_sandbox() {
    local out="$TARGET_DIR/sandbox.url"
    rm -f "$out"
    "$TARGET_DIR/debug/sequra-sandbox" --port 0 >"$out" 2>"$TARGET_DIR/sandbox.log" &
    SANDBOX_PID=$!
    trap stop_sandbox EXIT
    for _ in $(seq 100); do
        SEQURA_SANDBOX_URL=$(head -n1 "$out" 2>/dev/null || true)
        [ -n "$SEQURA_SANDBOX_URL" ] && break
        kill -0 "$SANDBOX_PID" 2>/dev/null || break
        sleep 0.1
    done
    if [ -z "$SEQURA_SANDBOX_URL" ]; then
        echo "the sandbox did not start; its log:" >&2
        cat "$TARGET_DIR/sandbox.log" >&2
        return 1
    fi
    export SEQURA_SANDBOX_URL
    echo "sandbox listening at $SEQURA_SANDBOX_URL (log: $TARGET_DIR/sandbox.log)"
}
