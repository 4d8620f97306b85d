# Shared by the scripts: installing what a bare machine lacks, starting the
# bundled sandbox, running cleanups at exit, and building Debian root
# filesystems to run commands in with chroot. Source it; don't run it.

# `--help` (or `-h`) on any script: its opening comment, and nothing run.
for arg in "$@"; do
    case $arg in
    -h | --help)
        sed -n '2,/^[^#]/{/^#/{s/^# \{0,1\}//;p;};}' "$0"
        exit 0
        ;;
    esac
done

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
# The machine's build cache, like cargo's: what outlives a checkout (the
# thread-safe PHP, the root filesystems debootstrap makes).
CACHE_DIR=${SEQURA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sequra}
PHP_EXTENSION="$TARGET_DIR/debug/libsequra_php.so"

say() { printf '\n==> %s\n' "$*"; }
die() { echo "$(basename "$0"): $*" >&2; exit 1; }

# Cleanups to run when the script exits, however it exits (error, Ctrl-C,
# kill): the last registered runs first, and the script keeps its status.
EXIT_HOOKS=()
run_exit_hooks() {
    local status=$? i
    trap - EXIT
    for ((i = ${#EXIT_HOOKS[@]} - 1; i >= 0; i--)); do
        ${EXIT_HOOKS[i]} || true
    done
    exit "$status"
}
at_exit() {
    EXIT_HOOKS+=("$*")
    trap run_exit_hooks EXIT
    # Without these a signal ends bash without running the EXIT trap.
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

# What bindgen needs of clang: the library it loads, libclang.so or
# libclang-<N>.so* (libclang-cpp, which any LLVM install brings, is another
# library and does not count), and clang's own headers (stddef.h and the
# like, which PHP's headers include): libclang1-<N> alone has the library
# but not the headers, which come with libclang-dev.
have_libclang() {
    {
        compgen -G '/usr/lib/llvm-*/lib/libclang.so*' >/dev/null ||
            compgen -G '/usr/lib/llvm-*/lib/libclang-[0-9]*.so*' >/dev/null ||
            compgen -G '/usr/lib/*-linux-gnu/libclang-[0-9]*.so*' >/dev/null
    } && compgen -G '/usr/lib/llvm-*/lib/clang/*/include/stddef.h' >/dev/null
}

# PHP's CLI and headers (for ext-php-rs), libclang (for bindgen), a C
# compiler, make and pkg-config (the C package's test), and OpenSSL's
# headers (the C tests speak HTTPS to the sandbox's control endpoints:
# tests/c/testing.h), and valgrind (the C and PHP tests run under it once).
# Installs with apt-get when something is missing and we are root;
# otherwise says what to install.
ensure_system_packages() {
    local missing=()
    # The distribution's own PHP (8.2 on Debian 12, 8.4 on Debian 13); the
    # headers of the PHP already there.
    if ! command -v php >/dev/null; then
        missing+=(php-cli php-dev)
    elif ! command -v php-config >/dev/null; then
        missing+=("php$(php_version)-dev")
    fi
    have_libclang || missing+=(libclang-dev)
    command -v cc >/dev/null || missing+=(gcc)
    command -v make >/dev/null || missing+=(make)
    command -v pkg-config >/dev/null || missing+=(pkgconf)
    [ -f /usr/include/openssl/ssl.h ] || missing+=(libssl-dev)
    command -v valgrind >/dev/null || missing+=(valgrind)
    [ ${#missing[@]} -eq 0 ] || install_debian_packages "${missing[@]}"
}

# Installs the Debian packages "$@" with apt-get when root; otherwise says
# what to install and fails.
install_debian_packages() {
    if [ "$(id -u)" -ne 0 ]; then
        echo "missing: $*; install them (apt-get install $*) and run again" >&2
        return 1
    fi
    say "installing $*"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Whether nightly Rust with rust-src is installed: ThreadSanitizer needs the
# library instrumented too (tests/c/Makefile says why), which only nightly's
# -Zsanitizer=thread with -Zbuild-std does.
have_tsan_toolchain() {
    command -v rustup >/dev/null &&
        rustup component list --toolchain nightly --installed 2>/dev/null | grep -q '^rust-src'
}

# The PHP on PATH, as "8.2": the version its packages carry in their names.
php_version() {
    php -n -r 'echo PHP_MAJOR_VERSION, ".", PHP_MINOR_VERSION;'
}

# The PHP releases the tests cover, and the release that ships each, which
# scripts/php-chroot.sh builds a chroot of: "distribution suite name".
SUPPORTED_PHP="8.1 8.2 8.3 8.4 8.5"
php_release() {
    case $1 in
    8.1) echo "ubuntu jammy Ubuntu 22.04" ;;
    8.2) echo "debian bookworm Debian 12" ;;
    8.3) echo "ubuntu noble Ubuntu 24.04" ;;
    8.4) echo "debian trixie Debian 13" ;;
    8.5) echo "ubuntu resolute Ubuntu 26.04" ;;
    *) return 1 ;;
    esac
}

# ext-php-rs builds against the headers php-config names; Debian ships
# php-config and the headers in php<version>-dev.
require_php_headers() {
    local package
    package="php$(php_version)-dev"
    command -v php-config >/dev/null || die "php-config is missing: install $package"
    [ -f "$(php-config --include-dir)/main/php.h" ] || die "PHP's headers are missing: install $package"
}

# The path to PHP's own test runner (Debian ships it in php<version>-dev,
# beside the extension directory; an upstream build under its prefix).
php_run_tests() {
    local runner
    for runner in "$(php-config --extension-dir)/build/run-tests.php" \
        "$(php-config --prefix)/lib/php/build/run-tests.php"; do
        [ -f "$runner" ] && { echo "$runner"; return 0; }
    done
    die "run-tests.php not found: install php$(php_version)-dev"
}

# run-tests' option to run the tests on every CPU at once. A test that
# reads or sets what is the whole sandbox's (its counters, queued faults,
# the checkout.com webhook), or measures time, says so with a CONFLICTS
# section of "all", and run-tests runs it alone, after the others.
php_test_workers() {
    echo "-j$(nproc)"
}

stop_sandbox() {
    kill "$SANDBOX_PID" 2>/dev/null || true
    wait "$SANDBOX_PID" 2>/dev/null || true # a killed process "fails" with 143
    rm -f "$SANDBOX_CA"
}

# Starts the sandbox on a free loopback port, over HTTPS from a CA of its
# own, exports SEQURA_SANDBOX_URL (https://127.0.0.1:PORT) and
# SEQURA_CA_FILE (the CA's PEM: clients trust it through their ca_file
# option, raw requests to the control endpoints through their TLS
# settings) and stops the sandbox when the calling script exits, whatever
# happens. The CA file is this script's own (its pid in the name, removed
# at exit), so that a demo started beside a test run does not replace the
# CA the tests trust.
start_sandbox() {
    local out="$TARGET_DIR/sandbox.$$.out"
    SANDBOX_CA="$TARGET_DIR/sandbox-ca.$$.pem"
    rm -f "$out" "$SANDBOX_CA"
    "$TARGET_DIR/debug/sequra-sandbox" --port 0 --tls --ca-file "$SANDBOX_CA" \
        >"$out" 2>"$TARGET_DIR/sandbox.log" &
    SANDBOX_PID=$!
    at_exit stop_sandbox
    # Line 1 is the URL, line 2 the CA file's path, printed once it is written.
    for _ in $(seq 100); do
        [ -f "$out" ] && [ "$(wc -l <"$out")" -ge 2 ] && break
        kill -0 "$SANDBOX_PID" 2>/dev/null || break
        sleep 0.1
    done
    SEQURA_SANDBOX_URL=$(sed -n 1p "$out" 2>/dev/null || true)
    SEQURA_CA_FILE=$(sed -n 2p "$out" 2>/dev/null || true)
    rm -f "$out"
    if [ -z "$SEQURA_SANDBOX_URL" ] || [ ! -s "$SEQURA_CA_FILE" ]; then
        echo "the sandbox did not start; its log:" >&2
        cat "$TARGET_DIR/sandbox.log" >&2
        return 1
    fi
    export SEQURA_SANDBOX_URL SEQURA_CA_FILE
    echo "sandbox listening at $SEQURA_SANDBOX_URL, its CA in $SEQURA_CA_FILE (log: $TARGET_DIR/sandbox.log)"
}

# ---------------------------------------------------------------------------
# Debian root filesystems to run commands in with chroot
# (scripts/fresh-machine.sh: a bare Debian 12; scripts/php-chroot.sh: the
# releases that ship PHP 8.1, 8.3, 8.4 and 8.5).

# Root, for debootstrap, mount and chroot; debootstrap itself is installed
# when missing (we are root by then).
require_chroot_tools() {
    # /usr/sbin, where Debian puts it, is not on every user's PATH.
    local have_debootstrap=no
    { command -v debootstrap || [ -x /usr/sbin/debootstrap ]; } >/dev/null && have_debootstrap=yes
    if [ "$(id -u)" -ne 0 ]; then
        local also=""
        [ "$have_debootstrap" = yes ] || also=", with debootstrap installed (apt-get install debootstrap)"
        die "needs root (it runs debootstrap, mount and chroot): run it as root$also"
    fi
    [ "$have_debootstrap" = yes ] && return 0
    say "installing debootstrap"
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends debootstrap >/dev/null; } ||
        die "debootstrap is missing and apt-get could not install it: apt-get install debootstrap"
}

# Runs the calling script again in a mount namespace of its own, so that no
# mount it makes outlives it even when it is killed (the EXIT hooks still
# unmount everything; this is the net under them). Call it first thing with
# the script's arguments.
enter_private_mount_namespace() {
    [ -n "${SEQURA_MOUNT_NAMESPACE:-}" ] && return 0
    command -v unshare >/dev/null || die "unshare is missing: apt-get install util-linux"
    local propagation=private
    # In a chroot (fresh-machine.sh runs test.sh, hence php-chroot.sh, in one) /
    # is no mount point and cannot be made private; there the mounts are
    # the private ones of the namespace the chroot's maker entered.
    mountpoint -q / || propagation=unchanged
    SEQURA_MOUNT_NAMESPACE=$$ exec unshare --mount --propagation "$propagation" bash "$0" "$@"
}

# The Debian mirror apt already uses here: the first source of this
# release's own suite (so neither -security nor a third-party repository),
# read from the one-line lists and the deb822 .sources files.
debian_mirror() {
    local codename file uri
    codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
    [ -n "$codename" ] || die "/etc/os-release names no Debian release"
    for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -r "$file" ] || continue
        uri=$(awk -v suite="$codename" '
            $1 == "deb" {
                i = 2
                if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }   # [options]
                if ($(i + 1) == suite) { print $i; exit }
            }' "$file")
        [ -n "$uri" ] && { echo "$uri"; return 0; }
    done
    for file in /etc/apt/sources.list.d/*.sources; do
        [ -r "$file" ] || continue
        uri=$(awk -v suite="$codename" '
            BEGIN { RS = ""; FS = "\n" }   # one stanza per record
            {
                types = uris = suites = enabled = ""
                for (i = 1; i <= NF; i++) {
                    if ($i ~ /^#/) continue
                    split($i, kv, ":[ \t]*")
                    value = substr($i, length(kv[1]) + 2); sub(/^[ \t]+/, "", value)
                    if (kv[1] == "Types") types = value
                    else if (kv[1] == "URIs") uris = value
                    else if (kv[1] == "Suites") suites = value
                    else if (kv[1] == "Enabled") enabled = value
                }
                if (enabled == "no" || (" " types " ") !~ / deb /) next
                if ((" " suites " ") ~ (" " suite " ")) { split(uris, u, " "); print u[1]; exit }
            }' "$file")
        [ -n "$uri" ] && { echo "$uri"; return 0; }
    done
    die "found no Debian mirror for $codename in /etc/apt/sources.list or /etc/apt/sources.list.d"
}

# Sets ROOTFS_TARBALL to a pristine root filesystem of SUITE (minbase and
# the comma-separated PACKAGES), cached in $CACHE_DIR/rootfs/ (the cache
# outlives a checkout, as CI's clean ones): debootstrap runs once per
# machine, suite, mirror and package list; later runs only unpack it. A
# Debian suite comes from the mirror this machine's apt uses, checked with
# the keys it trusts; another distribution's (Ubuntu's) from MIRROR, its
# Release file checked with the armored KEY and its COMPONENTS read.
cached_rootfs() {
    local suite=$1 packages=$2 mirror=${3:-} key_file=${4:-} components=${5:-main}
    local key build log
    key=$(printf '%s %s %s %s' "$suite" "$packages" "$(uname -m)" "$mirror" | sha256sum | cut -c1-12)
    ROOTFS_TARBALL="$CACHE_DIR/rootfs/$suite-$key.tar"
    [ -f "$ROOTFS_TARBALL" ] && return 0
    build="$CACHE_DIR/rootfs/$suite-$key.build.$$"
    log="$CACHE_DIR/rootfs/$suite-$key.log"
    mkdir -p "$build"
    at_exit remove_rootfs "$build"
    local args=(--variant=minbase --include="$packages" --components="$components")
    local script=()
    if [ -z "$mirror" ]; then
        mirror=$(debian_mirror)
    else
        # debootstrap reads a binary keyring; the committed key is armored
        # (reviewable text): its body is the keyring in base64.
        local keyring="$build.keyring.gpg"
        awk '/^-----BEGIN/ { inside = 1; next } inside && /^$/ { body = 1; next }
             /^=/ { exit } body' "$key_file" | base64 -d >"$keyring" ||
            die "cannot read the signing key $key_file"
        at_exit rm -f "$keyring"
        args+=(--keyring="$keyring")
        # An Ubuntu release newer than this debootstrap knows is made by
        # the script all Ubuntu releases share.
        [ -e "/usr/share/debootstrap/scripts/$suite" ] || script=(/usr/share/debootstrap/scripts/gutsy)
    fi
    say "debootstrap $suite from $mirror (once; cached as $ROOTFS_TARBALL)"
    local start=$SECONDS
    if ! debootstrap "${args[@]}" "$suite" "$build" "$mirror" "${script[@]}" >"$log" 2>&1; then
        tail -n 20 "$log" >&2
        die "debootstrap $suite failed; its log: $log"
    fi
    # Leave out what debootstrap keeps and a later run does not need.
    rm -rf "$build"/var/cache/apt/archives/*.deb "$build"/var/lib/apt/lists/*_*
    # Written aside and renamed: a run killed midway, or another run
    # making the same tarball, never leaves a half one under its name.
    tar --numeric-owner -C "$build" -cf "$ROOTFS_TARBALL.tmp.$$" .
    mv "$ROOTFS_TARBALL.tmp.$$" "$ROOTFS_TARBALL"
    remove_rootfs "$build"
    echo "debootstrap $suite and its tarball took $((SECONDS - start))s"
}

# Sets ROOTFS to a new directory target/chroot/NAME.<pid> holding the
# tarball's root filesystem, removed (mounts first) when the script exits.
# Leftovers of runs that were killed are removed first.
unpack_rootfs() {
    local tarball=$1 name=$2 stale
    mkdir -p "$TARGET_DIR/chroot"
    for stale in "$TARGET_DIR/chroot/$name".*; do
        [ -d "$stale" ] || continue
        kill -0 "${stale##*.}" 2>/dev/null || remove_rootfs "$stale"
    done
    ROOTFS="$TARGET_DIR/chroot/$name.$$"
    mkdir "$ROOTFS"
    at_exit remove_rootfs "$ROOTFS"
    tar --numeric-owner -C "$ROOTFS" -xpf "$tarball"
}

# The mount points at or below DIR, deepest first.
mounts_under() {
    findmnt -rn -o TARGET | awk -v dir="$1" '$0 == dir || index($0, dir "/") == 1' | sort -r
}

# Unmounts everything below DIR, then removes it. Never removes a tree
# that still has a mount in it: rm would walk into the bind-mounted
# toolchain or repository (--one-file-system does not stop at a bind mount
# of the same file system).
remove_rootfs() {
    local dir=$1 mount
    [ -d "$dir" ] || return 0
    for mount in $(mounts_under "$dir"); do
        umount "$mount" 2>/dev/null || umount --lazy "$mount"
    done
    if [ -n "$(mounts_under "$dir")" ]; then
        echo "not removing $dir: still mounted: $(mounts_under "$dir" | tr '\n' ' ')" >&2
        return 1
    fi
    rm -rf --one-file-system "$dir"
}

bind_mount() {
    local mode=$1 source=$2 target=$3
    mkdir -p "$target"
    mount --bind "$source" "$target"
    [ "$mode" = ro ] && mount -o remount,bind,ro "$target"
    return 0
}

# What programs in a chroot expect of the kernel: /proc (PHP's built-in
# server, ASan), /sys, /dev with /dev/pts (apt and dpkg open a terminal
# for their logs). And of the network, which the chroot shares with this
# machine: its name servers, the loopback names every installed Debian has
# in /etc/hosts (debootstrap writes none), and the certificate authorities it trusts
# beyond Debian's (a proxy's, say), or cargo cannot reach crates.io.
mount_system() {
    local root=$1
    mount -t proc proc "$root/proc"
    mount -t sysfs sysfs "$root/sys"
    mount --bind /dev "$root/dev"
    mount --bind /dev/pts "$root/dev/pts"
    cp -L /etc/resolv.conf "$root/etc/resolv.conf"
    [ -s "$root/etc/hosts" ] || printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"
    if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
        mkdir -p "$root/usr/local/share/ca-certificates"
        cp -L /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
        chroot "$root" update-ca-certificates >/dev/null 2>&1
    fi
}

# The machine's Rust toolchain, read-only, at /opt/rust: rustup's home
# (the toolchains) and cargo's bin directory (the rustup proxies).
mount_rust_toolchain() {
    local root=$1 cargo rustup_home
    cargo=$(command -v cargo) || die "cargo is not on PATH: this needs the machine's Rust toolchain (rustup)"
    rustup_home=${RUSTUP_HOME:-$HOME/.rustup}
    [ -d "$rustup_home/toolchains" ] || die "no rustup toolchains in $rustup_home (set RUSTUP_HOME)"
    bind_mount ro "$rustup_home" "$root/opt/rust/rustup"
    bind_mount ro "$(dirname "$cargo")" "$root/opt/rust/bin"
}

# Runs a command as root in the root filesystem ROOT with a clean
# environment: the toolchain on PATH, the caller's CARGO_INCREMENTAL (a
# build-cache setting; .ci/run turns it off to save disk), and the
# NAME=VALUE pairs that come before the command.
run_in_chroot() {
    local root=$1
    shift
    chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM="${TERM:-dumb}" \
        PATH=/opt/rust/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        RUSTUP_HOME=/opt/rust/rustup CARGO_HOME=/root/.cargo \
        ${CARGO_INCREMENTAL:+CARGO_INCREMENTAL="$CARGO_INCREMENTAL"} "$@"
}
