#!/usr/bin/env bash
# The PHP tests and demos on a PHP this machine does not have: 8.1 (Ubuntu
# 22.04), 8.2 (Debian 12), 8.3 (Ubuntu 24.04), 8.4 (Debian 13) or 8.5
# (Ubuntu 26.04), the releases that ship each (lib.sh's php_release).
# Usage: scripts/php-chroot.sh 8.1|8.2|8.3|8.4|8.5.
#
# Builds that release's root filesystem with debootstrap (cached under
# $SEQURA_CACHE/rootfs/), lends it the machine's Rust toolchain (read-only) and
# this repository (read-write, at the same path), builds the extension
# there into target/php<version> and runs scripts/php-tests.sh in it with
# chroot. The sandbox runs outside, in the same network namespace, so its
# loopback URL works inside: the caller's $SEQURA_SANDBOX_URL and
# $SEQURA_CA_FILE, else one started here. The chroot's environment is
# cleared (run_in_chroot): both are passed in by name, and the CA file is
# put at the same path inside when the repository's bind mount does not
# already show it there. Needs root.
#
# Ubuntu's packages come from $SEQURA_UBUNTU_MIRROR (default
# http://archive.ubuntu.com/ubuntu), checked against Ubuntu's archive
# signing key committed in scripts/keys/ (docs/install.md gives its
# fingerprint); Debian's from the mirror this machine's apt uses, checked
# against the keys it trusts.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

# The exit status that says the step could not run here: Ubuntu's archive
# is not Debian's, and a machine that reaches only Debian's mirror cannot
# build Ubuntu's chroots. scripts/test.sh counts it as a skipped step.
UNREACHABLE=77

# Whether MIRROR answers for SUITE's Release file: plain HTTP through
# bash's /dev/tcp (a bare machine has no curl). An https mirror is taken
# as reachable; debootstrap says otherwise.
mirror_answers() {
    local mirror=$1 suite=$2 rest host port path status
    case $mirror in
    http://*) rest=${mirror#http://} ;;
    *) return 0 ;;
    esac
    host=${rest%%/*}
    path=""
    [ "$rest" != "$host" ] && path=/${rest#*/}
    port=80
    case $host in *:*) port=${host##*:} host=${host%:*} ;; esac
    status=$(timeout 15 bash -c '
        exec 3<>"/dev/tcp/$1/$2" || exit 1
        printf "HEAD %s/dists/%s/InRelease HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n" "$3" "$4" "$1" >&3
        head -n 1 <&3' _ "$host" "$port" "${path%/}" "$suite" 2>/dev/null) || return 1
    [[ $status == *" 200"* ]]
}

main() {
    local version=${1:-} release distro suite
    release=$(php_release "$version") ||
        die "usage: scripts/php-chroot.sh ${SUPPORTED_PHP// /|} (got '$version')"
    read -r distro suite _ <<<"$release"
    require_chroot_tools
    enter_private_mount_namespace "$@"
    cd "$ROOT"
    if [ -z "${SEQURA_SANDBOX_URL:-}" ]; then
        cargo build --quiet -p sequra-sandbox
        start_sandbox
    fi

    # What building and testing the extension needs, and no more.
    local packages="php$version-cli,php$version-dev,libclang-dev,gcc,libc6-dev,make,ca-certificates"
    local name="php${version/./}"
    local mirror=${SEQURA_UBUNTU_MIRROR:-http://archive.ubuntu.com/ubuntu}
    case $distro in
    debian) cached_rootfs "$suite" "$packages" ;;
    ubuntu)
        if ! mirror_answers "$mirror" "$suite"; then
            echo "skipped: Ubuntu's archive ($mirror) does not answer from this machine, so PHP $version (Ubuntu $suite) is not tested here; SEQURA_UBUNTU_MIRROR names another mirror"
            exit "$UNREACHABLE"
        fi
        cached_rootfs "$suite" "$packages" "$mirror" "$ROOT/scripts/keys/ubuntu-archive-2018.asc" main,universe
        ;;
    esac
    unpack_rootfs "$ROOTFS_TARBALL" "$name"
    mount_system "$ROOTFS"
    mount_rust_toolchain "$ROOTFS"
    bind_mount rw "$ROOT" "$ROOTFS$ROOT"
    # Crates downloaded once serve both sides (the same cargo).
    local registry="${CARGO_HOME:-$HOME/.cargo}/registry"
    mkdir -p "$registry"
    bind_mount rw "$registry" "$ROOTFS/root/.cargo/registry"

    local ca_file=${SEQURA_CA_FILE:-}
    if [ -n "$ca_file" ] && [ ! -f "$ROOTFS$ca_file" ]; then
        mkdir -p "$(dirname "$ROOTFS$ca_file")"
        cp "$ca_file" "$ROOTFS$ca_file"
    fi

    say "PHP $version in a $distro $suite chroot (sandbox at $SEQURA_SANDBOX_URL${ca_file:+, its CA in $ca_file})"
    run_in_chroot "$ROOTFS" CARGO_TARGET_DIR="$ROOT/target/$name" \
        SEQURA_SANDBOX_URL="$SEQURA_SANDBOX_URL" SEQURA_CA_FILE="$ca_file" \
        bash "$ROOT/scripts/php-tests.sh"
}

main "$@"
