dnl The phpize route (phpize && ./configure && make && make install), which
dnl PIE drives: the extension is Rust, so configure only finds cargo and
dnl Makefile.frag has cargo build the release sequra-php, copied to
dnl modules/sequra.so, which phpize's make install puts in the extension
dnl directory (under $INSTALL_ROOT when set).

PHP_ARG_ENABLE([sequra],
  [whether to build the sequra extension],
  [AS_HELP_STRING([--disable-sequra], [Do not build the sequra extension])],
  [yes])

if test "$PHP_SEQURA" != "no"; then
  AC_PATH_PROG([CARGO], [cargo], [no])
  if test "$CARGO" = "no"; then
    AC_MSG_ERROR([cargo not found: the sequra extension is written in Rust; install a Rust toolchain (https://rustup.rs) and put cargo on PATH])
  fi
  dnl ext-php-rs, which cargo builds, finds this PHP's headers through
  dnl PHP_CONFIG, which must be a path (--with-php-config may give a name).
  case $PHP_CONFIG in
    */*) SEQURA_PHP_CONFIG=$PHP_CONFIG ;;
    *) SEQURA_PHP_CONFIG=`command -v "$PHP_CONFIG"` ;;
  esac
  PHP_SUBST([CARGO])
  PHP_SUBST([SEQURA_PHP_CONFIG])
  dnl No C sources: the one module is the library cargo builds.
  PHP_MODULES='$(phplibdir)/sequra.so'
  dnl phpize's configure makes the build directories it is given: this one.
  PHP_ADD_BUILD_DIR([modules])
  dnl Named in full: without PHP_NEW_EXTENSION there is no ext_srcdir.
  PHP_ADD_MAKEFILE_FRAGMENT([$abs_srcdir/Makefile.frag], [$abs_srcdir], [$abs_builddir])
fi
