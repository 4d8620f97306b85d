#!/usr/bin/env bash
# The PHP tests, the demo examples and a threaded run on a thread-safe
# (ZTS) PHP, the PHP of FrankenPHP, of Apache's worker and event MPMs with
# mod_php, and of Windows: builds PHP 8.3 from Ubuntu's copy of its source
# with --enable-zts into $SEQURA_CACHE/php-zts-8.3 (once; later runs reuse
# it), builds the extension against it into target/php-zts83, runs
# scripts/php-tests.sh with it, and then tests/php-zts/threads.c: PHP's
# embed SAPI serving requests on several threads at once.
#
# A step of scripts/test.sh. PHP is built once per machine, into
# $SEQURA_CACHE (default ~/.cache/sequra; a build cache, like cargo's): a
# few minutes the first time, nothing after. Installs what it needs with
# apt-get when root (a C compiler, make, pkg-config, OpenSSL's headers, xz,
# libclang); needs cargo. The source tarball comes from
# $SEQURA_UBUNTU_MIRROR (default http://archive.ubuntu.com/ubuntu), with
# curl when there is one, else through bash's /dev/tcp, and is checked
# against its SHA-256 below. Exits 77 (test.sh counts a skipped step) when
# SEQURA_SKIP_ZTS says why not to run, or when the archive does not answer.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

VERSION=8.3.6
TARBALL=php8.3_$VERSION.orig.tar.xz
# Of the tarball Ubuntu's php8.3 8.3.6 source package names (md5
# 185e3b317f964d4f389f9f4b553deb71 there).
SHA256=6e6b83bfc43b03b16a6a6f2d4a5515965e408f801501e97f9d0a23496386f101
MIRROR=${SEQURA_UBUNTU_MIRROR:-http://archive.ubuntu.com/ubuntu}
PREFIX=$CACHE_DIR/php-zts-8.3
# What tests/php and the examples use beyond PHP's core: TLS streams
# (openssl), mb_convert_encoding (mbstring; without mbregex, which needs
# Oniguruma). embed: the library tests/php-zts/threads.c runs PHP with.
CONFIGURE=(--prefix="$PREFIX" --enable-zts --disable-all --disable-cgi --disable-phpdbg
    --enable-cli --enable-embed --with-openssl --enable-mbstring --disable-mbregex)

# What building PHP and the extension needs.
ensure_build_packages() {
    local missing=()
    command -v cc >/dev/null || missing+=(gcc libc6-dev)
    command -v make >/dev/null || missing+=(make)
    command -v pkg-config >/dev/null || missing+=(pkgconf)
    command -v xz >/dev/null || missing+=(xz-utils)
    [ -f /usr/include/openssl/ssl.h ] || missing+=(libssl-dev)
    have_libclang || missing+=(libclang-dev)
    [ ${#missing[@]} -eq 0 ] || install_debian_packages "${missing[@]}"
}

# Downloads URL to FILE: with curl, else plain HTTP through bash's
# /dev/tcp, as a bare machine must (a static file comes with its length;
# a chunked answer is refused rather than decoded).
download() {
    local url=$1 file=$2
    if command -v curl >/dev/null; then
        curl -fsS --retry 2 -o "$file" "$url"
        return
    fi
    local rest=${url#http://} host port path line length=""
    [ "$rest" != "$url" ] || die "without curl only http:// URLs can be fetched: $url"
    host=${rest%%/*} path=/${rest#*/} port=80
    case $host in *:*) port=${host##*:} host=${host%:*} ;; esac
    exec 3<>"/dev/tcp/$host/$port" || die "cannot connect to $host:$port"
    printf 'GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n' "$path" "$host" >&3
    IFS= read -r line <&3 || true
    [[ $line == "HTTP/"*" 200"* ]] || die "GET $url answered: ${line%$'\r'}"
    while IFS= read -r line <&3 && line=${line%$'\r'} && [ -n "$line" ]; do
        case ${line,,} in
        content-length:*) length=${line#*:} length=${length// /} ;;
        transfer-encoding:*chunked*) die "GET $url answered in chunks: install curl" ;;
        esac
    done
    cat <&3 >"$file"
    exec 3<&-
    [ -z "$length" ] || [ "$(stat -c %s "$file")" = "$length" ] ||
        die "GET $url ended after $(stat -c %s "$file") of $length bytes"
}

# The exit status that says the step could not run here (test.sh counts
# it as skipped).
UNREACHABLE=77

# The tarball, downloaded once and checked every time.
source_tarball() {
    local dir=$CACHE_DIR/php-zts-src
    mkdir -p "$dir"
    TARBALL_PATH=$dir/$TARBALL
    if [ ! -f "$TARBALL_PATH" ]; then
        say "downloading $MIRROR/pool/main/p/php8.3/$TARBALL"
        # (In a subshell: download's die must not end this script.)
        if ! (download "$MIRROR/pool/main/p/php8.3/$TARBALL" "$TARBALL_PATH.part"); then
            rm -f "$TARBALL_PATH.part"
            echo "skipped: PHP's source cannot be downloaded from $MIRROR (Ubuntu's archive) here"
            exit "$UNREACHABLE"
        fi
        mv "$TARBALL_PATH.part" "$TARBALL_PATH"
    fi
    if ! echo "$SHA256  $TARBALL_PATH" | sha256sum --check --status; then
        rm -f "$TARBALL_PATH"
        die "$TARBALL is not the expected one (SHA-256 $SHA256); removed it, run again to download it anew"
    fi
}

# Whether PREFIX holds this PHP, thread-safe, with the embed library.
php_built() {
    [ -x "$PREFIX/bin/php" ] && [ -f "$PREFIX/lib/libphp.so" ] &&
        "$PREFIX/bin/php" -n -r "exit(PHP_ZTS && PHP_VERSION === '$VERSION' ? 0 : 1);"
}

build_php() {
    php_built && { echo "PHP $VERSION (ZTS) is built already in $PREFIX"; return 0; }
    source_tarball
    local src=$CACHE_DIR/php-zts-src/php8.3-$VERSION log=$CACHE_DIR/php-zts-src/build.log
    rm -rf "$src" "$PREFIX"
    tar -C "$(dirname "$src")" -xJf "$TARBALL_PATH"
    say "building PHP $VERSION (ZTS) into $PREFIX (log: $log)"
    local start=$SECONDS
    if ! (cd "$src" && ./configure "${CONFIGURE[@]}" && make -j2 && make install) >"$log" 2>&1; then
        tail -n 30 "$log" >&2
        die "building PHP failed; its log: $log"
    fi
    php_built || die "the PHP built in $PREFIX is not PHP $VERSION with ZTS and libphp.so"
    rm -rf "$src"
    echo "PHP's build took $((SECONDS - start))s"
}

# tests/php-zts/threads.c against the ZTS PHP's embed library, run with
# THREADS threads of REQUESTS requests each.
threaded_run() {
    local threads=$1 requests=$2 dir=$TARGET_DIR/php-zts83 includes
    includes=$("$PREFIX/bin/php-config" --includes)
    # PHP's headers are not ours to hold to -Wextra.
    # shellcheck disable=SC2086 # the include options are meant to split
    cc -Wall -Wextra -Werror -o "$dir/threads" tests/php-zts/threads.c ${includes//-I/-isystem } \
        -L"$PREFIX/lib" -Wl,-rpath,"$PREFIX/lib" -lphp -pthread
    printf 'extension=%s\nsequra.persistent=0\n' "$dir/debug/libsequra_php.so" >"$dir/threads.ini"
    "$dir/threads" "$dir/threads.ini" tests/php-zts/request.php tests/php-zts/after.php \
        "$threads" "$requests"
}

main() {
    cd "$ROOT"
    if [ -n "${SEQURA_SKIP_ZTS:-}" ]; then
        echo "skipped: $SEQURA_SKIP_ZTS"
        exit "$UNREACHABLE"
    fi
    ensure_build_packages
    build_php
    # The sandbox from this repository's usual target directory; the
    # extension into one of its own, as scripts/php-chroot.sh does.
    if [ -z "${SEQURA_SANDBOX_URL:-}" ]; then
        cargo build --quiet -p sequra-sandbox
        start_sandbox
    fi
    local start=$SECONDS
    PATH="$PREFIX/bin:$PATH" PHP="$PREFIX/bin/php" PHP_CONFIG="$PREFIX/bin/php-config" \
        CARGO_TARGET_DIR="$TARGET_DIR/php-zts83" bash scripts/php-tests.sh
    say "PHP $VERSION (ZTS): php --ri sequra"
    "$PREFIX/bin/php" -n -d extension="$TARGET_DIR/php-zts83/debug/libsequra_php.so" --ri sequra
    say "PHP $VERSION (ZTS): tests/php-zts/threads.c, 8 threads of 5 requests each"
    threaded_run 8 5
    echo "PHP $VERSION (ZTS): the extension's build, tests/php, the examples and the threaded run took $((SECONDS - start))s"
    echo "PHP $VERSION (ZTS): passed"
}

main "$@"
