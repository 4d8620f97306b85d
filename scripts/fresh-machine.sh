#!/usr/bin/env bash
# Proves the README's two set-up commands on a fresh machine: builds a bare
# Debian 12 root filesystem (or Debian 13's: scripts/fresh-machine.sh
# trixie) with what our machines come with, lends it the
# machine's Rust toolchain (read-only), clones the committed HEAD into it
# and runs the two commands there with chroot, as root. Prints each
# command's exit code and time; exits non-zero when either failed.
#
# The root filesystem is cached in $SEQURA_CACHE/rootfs/ (default
# ~/.cache/sequra/rootfs; debootstrap runs once per machine); each run
# unpacks a pristine copy and removes it afterwards.
#
# The test command builds a chroot of its own for each PHP release (8.1,
# 8.3, 8.4, 8.5). The fresh machine borrows this machine's cache of those
# root filesystems, as it borrows the toolchain: they are made from the
# mirrors the same way wherever debootstrap runs, so remaking them inside
# (about eight minutes for the four) proves nothing about the fresh machine's set-up. With
# SEQURA_FRESH_CHROOTS=1 the fresh machine makes its own.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

# What a machine of this kind comes with, and no more: gcc (and libc6-dev,
# which apt brings with gcc as a recommendation and debootstrap does not),
# git, the release's LLVM and its libclang-cpp (the library that fooled the
# old libclang check: without it a bare chroot proves nothing);
# ca-certificates so cargo reaches crates.io.
SUITE=${1:-bookworm}
case $SUITE in
bookworm) RELEASE="Debian 12" LLVM=14 ;;
trixie) RELEASE="Debian 13" LLVM=19 ;;
*) die "usage: scripts/fresh-machine.sh [bookworm|trixie] (got '$SUITE')" ;;
esac
PACKAGES=gcc,libc6-dev,git,llvm-$LLVM,libclang-cpp$LLVM,ca-certificates
CHECKOUT=/root/sequra

# The set-up commands of the committed README: its first indented block,
# comments dropped. Read from the README itself, so this never runs
# something the README no longer says.
readme_commands() {
    git -C "$ROOT" show HEAD:README.md |
        awk '/^    [^ ]/ { sub(/^ +/, ""); sub(/[ \t]*#.*/, ""); print; found = 1; next }
             found { exit }'
}

# Clones the committed HEAD (not the work tree) into the root filesystem.
clone_head() {
    local head
    head=$(git -C "$ROOT" rev-parse HEAD)
    if [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no)" ]; then
        echo "note: uncommitted changes are not tested; this runs the committed HEAD $head"
    fi
    git clone --quiet --no-hardlinks "$ROOT" "$ROOTFS$CHECKOUT"
    git -C "$ROOTFS$CHECKOUT" checkout --quiet --detach "$head"
}

# Runs one command in the checkout inside the chroot; prints its exit code
# and time. Returns its exit code.
run_timed() {
    local command=$1 start status
    say "fresh machine: $command"
    start=$(date +%s)
    set +e
    # The ZTS step builds PHP from source (minutes): CI runs it on the
    # machine itself (.ci/run); scripts/php-zts.sh proves itself on a
    # bare Debian 12 (docs/install.md).
    run_in_chroot "$ROOTFS" CI="${CI:-}" \
        SEQURA_SKIP_ZTS="the fresh-machine run leaves the ZTS build to CI, on the machine" \
        bash -c "cd $CHECKOUT && $command"
    status=$?
    set -e
    RESULTS+=("$(printf '%-26s exit %d after %ds' "$command" "$status" $(($(date +%s) - start)))")
    return "$status"
}

main() {
    require_chroot_tools
    enter_private_mount_namespace "$@"

    local commands=() command failed=0
    mapfile -t commands < <(readme_commands)
    [ ${#commands[@]} -eq 2 ] ||
        die "README.md must open with exactly two set-up commands in an indented block; found ${#commands[@]}: ${commands[*]:-none}"

    cached_rootfs "$SUITE" "$PACKAGES"
    unpack_rootfs "$ROOTFS_TARBALL" fresh
    mount_system "$ROOTFS"
    mount_rust_toolchain "$ROOTFS"
    if [ -z "${SEQURA_FRESH_CHROOTS:-}" ]; then
        mkdir -p "$CACHE_DIR/rootfs"
        bind_mount rw "$CACHE_DIR/rootfs" "$ROOTFS/root/.cache/sequra/rootfs"
    fi
    clone_head

    RESULTS=()
    for command in "${commands[@]}"; do
        run_timed "$command" || failed=1
    done
    say "fresh $RELEASE machine ($PACKAGES)"
    printf '%s\n' "${RESULTS[@]}"
    return "$failed"
}

main "$@"
