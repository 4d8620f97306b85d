# The C package: libsequra built by cargo (release) and installed where C
# programs find it with pkg-config.
#
#   make install PREFIX=/usr/local       (DESTDIR=... stages it for a package)
#     include/sequra.h                   with SEQURA_VERSION_* (= sq_version())
#     lib/libsequra.so.<major>           SONAME libsequra.so.<major> (c-api/build.rs)
#     lib/libsequra.so -> libsequra.so.<major>
#     lib/libsequra.a
#     lib/pkgconfig/sequra.pc            Libs.private: what the static library needs
#     share/sequra/valgrind.supp         what valgrind must pass over (ring's assembly)
#     share/doc/sequra/LICENSE           the library's license, and the licenses
#     share/doc/sequra/THIRD-PARTY-LICENSES  of the crates compiled into it
#   make install-static PREFIX=...       all but the shared library
#   make uninstall PREFIX=...
#
# A program links with $(pkg-config --cflags --libs sequra). With both
# libraries in one directory the linker takes libsequra.so, so a program
# that links statically ($(pkg-config --static --cflags --libs sequra))
# uses a prefix made by install-static. See docs/install.md.

PREFIX ?= /usr/local
CARGO ?= cargo
INSTALL ?= install
TARGET_DIR ?= $(or $(CARGO_TARGET_DIR),target)
RELEASE := $(TARGET_DIR)/release

# The version of the crate, which sq_version() returns: the workspace's,
# read from Cargo.toml without cargo, so that `sudo make install` (whose
# PATH seldom has cargo) and `make uninstall` name the same files.
VERSION := $(shell sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' Cargo.toml)
MAJOR := $(firstword $(subst ., ,$(VERSION)))
SONAME := libsequra.so.$(MAJOR)

LIBDIR := $(DESTDIR)$(PREFIX)/lib
INCLUDEDIR := $(DESTDIR)$(PREFIX)/include
DATADIR := $(DESTDIR)$(PREFIX)/share/sequra
DOCDIR := $(DESTDIR)$(PREFIX)/share/doc/sequra
PCDIR := $(LIBDIR)/pkgconfig
NATIVE_LIBS := $(RELEASE)/sequra-native-static-libs

.PHONY: all build install install-static install-header install-pc install-data uninstall

all: build

# One cargo command, always the same (so cargo rebuilds only what changed):
# it builds both libraries and has rustc name the system libraries the
# static one needs (cargo repeats that note when nothing was rebuilt).
build:
	@mkdir -p $(RELEASE)
	@if ! command -v $(CARGO) >/dev/null && test -s $(NATIVE_LIBS); then \
		echo "$(CARGO) is not on PATH (sudo?): installing what make built in $(RELEASE)"; exit 0; fi; \
	$(CARGO) rustc --release --locked -p sequra-capi --lib -- --print native-static-libs 2>$(RELEASE)/sequra-build.log || \
		{ cat $(RELEASE)/sequra-build.log >&2; exit 1; }
	@sed -n 's/.*native-static-libs: //p' $(RELEASE)/sequra-build.log | tail -n 1 >$(NATIVE_LIBS)
	@test -s $(NATIVE_LIBS) || { echo "rustc named no native-static-libs (see $(RELEASE)/sequra-build.log)" >&2; exit 1; }

install: install-static
	$(INSTALL) -m 755 $(RELEASE)/libsequra.so $(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(LIBDIR)/libsequra.so

install-static: build install-header install-pc install-data
	$(INSTALL) -d $(LIBDIR)
	$(INSTALL) -m 644 $(RELEASE)/libsequra.a $(LIBDIR)/libsequra.a

install-header:
	$(INSTALL) -d $(INCLUDEDIR)
	$(INSTALL) -m 644 include/sequra.h $(INCLUDEDIR)/sequra.h

# What valgrind must pass over in any program that links libsequra (the
# AES-GCM assembly of ring, which memcheck does not follow): for
# valgrind --suppressions=$(PREFIX)/share/sequra/valgrind.supp. And
# seQura's example order, every field of the order document (the header
# points at it). The licenses go with the libraries: those of the crates
# compiled into them ask for their texts to go with a binary.
install-data:
	$(INSTALL) -d $(DATADIR) $(DOCDIR)
	$(INSTALL) -m 644 tests/c/valgrind.supp $(DATADIR)/valgrind.supp
	$(INSTALL) -m 644 core/tests/fixtures/seed_order.json $(DATADIR)/seed_order.json
	$(INSTALL) -m 644 LICENSE THIRD-PARTY-LICENSES $(DOCDIR)

install-pc: build
	$(INSTALL) -d $(PCDIR)
	printf '%s\n' \
		'prefix=$(PREFIX)' \
		'libdir=$${prefix}/lib' \
		'includedir=$${prefix}/include' \
		'' \
		'Name: sequra' \
		'Description: seQura payments (buy now, pay later) and partner flows: the C ABI of the sequra library' \
		'Version: $(VERSION)' \
		'Libs: -L$${libdir} -lsequra' \
		"Libs.private: $$(cat $(NATIVE_LIBS))" \
		'Cflags: -I$${includedir}' >$(PCDIR)/sequra.pc

uninstall:
	rm -f $(INCLUDEDIR)/sequra.h $(LIBDIR)/$(SONAME) $(LIBDIR)/libsequra.so \
		$(LIBDIR)/libsequra.a $(PCDIR)/sequra.pc $(DATADIR)/valgrind.supp \
		$(DATADIR)/seed_order.json $(DOCDIR)/LICENSE $(DOCDIR)/THIRD-PARTY-LICENSES
	-rmdir $(DATADIR) $(DOCDIR) $(PCDIR) 2>/dev/null
