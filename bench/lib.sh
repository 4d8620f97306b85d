# shellcheck shell=bash
# The harness of scripts/bench.sh: its own sandboxes (release build, HTTP
# and HTTPS), nginx with one PHP-FPM worker, busy loops, and cleaning up
# every process it started whatever happens. Source it after
# scripts/lib.sh (for ROOT, TARGET_DIR and say); don't run it.

BENCH_PIDS=()
BENCH_WORK=""

# Kills every process the bench started (TERM, then KILL after 5 s) and
# removes its files, keeping the script's exit status.
bench_cleanup() {
    local status=$? pid
    trap - EXIT INT TERM
    for pid in "${BENCH_PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${BENCH_PIDS[@]}"; do
        for _ in $(seq 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    [ -n "$BENCH_WORK" ] && rm -rf "$BENCH_WORK"
    exit "$status"
}

# A directory for the run's files, and the trap that cleans up.
bench_init() {
    BENCH_WORK=$(mktemp -d "${TMPDIR:-/tmp}/sequra-bench.XXXXXX")
    chmod 755 "$BENCH_WORK" # nginx's worker may run as another user
    trap bench_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

# Runs "$@" in the background, to be stopped by bench_cleanup.
bench_spawn() {
    "$@" &
    BENCH_PIDS+=($!)
}

# Runs "$@" and waits for it in a way a signal interrupts (bash runs a
# trap only once its foreground command ends), so that bench_cleanup
# stops it too. Returns its status.
bench_run() {
    "$@" &
    local pid=$! status=0
    BENCH_PIDS+=("$pid")
    wait "$pid" || status=$?
    unset 'BENCH_PIDS[-1]'
    return "$status"
}

# Prints the file's content once it is there (the process writes it), or
# fails after 10 s, or at once when the process (pid $2) died.
await_line() {
    local file=$1 pid=$2
    for _ in $(seq 100); do
        if [ -s "$file" ] && head -n1 "$file" | grep -q .; then
            head -n1 "$file"
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    return 1
}

# "taskset -c CPU" when CPU is a number and the machine has it (and
# taskset is there), else nothing: pinning is only ever a nicety.
pin() {
    [ "$1" != any ] && command -v taskset >/dev/null && [ "$(nproc)" -gt "$1" ] &&
        echo "taskset -c $1"
    return 0
}

# start_bench_sandbox VAR CPU|any [--tls]: starts the release sandbox on a
# free port (pinned to CPU) and sets VAR to its URL. With --tls, the CA is
# $BENCH_WORK/ca-VAR.pem and CA_VAR is set to its path.
start_bench_sandbox() {
    local var=$1 cpu=$2 name=sandbox-${1,,}
    shift 2
    local args=(--port 0)
    if [ "${1:-}" = --tls ]; then
        args+=(--tls --ca-file "$BENCH_WORK/ca-$var.pem")
        printf -v "CA_$var" '%s' "$BENCH_WORK/ca-$var.pem"
    fi
    # shellcheck disable=SC2046 # pin's words are meant to split
    bench_spawn $(pin "$cpu") "$TARGET_DIR/release/sequra-sandbox" "${args[@]}" \
        >"$BENCH_WORK/$name.url" 2>"$BENCH_WORK/$name.log"
    local url
    if ! url=$(await_line "$BENCH_WORK/$name.url" "${BENCH_PIDS[-1]}"); then
        echo "the sandbox did not start; its log:" >&2
        cat "$BENCH_WORK/$name.log" >&2
        return 1
    fi
    printf -v "$var" '%s' "$url"
}

# A free TCP port on 127.0.0.1 (free now; nothing else binds it in the
# moment before nginx does).
free_port() {
    # shellcheck disable=SC2016 # PHP code, not shell
    php -n -r '$s = stream_socket_server("tcp://127.0.0.1:0");
        echo substr(strrchr(stream_socket_get_name($s, false), ":"), 1);'
}

# The PHP-FPM of the PHP the extension is built for (the machine's php:
# 8.2 on Debian 12, 8.4 on Debian 13).
php_fpm() {
    local version
    version=$(php_version)
    command -v "php-fpm$version" || echo "/usr/sbin/php-fpm$version"
}

# What the web model needs that is missing: Debian's nginx, and the
# machine's PHP's FPM and curl (php8.2-fpm and php8.2-curl on Debian 12).
# (Installing nginx on a machine with an init system starts its default
# site on port 80; the bench uses its own, on a free port.)
ensure_web_packages() {
    local missing=() version
    version=$(php_version)
    command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
    [ -x "$(php_fpm)" ] || missing+=("php$version-fpm")
    php -n -d extension=curl -r 'exit(function_exists("curl_init") ? 0 : 1);' 2>/dev/null ||
        missing+=("php$version-curl")
    [ ${#missing[@]} -eq 0 ] || install_debian_packages "${missing[@]}"
}

# Fills bench/web/$1's @VARS@ (pairs NAME value after it) into
# $BENCH_WORK/$1.
fill_template() {
    local template=$1 script=()
    shift
    while [ $# -gt 0 ]; do
        script+=(-e "s|@$1@|$2|g")
        shift 2
    done
    sed "${script[@]}" "$ROOT/bench/web/$template" >"$BENCH_WORK/$template"
}

# start_web EXTENSION SANDBOX_URL CA_FILE CPU|any: PHP-FPM (one static
# worker, the extension loaded) behind nginx, both pinned to CPU; sets
# WEB_URL.
start_web() {
    local extension=$1 sandbox=$2 ca_file=$3 cpu=$4 port user_fpm="" user_nginx="" as_root=()
    port=$(free_port)
    if [ "$(id -u)" -eq 0 ]; then
        # Root runs both as root: no file of the tree or the run has to be
        # readable by another user.
        user_fpm="user = root"
        user_nginx="user root;"
        as_root=(--allow-to-run-as-root)
    fi
    mkdir -p "$BENCH_WORK/nginx-tmp"
    fill_template php-fpm.conf WORK "$BENCH_WORK" USER "$user_fpm" \
        SANDBOX_URL "$sandbox" CA_FILE "$ca_file"
    fill_template nginx.conf WORK "$BENCH_WORK" USER "$user_nginx" PORT "$port" ROOT "$ROOT"
    local fpm nginx
    fpm=$(php_fpm)
    nginx=$(command -v nginx || echo /usr/sbin/nginx)
    # shellcheck disable=SC2046 # pin's words are meant to split
    bench_spawn $(pin "$cpu") "$fpm" --nodaemonize "${as_root[@]}" --fpm-config "$BENCH_WORK/php-fpm.conf" \
        -d extension="$extension" 2>>"$BENCH_WORK/php-fpm.log"
    local fpm_pid=${BENCH_PIDS[-1]}
    # shellcheck disable=SC2046
    bench_spawn $(pin "$cpu") "$nginx" -p "$BENCH_WORK" -e "$BENCH_WORK/nginx-error.log" \
        -c "$BENCH_WORK/nginx.conf"
    local nginx_pid=${BENCH_PIDS[-1]}
    WEB_URL="http://127.0.0.1:$port"
    for _ in $(seq 100); do
        if [ -S "$BENCH_WORK/php-fpm.sock" ] &&
            curl -sf -o /dev/null "$WEB_URL/ready" 2>/dev/null; then
            return 0
        fi
        if ! kill -0 "$fpm_pid" 2>/dev/null || ! kill -0 "$nginx_pid" 2>/dev/null; then
            break
        fi
        sleep 0.1
    done
    echo "nginx or PHP-FPM did not start; their logs:" >&2
    cat "$BENCH_WORK/php-fpm.log" "$BENCH_WORK/nginx-error.log" >&2 2>/dev/null || true
    return 1
}

# Why a web request failed: the PHP-FPM and nginx logs' last lines.
web_logs() {
    local log
    for log in php-fpm.log php-errors.log nginx-error.log; do
        [ -s "$BENCH_WORK/$log" ] || continue
        echo "--- $log (last lines)" >&2
        tail -n 20 "$BENCH_WORK/$log" >&2
    done
}

# One line on how busy the machine is with other work, measured over a
# second while the bench itself is idle: on a shared machine, figures taken
# while others build are noisier, and ratios of wall times shrink towards
# the ratio of the wake-ups each side waits for.
machine_load() {
    local before after
    read -r -a before < <(grep '^cpu ' /proc/stat)
    sleep 1
    read -r -a after < <(grep '^cpu ' /proc/stat)
    local total=0 idle i
    for i in 1 2 3 4 5 6 7 8; do
        total=$((total + after[i] - before[i]))
    done
    idle=$((after[4] + after[5] - before[4] - before[5]))
    [ "$total" -gt 0 ] || total=1
    printf 'the machine just before: %d%% of its %d CPUs busy with other work (load average %s)\n' \
        $((100 * (total - idle) / total)) "$(nproc)" "$(cut -d' ' -f1 /proc/loadavg)"
}

BUSY_PIDS=()

# Two busy loops, one pinned on each of the first two CPUs (when taskset
# is there); each also ends by itself once this script is gone.
start_busy_loops() {
    local cpu
    for cpu in 0 1; do
        # shellcheck disable=SC2046
        bench_spawn $(pin "$cpu") bash -c 'while kill -0 '"$$"' 2>/dev/null; do
            for ((i = 0; i < 200000; i++)); do :; done; done'
        BUSY_PIDS+=("${BENCH_PIDS[-1]}")
    done
}

stop_busy_loops() {
    local pid
    for pid in "${BUSY_PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    BUSY_PIDS=()
}
