# odflash — GNU make build.  Targets:
#   make            library, odflash, odemu, libodemu-preload.so
#   make check      every test: unit (cmocka) + end-to-end, plain and under
#                   ASan+UBSan, valgrind on the unit tests, cppcheck, and
#                   the Windows programs under Wine (tests/e2e/windows.sh,
#                   and windows_spti.sh: odflash.exe through Wine's SPTI)
#   make windows    odflash.exe, odemu.exe: build/odflash-windows.zip
#   make check-windows  the Windows programs and unit tests under Wine
#   make check-sweep / check-sweep-full  issue #12's ground-truth sweep
#   make check-garbage-full  10,000 seeds of the lying drive (issue #18)
#   make static     statically linked odflash (rescue media)
#   make rescue     build/odflash-rescue.img, the bootable USB/CD image
#   make check-rescue  boot it in QEMU (SeaBIOS, OVMF): flash, cut, recover,
#                   the menu over the serial port, CD boot (make check
#                   runs the flash, cut and recover boots)
#   make install    PREFIX=/usr/local DESTDIR=
#   make deps       install the Debian packages the build and tests need
#   make demo       the main job: a flash session on an emulated drive
#   make fuzz       fuzz every parser (tools/fuzz.sh; FUZZ_ARGS, e.g.
#                   FUZZ_ARGS="--budget 2000000 --targets inquiry")
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

# odflash-gtk (gui/, issue #16): built when pkg-config finds GTK 4
# (libgtk-4-dev, `make deps`); without it `make` builds the rest and says
# so.  GTK's headers come in as system headers (-isystem): our -W flags
# are for our code.  The .ui files are compiled in (glib-compile-resources).
GUI_SRC  := $(sort $(wildcard gui/*.c))
GTK_CFLAGS := $(shell pkg-config --cflags gtk4 2>/dev/null | sed 's/-I/-isystem /g')
GTK_LIBS := $(shell pkg-config --libs gtk4 2>/dev/null)
GUI      := $(B)/odflash-gtk
GUI_RES  := $(B)/gui/resources.c
ifneq ($(GTK_LIBS),)
GUI_ALL  := $(GUI)
else
$(warning odflash-gtk is not built: GTK 4 (libgtk-4-dev) not found; make deps installs it)
endif

# libodemu uses libodf (public API, image library) and registers its emu:
# transport backend with libodf (odemu_transport_register); libodf never
# calls the emulator, so no link cycle: libodemu comes first.
LINK_LIBS := $(LIBODEMU) $(LIBODF) $(LIBS)

.PHONY: all check check-rig check-rescue check-sweep check-sweep-full check-garbage-full unit e2e static static-bins \
        rescue install deps demo \
        fuzz bench clean docs \
        cppcheck valgrind layers tidy
all: $(LIBODF) $(LIBODF_SO) $(LIBODEMU) $(ODFLASH) $(ODEMU) $(PRELOAD) $(B)/gen-drives \
     $(GUI_ALL)

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

$(call obj,$(GUI_SRC)) $(B)/obj/gui/resources.o: ALL_CFLAGS += $(GTK_CFLAGS)
$(GUI_RES): gui/odflash-gtk.gresource.xml $(wildcard gui/*.ui)
	@mkdir -p $(dir $@)
	glib-compile-resources --sourcedir=gui --generate-source \
	  --c-name=odflash_gtk --target=$@ $<
$(B)/obj/gui/resources.o: $(GUI_RES)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -c $< -o $@
$(GUI): $(call obj,$(GUI_SRC)) $(B)/obj/gui/resources.o \
	$(B)/obj/cli/common/statedir.o $(LIBODF) $(LIBODEMU)
	$(CC) $(ALL_LDFLAGS) -o $@ $(call obj,$(GUI_SRC)) \
	  $(B)/obj/gui/resources.o $(B)/obj/cli/common/statedir.o \
	  $(LINK_LIBS) $(GTK_LIBS) -lpthread

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
# Where each test runs (CONTRIBUTING.md "Tests"): every unit binary and
# e2e script under ASan+UBSan (build/san), but the ground-truth sweeps
# (tests/sweep/, their truth in the emulated flash, not in memory) in the
# plain build only, and so the family matrices that cost 320-350 CPU-s
# each under ASan (family_mtkff, family_mt1959, family_pioneer,
# family_plextor, family_btc: power cuts at many indexes; their driver
# paths run under ASan in family_mtkff_mt1339, mt1959_rules, btcflash,
# family_pioneer104,
# test_session_sweep's plextor-px716, the unit tests and the fuzz smoke); test_session_sweep
# sampled under ASan and valgrind
# and whole in the plain build; valgrind on every unit binary of the
# plain build but test_session_sweep (sampled under ASan, whole in plain).
# power_cuts_nec (a power cut at 115 command indexes of an NEC flash, each
# recovered) in the plain build only: the executor's paths run under ASan
# in flash_pipeline, pipeline_faults and test_session_sweep.
# windows_spti in the plain build only: Wine loads libodemu-preload.so
# into its processes, which an ASan build of it cannot live in.
CHECK_PLAIN      := test_session_sweep
CHECK_PLAIN_ONLY := truth_sweep truth_sweep_nec truth_sweep_found family_mtkff family_mt1959 power_cuts_nec \
                    family_pioneer family_plextor family_btc windows_spti
CHECK_VG_SKIP    := test_session_sweep
# The static odflash/odemu are built here, once, for the rig
# (tests/e2e/rig.sh) and the rescue boot test (tests/e2e/rescue.sh), which
# run side by side and would otherwise each run make static in build/
# (RIG_SKIP_MAKE=1: tests/rig/build.sh and tools/mkrescue.sh only check
# the binaries).
check:
	$(MAKE) all $(TESTS)
	$(MAKE) static
	$(MAKE) SAN=1 all $(TESTS)
	$(MAKE) cppcheck layers
	RIG_SKIP_MAKE=1 \
	ODF_BUILD=build/san ODF_VALGRIND_BUILD=build ODF_PLAIN_BUILD=build \
	  ODF_PLAIN_TESTS="$(CHECK_PLAIN)" ODF_PLAIN_ONLY="$(CHECK_PLAIN_ONLY)" \
	  ODF_VALGRIND_SKIP="$(CHECK_VG_SKIP)" tests/run.sh

cppcheck:
	cppcheck --quiet --error-exitcode=1 --std=c11 --inline-suppr \
	  --enable=warning,portability,performance \
	  --suppress=missingIncludeSystem -Iinclude -Ilib -Iemu \
	  lib emu cli gui

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
# (tests/e2e/truth_sweep.sh: two models; truth_sweep_nec.sh: the NEC
# models, lean: SWEEP_LEAN=1); check-sweep samples every model;
# check-sweep-full runs every index of every model (SWEEP_JOBS=N runs cases
# in parallel).
# The rescue image (issue #17, tools/mkrescue.sh) and its QEMU boot test
# (tests/rescue/boot-test.sh).  `make check` runs its three job boots of
# the test image as a USB stick (tests/e2e/rescue.sh, RESCUE_PART=jobs:
# SeaBIOS flash with backup and read-back, OVMF power cut, SeaBIOS
# recover; minutes under TCG on the shared 2-core machine, whose KVM is
# unusable: tests/rig/accel.sh; ODF_RESCUE=0 leaves it out);
# check-rescue runs all six boots: those plus the shipped image's menu
# over the serial port on SeaBIOS and OVMF and its CD boot.
rescue:
	tools/mkrescue.sh
check-rescue: all
	ODF_BIN=build tests/rescue/boot-test.sh

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

# make static: odflash-static and odemu-static (the rescue image, the rig),
# built apart in $(B)/static for size: -Os, a section per function and
# datum dropped when unused (--gc-sections), stripped, and -DODF_NO_NSS
# (cli/common/statedir.c: no getpwuid, whose NSS pulls glibc's dynamic
# loader into a static binary), no unwind tables (C code that nothing
# unwinds: no pthread_cancel, no backtrace).  Copied to $(B)/.
# Measured (gcc 12, Debian 12): odflash-static 1,424,936 bytes without
# -fno-*unwind-tables, 1,388,072 with; -flto took 4 KB more off, not
# kept; glibc's libc.a alone is 883 KB of it (ld -Map), so binflash's
# 843,112 bytes is out of reach of a static glibc build.
STATIC_CFLAGS := -Os -ffunction-sections -fdata-sections -DODF_NO_NSS \
                 -fno-asynchronous-unwind-tables -fno-unwind-tables
static:
	$(MAKE) B=$(B)/static CFLAGS="$(STATIC_CFLAGS)" \
	  LDFLAGS="-Wl,--gc-sections -s" static-bins
	cp $(B)/static/odflash-static $(B)/static/odemu-static $(B)/
static-bins: $(call obj,$(ODF_SRC) $(CLIC_SRC) $(EMUC_SRC) $(TCMU_SRC)) $(LIBODF) $(LIBODEMU)
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
ifneq ($(GTK_LIBS),)
	install -d $(DESTDIR)$(PREFIX)/share/applications \
	  $(DESTDIR)$(PREFIX)/share/icons/hicolor/scalable/apps
	install -m 755 $(GUI) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 gui/odflash-gtk.desktop $(DESTDIR)$(PREFIX)/share/applications/
	install -m 644 gui/odflash-gtk.svg \
	  $(DESTDIR)$(PREFIX)/share/icons/hicolor/scalable/apps/
endif
	install -m 644 $(LIBODEMU) $(DESTDIR)$(PREFIX)/lib/
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@VERSION@|$(VERSION)|' tools/odemu.pc.in \
	  >$(DESTDIR)$(PREFIX)/lib/pkgconfig/odemu.pc

# The Windows libraries are cross-built from Debian's sources here, once
# (cached in build/win/deps), so `make check` only builds the programs.
deps:
	tools/deps.sh
	if command -v x86_64-w64-mingw32-gcc-posix >/dev/null 2>&1; then \
	  tools/deps-windows.sh $(WIN); fi

demo: all
	tools/demo.sh

fuzz:
	tools/fuzz.sh $(FUZZ_ARGS)

bench: all $(BENCHES)
	tools/bench.sh

clean:
	rm -rf build

# ---- Windows (issue #19) ------------------------------------------------------
# make windows: odflash.exe and odemu.exe for x86_64-w64-mingw32 (Debian's
# mingw-w64; the posix thread model for the emulator's pthread_once and
# nanosleep), statically linked against libsgutils2 (SPTI), json-c and
# nettle cross-built from Debian's source packages by tools/deps-windows.sh
# into build/win/deps (cached), packed into build/odflash-windows.zip.
# make check-windows: the unit tests and the emu: scenarios under Wine
# (tests/windows/check.sh).  Files open in binary mode through
# lib/util/platform.h's O_CLOEXEC.  -Wno-format: the code's
# printf attributes mean ms_printf to mingw's gcc, while the C99 printf of
# __USE_MINGW_ANSI_STDIO is what runs; the formats are checked by the
# Linux builds (gcc and clang).
WIN        := build/win
WIN_CC     ?= x86_64-w64-mingw32-gcc-posix
WIN_DEPS   := $(WIN)/deps
WIN_CFLAGS := -std=c11 -D_GNU_SOURCE -D__USE_MINGW_ANSI_STDIO=1 $(WARN) \
              -Wno-format -O2 -g -Iinclude -Ilib -Iemu -isystem $(WIN_DEPS)/include \
              -DODF_VERSION='"$(VERSION)"'
WIN_LIBS   := -L$(WIN_DEPS)/lib -lsgutils2 -ljson-c -lnettle -lm
WIN_LDFLAGS:= -static
WIN_TCMU_SRC := $(filter-out emu/tcmu/tcmu.c,$(TCMU_SRC))
# unit tests that run on Windows: all but the ones about Linux itself
# (sysfs names, the LD_PRELOAD library, fork/kill of the emulator state,
# open errors on Linux nodes such as /dev/null, odemu run through a POSIX
# shell); the Windows device names are pinned by tests/windows/check.sh
WIN_TEST_SKIP := test_devname test_emu_preload test_emu_state \
                 test_transport_dispatch test_scsi_runners
WIN_TESTS  := $(patsubst %,$(WIN)/tests/%.exe,$(filter-out $(WIN_TEST_SKIP),\
              $(patsubst tests/unit/%.c,%,$(TEST_SRC))))
win_obj     = $(patsubst %.c,$(WIN)/obj/%.o,$(1))
WIN_STAMP  := $(WIN_DEPS)/.stamp-all
WIN_ZIP    := build/odflash-windows.zip

.PHONY: windows windows-deps windows-tests check-windows check-windows-full
windows: $(WIN_ZIP)
windows-deps $(WIN_STAMP):
	tools/deps-windows.sh $(WIN)
$(WIN)/obj/%.o: %.c | $(WIN_STAMP)
	@mkdir -p $(dir $@)
	$(WIN_CC) $(WIN_CFLAGS) -MMD -MP -c $< -o $@
$(WIN)/libodf.a: $(call win_obj,$(LIB_SRC))
	rm -f $@ && x86_64-w64-mingw32-ar rcs $@ $^
$(WIN)/libodemu.a: $(call win_obj,$(EMU_SRC))
	rm -f $@ && x86_64-w64-mingw32-ar rcs $@ $^
$(WIN)/odflash.exe: $(call win_obj,$(ODF_SRC) $(CLIC_SRC)) $(WIN)/libodf.a $(WIN)/libodemu.a
	$(WIN_CC) -o $@ $(call win_obj,$(ODF_SRC) $(CLIC_SRC)) $(WIN)/libodemu.a \
	  $(WIN)/libodf.a $(WIN_LIBS) $(WIN_LDFLAGS)
$(WIN)/odemu.exe: $(call win_obj,$(EMUC_SRC) $(WIN_TCMU_SRC) $(CLIC_SRC)) $(WIN)/libodf.a $(WIN)/libodemu.a
	$(WIN_CC) -o $@ $(call win_obj,$(EMUC_SRC) $(WIN_TCMU_SRC) $(CLIC_SRC)) \
	  $(WIN)/libodemu.a $(WIN)/libodf.a $(WIN_LIBS) $(WIN_LDFLAGS)
$(WIN)/tests/test_noemu_%.exe: $(WIN)/obj/tests/unit/test_noemu_%.o $(WIN)/libodf.a
	@mkdir -p $(dir $@)
	$(WIN_CC) -o $@ $< $(WIN)/libodf.a $(WIN_LIBS) -lcmocka-static $(WIN_LDFLAGS)
$(WIN)/tests/%.exe: $(WIN)/obj/tests/unit/%.o $(call win_obj,$(TESTH_SRC)) $(WIN)/libodf.a $(WIN)/libodemu.a
	@mkdir -p $(dir $@)
	$(WIN_CC) -o $@ $< $(call win_obj,$(TESTH_SRC)) $(WIN)/libodemu.a \
	  $(WIN)/libodf.a $(WIN_LIBS) -lcmocka-static $(WIN_LDFLAGS)
windows-tests: $(WIN)/odflash.exe $(WIN)/odemu.exe $(WIN_TESTS)
# licences: the Debian copyright files of the three libraries and of the
# mingw-w64 runtime (CRT, winpthreads) and GCC's runtime linked in
$(WIN_ZIP): $(WIN)/odflash.exe $(WIN)/odemu.exe docs/README-windows.txt
	rm -rf $(WIN)/zip && mkdir -p $(WIN)/zip/odflash/licenses
	cp $(WIN)/odflash.exe $(WIN)/odemu.exe $(WIN)/zip/odflash/
	cp docs/README-windows.txt $(WIN)/zip/odflash/README-windows.txt
	cp $(WIN_DEPS)/share/licenses/*.copyright $(WIN)/zip/odflash/licenses/
	cp /usr/share/doc/mingw-w64-x86-64-dev/copyright \
	  $(WIN)/zip/odflash/licenses/mingw-w64-runtime.copyright
	cp /usr/share/doc/gcc-mingw-w64-base/copyright \
	  $(WIN)/zip/odflash/licenses/gcc-runtime.copyright
	rm -f $@ && cd $(WIN)/zip && zip -q -r -X ../../odflash-windows.zip odflash
	@echo "windows: $@"
check-windows:
	tools/check-windows.sh
# every unit test program under Wine (minutes each for the emulator ones)
check-windows-full:
	ODF_WIN_FULL=1 tools/check-windows.sh
-include $(shell find $(WIN)/obj -name '*.d' 2>/dev/null)
