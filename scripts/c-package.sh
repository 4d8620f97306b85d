#!/usr/bin/env bash
# The C package as a C programmer gets it: make install into one temporary
# prefix (the shared library under its SONAME, its link, the static library,
# the header, sequra.pc, valgrind.supp, seed_order.json and the licenses) and make install-static into
# another; then
# examples/c built with pkg-config alone against each (dynamic, static) and
# run against the sandbox at $SEQURA_SANDBOX_URL (started here when unset;
# the programs trust its CA through $SEQURA_CA_FILE): the demo account's
# credentials work, a wrong password is refused, without the CA nothing is
# sent, and under valgrind with the installed suppressions it is clean.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

command -v pkg-config >/dev/null || die "pkg-config is missing: install pkgconf"
work="$TARGET_DIR/c-package"
rm -rf "$work"
at_exit rm -rf "$work"
if [ -z "${SEQURA_SANDBOX_URL:-}" ]; then
    cargo build --quiet -p sequra-sandbox
    start_sandbox
fi

say "make install PREFIX=$work/full; make install-static PREFIX=$work/static"
make -s install PREFIX="$work/full" >/dev/null
make -s install-static PREFIX="$work/static" >/dev/null

# What the prefix holds, the way a C programmer meets it.
version=$(PKG_CONFIG_PATH="$work/full/lib/pkgconfig" pkg-config --modversion sequra)
soname="libsequra.so.${version%%.*}"
lib="$work/full/lib"
[ -f "$work/full/include/sequra.h" ] || die "no include/sequra.h"
[ -f "$lib/$soname" ] && [ ! -L "$lib/$soname" ] || die "no lib/$soname"
[ "$(readlink "$lib/libsequra.so")" = "$soname" ] || die "lib/libsequra.so is not a link to $soname"
[ -f "$lib/libsequra.a" ] || die "no lib/libsequra.a"
[ -f "$work/full/share/sequra/valgrind.supp" ] || die "no share/sequra/valgrind.supp"
cmp -s "$work/full/share/sequra/seed_order.json" core/tests/fixtures/seed_order.json ||
    die "share/sequra/seed_order.json is not seQura's example order"
for license in LICENSE THIRD-PARTY-LICENSES; do
    cmp -s "$work/full/share/doc/sequra/$license" "$license" || die "no share/doc/sequra/$license"
done
grep -q "(SONAME).*\[$soname\]" <<<"$(readelf -d "$lib/$soname")" || die "lib/$soname does not carry the SONAME $soname"
grep -q '^Libs.private: .*-l' "$lib/pkgconfig/sequra.pc" || die "sequra.pc names no Libs.private"
grep -q "^#define SEQURA_VERSION \"$version\"" "$work/full/include/sequra.h" ||
    die "sequra.h does not define SEQURA_VERSION \"$version\""
echo "prefix holds sequra.h, $soname (SONAME $soname), libsequra.so -> $soname, libsequra.a, sequra.pc, valgrind.supp, seed_order.json, LICENSE, THIRD-PARTY-LICENSES ($version)"

say "examples/c with pkg-config --cflags --libs sequra (dynamic)"
PKG_CONFIG_PATH="$lib/pkgconfig" make -s -C examples/c dynamic BUILD="$work/bin"
grep -q "(NEEDED).*\[$soname\]" <<<"$(readelf -d "$work/bin/check_credentials")" || die "check_credentials does not load $soname"
LD_LIBRARY_PATH="$lib" "$work/bin/check_credentials" "$SEQURA_SANDBOX_URL"

say "examples/c with pkg-config --static --cflags --libs sequra (static)"
PKG_CONFIG_PATH="$work/static/lib/pkgconfig" make -s -C examples/c static BUILD="$work/bin"
if grep -q '(NEEDED).*libsequra' <<<"$(readelf -d "$work/bin/check_credentials-static")"; then
    die "check_credentials-static loads libsequra: it is not linked statically"
fi
"$work/bin/check_credentials-static" "$SEQURA_SANDBOX_URL"

say "a wrong password is refused, and the program says why"
for program in "$work/bin/check_credentials" "$work/bin/check_credentials-static"; do
    if output=$(LD_LIBRARY_PATH="$lib" SEQURA_PASSWORD=wrong "$program" "$SEQURA_SANDBOX_URL" 2>&1); then
        die "$(basename "$program") accepted a wrong password"
    fi
    echo "$output"
    grep -q SQ_ERR_AUTHENTICATION <<<"$output" || die "$(basename "$program") did not report SQ_ERR_AUTHENTICATION"
done

say "without the sandbox's CA nothing is sent, and the program says so"
if output=$(LD_LIBRARY_PATH="$lib" env -u SEQURA_CA_FILE "$work/bin/check_credentials" "$SEQURA_SANDBOX_URL" 2>&1); then
    die "check_credentials trusted the sandbox without its CA"
fi
echo "$output"
grep -q 'SQ_ERR_TLS.*the request was not sent' <<<"$output" ||
    die "check_credentials did not report SQ_ERR_TLS and that the request was not sent"

say "the installed library under valgrind, with the installed suppressions, over HTTPS"
LD_LIBRARY_PATH="$lib" valgrind -q --error-exitcode=9 --leak-check=full \
    --suppressions="$work/full/share/sequra/valgrind.supp" "$work/bin/check_credentials" "$SEQURA_SANDBOX_URL" ||
    die "check_credentials under valgrind with share/sequra/valgrind.supp reported errors"

say "make install and make uninstall without cargo on PATH (as under sudo)"
PATH=/usr/bin:/bin make -s install PREFIX="$work/sudo" >/dev/null
[ -f "$work/sudo/lib/$soname" ] || die "make install without cargo installed no lib/$soname"
PATH=/usr/bin:/bin make -s uninstall PREFIX="$work/sudo" >/dev/null
left=$(find "$work/sudo" -type f -o -type l)
[ -z "$left" ] || die "make uninstall left: $left"
echo "installed, then uninstalled: no file left"
