#!/usr/bin/env bash
# The PHP tests and demos on PHP 8.4, which Debian 13 (trixie) ships: builds
# a Debian 13 root filesystem (cached under target/rootfs/), lends it the
# machine's Rust toolchain (read-only) and this repository (read-write, at
# the same path), builds the extension there into target/php84 and runs
# scripts/php-tests.sh in it with chroot. The sandbox runs outside, in the
# same network namespace, so its loopback URL works inside: the caller's
# $SEQURA_SANDBOX_URL and $SEQURA_CA_FILE, else one started here. The
# chroot's environment is cleared (run_in_chroot): both are passed in by
# name, and the CA file is put at the same path inside when the
# repository's bind mount does not already show it there. Needs root.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

# What building and testing the extension needs, and no more.
PACKAGES=php8.4-cli,php8.4-dev,libclang-dev,gcc,libc6-dev,make,ca-certificates

main() {
    require_chroot_tools
    enter_private_mount_namespace "$@"
    cd "$ROOT"
    if [ -z "${SEQURA_SANDBOX_URL:-}" ]; then
        cargo build --quiet -p sequra-sandbox
        start_sandbox
    fi

    cached_rootfs trixie "$PACKAGES"
    unpack_rootfs "$ROOTFS_TARBALL" php84
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

    say "PHP 8.4 in a Debian 13 chroot (sandbox at $SEQURA_SANDBOX_URL${ca_file:+, its CA in $ca_file})"
    run_in_chroot "$ROOTFS" CARGO_TARGET_DIR="$ROOT/target/php84" \
        SEQURA_SANDBOX_URL="$SEQURA_SANDBOX_URL" SEQURA_CA_FILE="$ca_file" \
        bash "$ROOT/scripts/php-tests.sh"
}

main "$@"
