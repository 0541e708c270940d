# odflash — GNU make build.  Targets:
#   make            library, odflash, odemu, libodemu-preload.so
#   make check      every test: unit (cmocka) + end-to-end, plain and under
#                   ASan+UBSan, valgrind on the unit tests, cppcheck
#   make check-sweep / check-sweep-full  issue #12's ground-truth sweep
#   make check-garbage-full  10,000 seeds of the lying drive (issue #18)
#   make static     statically linked odflash (rescue media)
#   make install    PREFIX=/usr/local DESTDIR=
#   make deps       install the Debian packages the build and tests need
#   make demo       the main job: a flash session on an emulated drive
#   make fuzz       fuzz the image parsers (FUZZ_SECONDS per target)
#   make bench      benchmarks under bench/
# Variables: CC=gcc|clang, SAN=1 (sanitizer build in build/san).

CC      ?= cc
PREFIX  ?= /usr/local
DESTDIR ?=
VERSION := 0.1.0

ifeq ($(SAN),1)
B       := build/san
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
            -fno-sanitize-recover=all
else
B       := build
SANFLAGS :=
endif

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wformat=2 -Wno-format-nonliteral
CFLAGS  ?= -O2 -g
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE -fPIC $(WARN) $(CFLAGS) $(SANFLAGS) \
              -Iinclude -Ilib -Iemu -DODF_VERSION='"$(VERSION)"'
LDFLAGS ?=
ALL_LDFLAGS := $(LDFLAGS) $(SANFLAGS)
LIBS    := -lsgutils2 -ljson-c -lnettle -lm

LIB_SRC  := $(sort $(wildcard lib/*/*.c))
EMU_SRC  := $(sort $(wildcard emu/*.c))
PRE_SRC  := $(sort $(wildcard emu/preload/*.c))
TCMU_SRC := $(sort $(wildcard emu/tcmu/*.c))
ODF_SRC  := $(sort $(wildcard cli/odflash/*.c))
EMUC_SRC := $(sort $(wildcard cli/odemu/*.c))
CLIC_SRC := $(sort $(wildcard cli/common/*.c))
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
TESTH_SRC:= $(sort $(wildcard tests/unit/helper_*.c))
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
BENCH_SRC:= $(sort $(wildcard bench/bench_*.c))

obj = $(patsubst %.c,$(B)/obj/%.o,$(1))

LIBODF   := $(B)/libodf.a
SOVER    := 0
LIBODF_SO:= $(B)/libodf.so.$(SOVER)
LIBODEMU := $(B)/libodemu.a
ODFLASH  := $(B)/odflash
ODEMU    := $(B)/odemu
PRELOAD  := $(B)/libodemu-preload.so
TESTS    := $(patsubst tests/unit/%.c,$(B)/tests/%,$(TEST_SRC))
BENCHES  := $(patsubst bench/%.c,$(B)/bench/%,$(BENCH_SRC))

# libodemu uses libodf (public API, image library) and registers its emu:
# transport backend with libodf (odemu_transport_register); libodf never
# calls the emulator, so no link cycle: libodemu comes first.
LINK_LIBS := $(LIBODEMU) $(LIBODF) $(LIBS)

.PHONY: all check check-rig check-sweep check-sweep-full check-garbage-full unit e2e static \
        install deps demo \
        fuzz bench clean docs \
        cppcheck valgrind layers tidy
all: $(LIBODF) $(LIBODF_SO) $(LIBODEMU) $(ODFLASH) $(ODEMU) $(PRELOAD) $(B)/gen-drives

$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(LIBODF): $(call obj,$(LIB_SRC))
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^
# The shared library: soname libodf.so.$(SOVER), only odf_ symbols
# exported (lib/libodf.map).
$(LIBODF_SO): $(call obj,$(LIB_SRC)) lib/libodf.map
	$(CC) $(ALL_LDFLAGS) -shared -Wl,-soname,libodf.so.$(SOVER) \
	  -Wl,--version-script=lib/libodf.map -Wl,--no-undefined \
	  -o $@ $(call obj,$(LIB_SRC)) $(LIBS)
	ln -sf libodf.so.$(SOVER) $(B)/libodf.so
$(LIBODEMU): $(call obj,$(EMU_SRC))
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^
$(ODFLASH): $(call obj,$(ODF_SRC) $(CLIC_SRC)) $(LIBODF) $(LIBODEMU)
	$(CC) $(ALL_LDFLAGS) -o $@ $(call obj,$(ODF_SRC) $(CLIC_SRC)) $(LINK_LIBS) -lpthread
$(ODEMU): $(call obj,$(EMUC_SRC) $(TCMU_SRC) $(CLIC_SRC)) $(LIBODF) $(LIBODEMU)
	$(CC) $(ALL_LDFLAGS) -o $@ $(call obj,$(EMUC_SRC) $(TCMU_SRC) $(CLIC_SRC)) $(LINK_LIBS) -lpthread
$(PRELOAD): $(call obj,$(PRE_SRC)) $(LIBODF) $(LIBODEMU)
	$(CC) $(ALL_LDFLAGS) -shared -o $@ $(call obj,$(PRE_SRC)) $(LINK_LIBS) -ldl

# test_noemu_*: linked with libodf alone (a program without the emulator)
$(B)/tests/test_noemu_%: $(B)/obj/tests/unit/test_noemu_%.o $(LIBODF)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(LIBODF) $(LIBS) -lcmocka
$(B)/tests/%: $(B)/obj/tests/unit/%.o $(call obj,$(TESTH_SRC)) $(LIBODF) $(LIBODEMU)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(call obj,$(TESTH_SRC)) $(LINK_LIBS) -lcmocka
$(B)/bench/%: $(B)/obj/bench/%.o $(LIBODF) $(LIBODEMU)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(LINK_LIBS) -lpthread

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)

# ---- tests ----------------------------------------------------------------
# tests/run.sh runs every unit binary and every tests/e2e/*.sh and prints
# the closing line "N passed, N failed".
unit: all $(TESTS)
e2e: all
check:
	$(MAKE) all $(TESTS)
	$(MAKE) SAN=1 all $(TESTS)
	$(MAKE) cppcheck layers
	ODF_BUILD=build/san ODF_VALGRIND_BUILD=build tests/run.sh

cppcheck:
	cppcheck --quiet --error-exitcode=1 --std=c11 --inline-suppr \
	  --enable=warning,portability,performance \
	  --suppress=missingIncludeSystem -Iinclude -Ilib -Iemu \
	  lib emu cli

layers:
	CC=$(CC) ODF_LAYERS_OBJ=$(B)/obj tools/check-layers.sh
	tools/check-lib-words.sh

# The real-kernel rig (QEMU guest, tests/e2e/rig.sh) alone; `make check`
# runs it too (ODF_RIG=0 skips it).
check-rig: all
	ODF_BUILD=build ODF_TEST_FILTER=rig tests/run.sh

# Issue #12's ground-truth sweep (tests/sweep/truth_sweep.sh): what odflash
# says against the emulated flash, over power cuts, signals, EIO and bridge
# caps at every command index.  `make check` runs a sampled subset of it
# (tests/e2e/truth_sweep.sh: two models); check-sweep samples every model;
# check-sweep-full runs every index of every model (SWEEP_JOBS=N runs cases
# in parallel).
check-sweep: all
	ODF_BIN=build tests/sweep/truth_sweep.sh
check-sweep-full: all
	SWEEP_FULL=1 ODF_BIN=build tests/sweep/truth_sweep.sh

# issue #18's lying drive: make check runs tests/e2e/garbage_answers.sh
# with 150 seeds; this runs 10,000 (GARBAGE_JOBS=N lanes at once).
check-garbage-full: all
	GARBAGE_SEEDS=10000 GARBAGE_JOBS=$${GARBAGE_JOBS:-2} ODF_BIN=build \
		tests/e2e/garbage_answers.sh

valgrind: all $(TESTS)
	ODF_BUILD=build ODF_VALGRIND_BUILD=build ODF_ONLY_VALGRIND=1 tests/run.sh

tidy:
	clang-tidy --quiet $(LIB_SRC) $(EMU_SRC) -- -std=c11 -D_GNU_SOURCE -Iinclude -Ilib -Iemu

# ---- other targets -----------------------------------------------------------
# docs/supported-drives.md is generated from the driver registry.
$(B)/gen-drives: $(B)/obj/tools/gen-drives.o $(LIBODF) $(LIBODEMU)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(LINK_LIBS)
docs: $(B)/gen-drives
	$(B)/gen-drives >docs/supported-drives.md

static: $(call obj,$(ODF_SRC) $(CLIC_SRC) $(EMUC_SRC) $(TCMU_SRC)) $(LIBODF) $(LIBODEMU)
	$(CC) -static $(ALL_LDFLAGS) -o $(B)/odflash-static \
	  $(call obj,$(ODF_SRC) $(CLIC_SRC)) $(LINK_LIBS) -lpthread
	$(CC) -static $(ALL_LDFLAGS) -o $(B)/odemu-static \
	  $(call obj,$(EMUC_SRC) $(TCMU_SRC) $(CLIC_SRC)) $(LINK_LIBS) -lpthread

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/odflash \
	  $(DESTDIR)$(PREFIX)/include/odf $(DESTDIR)$(PREFIX)/include/odemu \
	  $(DESTDIR)$(PREFIX)/lib/pkgconfig \
	  $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 755 $(ODFLASH) $(ODEMU) $(DESTDIR)$(PREFIX)/bin/
	install -m 755 $(PRELOAD) $(DESTDIR)$(PREFIX)/lib/odflash/
	install -m 644 docs/odflash.1 docs/odemu.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 tools/completion.bash \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions/odflash
	install -m 644 include/odf/*.h $(DESTDIR)$(PREFIX)/include/odf/
	install -m 644 $(LIBODF) $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(LIBODF_SO) $(DESTDIR)$(PREFIX)/lib/
	ln -sf libodf.so.$(SOVER) $(DESTDIR)$(PREFIX)/lib/libodf.so
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@VERSION@|$(VERSION)|' tools/odflash.pc.in \
	  >$(DESTDIR)$(PREFIX)/lib/pkgconfig/odflash.pc
	install -m 644 include/odemu/*.h $(DESTDIR)$(PREFIX)/include/odemu/
	install -m 644 $(LIBODEMU) $(DESTDIR)$(PREFIX)/lib/
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@VERSION@|$(VERSION)|' tools/odemu.pc.in \
	  >$(DESTDIR)$(PREFIX)/lib/pkgconfig/odemu.pc

deps:
	tools/deps.sh

demo: all
	tools/demo.sh

fuzz:
	tools/fuzz.sh

bench: all $(BENCHES)
	tools/bench.sh

clean:
	rm -rf build
