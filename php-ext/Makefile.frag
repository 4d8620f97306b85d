# Appended by config.m4 to phpize's Makefile: modules/sequra.so is the
# release sequra-php library that cargo builds. make always asks cargo,
# which rebuilds only what changed. make install (which PIE may run through
# sudo, where cargo is not on PATH) installs what make built and only
# builds when nothing was.
SEQURA_INSTALLING = $(filter install install-modules,$(MAKECMDGOALS))

$(phplibdir)/sequra.so: sequra-cargo
	@if test -n "$(SEQURA_INSTALLING)" && test -f $@; then exit 0; fi; \
	cd $(srcdir) && \
	echo "cargo build --release --locked -p sequra-php" && \
	PHP_CONFIG="$(SEQURA_PHP_CONFIG)" PHP="$(PHP_EXECUTABLE)" \
		"$(CARGO)" build --release --locked -p sequra-php && \
	target_dir=`"$(CARGO)" metadata --format-version 1 --no-deps | \
		sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p'` && \
	cp "$$target_dir/release/libsequra_php.so" $@

.PHONY: sequra-cargo
sequra-cargo:
