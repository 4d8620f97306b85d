#!/usr/bin/env bash
# The phpize route, the one PIE drives (composer.json: build-path php-ext):
# phpize && ./configure && make && make install INSTALL_ROOT=<dir> in a
# copy of the sources (phpize writes many files), then loads the installed
# sequra.so with php -n. Cargo's release build is kept in target/phpize/cargo
# between runs; the copy and the install are removed.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

require_php_headers
command -v phpize >/dev/null || die "phpize is missing: install php$(php_version)-dev"

work="$TARGET_DIR/phpize"
remove_work() { rm -rf "$work/src" "$work/root"; }
remove_work
at_exit remove_work

# The sources as they are (tracked and new files), modification times kept
# so that cargo finds its earlier build in target/phpize/cargo fresh.
say "copying the sources to $work/src"
mkdir -p "$work/src"
git ls-files -z --cached --others --exclude-standard |
    while IFS= read -r -d '' file; do [ -e "$file" ] && printf '%s\0' "$file"; done |
    tar --null -T - -cf - | tar -C "$work/src" -xf -

cd "$work/src/php-ext"
export CARGO_TARGET_DIR="$work/cargo"
say "phpize && ./configure && make && make install INSTALL_ROOT=$work/root"
phpize >"$work/phpize.log"
./configure >"$work/configure.log"
make
make install INSTALL_ROOT="$work/root"

extension_dir="$work/root$(php-config --extension-dir)"
[ -f "$extension_dir/sequra.so" ] || die "make install put no sequra.so in $extension_dir"
say "loading $extension_dir/sequra.so"
modules=$(php -n -d extension_dir="$extension_dir" -d extension=sequra -m)
grep -qx sequra <<<"$modules" || die "php -d extension=sequra -m does not list sequra"
php -n -d extension_dir="$extension_dir" -d extension=sequra -r 'echo "sequra ", phpversion("sequra"), " loads\n";'
