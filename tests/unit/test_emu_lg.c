/* odemu LG Renesas drive (lg-gsa4163b), driven by raw CDBs: the
 * devilsclaw/flasher sequence (docs/internals/protocols.md §7) flashes it;
 * misuse gets the documented sense and leaves the flash as it was; the
 * inferred rules of emu/proto_lg.c are pinned: the layout (CORE header at
 * 0x400 where devilsclaw's finder sees it, MAIN file at 0x10000), the
 * download checked at the last chunk, the
 * self diag programming while TEST UNIT READY says 02/04/07, boot mode
 * after a cut in the middle and recovery from it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fmt.h"
#include "helper_tmpdir.h"
#include "odemu/odemu.h"
#include "odf/bytes.h"
#include "odf/image.h"

#define FW_START 0x10000u
#define FW_LEN 0xF0000u

static char dir[256];
static char path[300];

static int
setup(void **st)
{
	(void)st;
	if (odf_test_mkdtemp(dir, sizeof(dir), "lg") < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/drive", dir);
	return 0;
}

static int
teardown(void **st)
{
	(void)st;
	return odf_test_rmtree(dir) == 0 ? 0 : -1;
}

static struct odemu *
new_drive(const char *version)
{
	struct odemu_new_opts o = { .version = version };
	struct odemu *e = NULL;

	unlink(path);
	assert_int_equal(odemu_create("lg-gsa4163b", path, &o, NULL), 0);
	assert_int_equal(odemu_open(path, &e, NULL), 0);
	return e;
}

/* status | host << 8; *sense = key << 16 | asc << 8 | ascq */
static int
run(struct odemu *e, const uint8_t *cdb, size_t cl, enum odf_dir d,
    void *buf, size_t len, uint32_t *sense)
{
	struct odf_cmd c;

	memset(&c, 0, sizeof(c));
	memcpy(c.cdb, cdb, cl);
	c.cdb_len = cl;
	c.dir = d;
	c.buf = buf;
	c.len = len;
	odemu_exec(e, &c);
	if (sense)
		*sense = c.sense_len ? (uint32_t)(c.sense[2] & 0x0F) << 16 |
			 (uint32_t)c.sense[12] << 8 | c.sense[13] : 0;
	return c.scsi_status | (c.host_status << 8);
}

static uint32_t
lgcmd(struct odemu *e, uint8_t op, uint8_t src, uint32_t a, void *buf,
      uint16_t len)
{
	uint8_t cdb[10] = { op, src };
	uint32_t s = 0;

	odf_put_be32(cdb + 2, a);
	odf_put_be16(cdb + 7, len);
	cdb[9] = 0x44;
	run(e, cdb, 10, op == 0x3C ? ODF_DIR_IN : ODF_DIR_OUT, buf, len, &s);
	return s;
}

static uint32_t
self_diag(struct odemu *e, uint8_t p0)
{
	static const uint8_t cdb[6] = { 0x1D, 0x01, 0x00, 0x00, 0x06, 0x00 };
	uint8_t par[6] = { p0, 0x00, 0x00, 0x00, 0x00, 0x80 };
	uint32_t s = 0;

	run(e, cdb, 6, ODF_DIR_OUT, par, 6, &s);
	return s;
}

static uint32_t
tur(struct odemu *e)
{
	static const uint8_t cdb[6] = { 0 };
	uint32_t s = 0;

	run(e, cdb, 6, ODF_DIR_NONE, NULL, 0, &s);
	return s;
}

static void
revision(struct odemu *e, char rev[5])
{
	static const uint8_t cdb[6] = { 0x12, 0, 0, 0, 0x60, 0 };
	uint8_t b[0x60];

	assert_int_equal(run(e, cdb, 6, ODF_DIR_IN, b, sizeof(b), NULL), 0);
	assert_memory_equal(b + 8, "HL-DT-STDVDRAM GSA-4163B", 24);
	memcpy(rev, b + 32, 4);
	rev[4] = 0;
}

/* devilsclaw firm_flasher: 32 KiB chunks to cache, the last to memory;
 * returns the sense of the last write */
static uint32_t
download(struct odemu *e, uint8_t *f, size_t n)
{
	uint32_t s = 0;

	for (size_t off = 0; off < n; off += 0x8000) {
		size_t k = n - off < 0x8000 ? n - off : 0x8000;

		s = lgcmd(e, 0x3B, off + k >= n ? 0x05 : 0x02,
			  (uint32_t)off, f + off, (uint16_t)k);
		if (s)
			return s;
	}
	return s;
}

static uint8_t *
image(const char *version, size_t *n)
{
	uint8_t *f = NULL;

	assert_int_equal(odemu_mkimage("lg-gsa4163b", version, &f, n, NULL),
			 0);
	assert_int_equal(*n, FW_LEN);
	return f;
}

static void
test_layout_and_flash(void **st)
{
	struct odemu *e = new_drive("1.00");
	size_t n, fl;
	uint8_t *v1 = image("1.00", &n), *v2 = image("2.00", &n);
	const uint8_t *flash = odemu_flash(e, &fl);
	uint8_t b[0x8000];
	char rev[5];

	(void)st;
	assert_int_equal(fl, 0x100000);
	/* the MAIN file as sent, at 0x10000; the CORE header at 0x400 */
	assert_memory_equal(flash + FW_START, v1, FW_LEN);
	assert_memory_equal(flash + 0x400 + 0x18, "CORE    REV LVL ", 16);
	assert_int_equal(lgcmd(e, 0x3C, 0x05, FW_START, b, 0x48), 0);
	assert_memory_equal(b, v1, 0x48);
	revision(e, rev);
	assert_string_equal(rev, "1.00");
	/* the self diag needs a checked download first */
	assert_int_equal(self_diag(e, 0x23), 0x052C00);
	assert_int_equal(download(e, v2, n), 0);
	/* the last chunk to memory commits; nothing is written before the
	 * next command, and the older sequence's self diag right after it
	 * is taken without a step (bad parameters still 05/26/00) */
	assert_memory_equal(flash + FW_START, v1, FW_LEN);
	assert_int_equal(self_diag(e, 0x22), 0x052600);
	assert_int_equal(self_diag(e, 0x23), 0);
	/* busy: erase, first half, rest + restart */
	assert_int_equal(tur(e), 0x020407);
	assert_int_equal(tur(e), 0x020407);
	assert_int_equal(tur(e), 0x020401);
	assert_int_equal(tur(e), 0x062900);
	/* no disc, tray closed: MEDIUM NOT PRESENT - TRAY CLOSED */
	assert_int_equal(tur(e), 0x023A01);
	flash = odemu_flash(e, &fl);
	assert_memory_equal(flash + FW_START, v2, FW_LEN);
	revision(e, rev);
	assert_string_equal(rev, "2.00");
	odemu_close(e);
	free(v1);
	free(v2);
}

/* devilsclaw/flasher@864b3ee as it runs on Linux: every command a 12-byte
 * CDROM_SEND_PACKET packet (flasher/lg_renesas.c lgren_write: 3B src
 * A3..A0 00 L1 L0 44, padded with 00 00), 32 KiB chunks to the cache
 * (src 02), the last to memory (src 05), no SEND DIAGNOSTIC after it
 * (firm_flasher: lgren_diag commented out).  The state file is opened
 * again while the drive writes: the write goes on. */
static void
test_devilsclaw_864b3ee_sequence(void **st)
{
	struct odemu *e = new_drive("1.00");
	size_t n, fl;
	uint8_t *v2 = image("2.00", &n);
	uint32_t s = 0;
	char rev[5];
	static const uint8_t tur12[12] = { 0 };

	(void)st;
	/* bytes after a 10-byte CDB in the packet must be zero */
	{
		uint8_t cdb[12] = { 0x3C, 0x01, 0, 0, 0, 0, 0, 0, 4, 0x44, 1 };
		uint8_t b[4];

		run(e, cdb, 12, ODF_DIR_IN, b, 4, &s);
		assert_int_equal(s, 0x052400);
	}
	for (size_t off = 0; off < n; off += 0x8000) {
		size_t k = n - off < 0x8000 ? n - off : 0x8000;
		uint8_t cdb[12] = { 0x3B, off + k >= n ? 0x05 : 0x02 };

		odf_put_be32(cdb + 2, (uint32_t)off);
		odf_put_be16(cdb + 7, (uint16_t)k);
		cdb[9] = 0x44;
		assert_int_equal(run(e, cdb, 12, ODF_DIR_OUT, v2 + off, k, &s),
				 0);
	}
	/* the 12-byte packet of a 1D self diag is a 1D too (no step) */
	{
		static const uint8_t sd[12] = { 0x1D, 0x01, 0, 0, 0x06 };
		uint8_t par[6] = { 0x23, 0, 0, 0, 0, 0x80 };

		assert_int_equal(run(e, sd, 12, ODF_DIR_OUT, par, 6, &s), 0);
	}
	run(e, tur12, 12, ODF_DIR_NONE, NULL, 0, &s);
	assert_int_equal(s, 0x020407);		/* erasing */
	odemu_close(e);
	assert_int_equal(odemu_open(path, &e, NULL), 0);
	assert_int_equal(tur(e), 0x020407);	/* first half */
	assert_int_equal(tur(e), 0x020401);	/* rest + restart */
	assert_int_equal(tur(e), 0x062900);
	assert_memory_equal(odemu_flash(e, &fl) + FW_START, v2, FW_LEN);
	revision(e, rev);
	assert_string_equal(rev, "2.00");
	odemu_close(e);
	free(v2);
}

static void
test_misuse_leaves_flash(void **st)
{
	struct odemu *e = new_drive("1.00");
	size_t n, fl;
	uint8_t *v2 = image("2.00", &n), *before, *other = NULL;
	size_t on = 0;
	uint8_t b[0x8000] = { 0 };
	uint8_t cdb[10] = { 0x3C, 0x05, 0, 0, 0, 0, 0, 0x00, 0x48, 0x45 };
	uint32_t s = 0;
	struct odf_image_spec spec = { .family = ODF_FAMILY_LG_RENESAS,
				       .target = "GDR8164B", .version = "2.00",
				       .size = FW_LEN };

	(void)st;
	before = malloc(0x100000);
	assert_non_null(before);
	{
		const uint8_t *fp = odemu_flash(e, &fl);

		memcpy(before, fp, fl);
	}
	/* byte 9 must be 'D' (0x44) */
	run(e, cdb, 10, ODF_DIR_IN, b, 0x48, &s);
	assert_int_equal(s, 0x052400);
	/* src 06 (debug) is not emulated; past the flash: 05/21/00 */
	assert_int_equal(lgcmd(e, 0x3C, 0x06, 0, b, 0x48), 0x052400);
	assert_int_equal(lgcmd(e, 0x3C, 0x05, 0xFFFFF0, b, 0x48), 0x052100);
	/* more than 32 KiB at once, a gap in the download */
	assert_int_equal(lgcmd(e, 0x3B, 0x02, 0, v2, 0x8000), 0);
	assert_int_equal(lgcmd(e, 0x3B, 0x02, 0x10000, v2, 0x8000), 0x052400);
	/* a bad checksum is refused at the last chunk */
	v2[0x2000] ^= 1;
	assert_int_equal(download(e, v2, n), 0x052600);
	v2[0x2000] ^= 1;
	assert_int_equal(self_diag(e, 0x23), 0x052C00);
	/* another model (checksum fixed) is refused too */
	assert_int_equal(odf_image_build(&spec, &other, &on, NULL), 0);
	assert_int_equal(download(e, other, on), 0x052600);
	/* a truncated download never reaches the last chunk; the diag is
	 * refused */
	assert_int_equal(lgcmd(e, 0x3B, 0x02, 0, v2, 0x8000), 0);
	assert_int_equal(self_diag(e, 0x23), 0x052C00);
	{
		const uint8_t *fp = odemu_flash(e, &fl);

		assert_memory_equal(fp, before, fl);
	}
	odemu_close(e);
	free(before);
	free(other);
	free(v2);
}

static void
test_cut_then_recover(void **st)
{
	struct odemu *e = new_drive("1.00");
	struct odemu_fault_opts f = { .set[ODEMU_F_CUT_CMDS] = true,
				      .val[ODEMU_F_CUT_CMDS] = 0 };
	size_t n, fl;
	uint8_t *v2 = image("2.00", &n), b[0x48];
	char rev[5];

	(void)st;
	assert_int_equal(download(e, v2, n), 0);
	assert_int_equal(self_diag(e, 0x23), 0);
	assert_int_equal(tur(e), 0x020407);	/* erased */
	f.val[ODEMU_F_CUT_CMDS] = 0;				/* the next command */
	assert_int_equal(odemu_set_faults(e, &f, NULL), 0);
	assert_int_equal(tur(e), 0);		/* no answer: power off */
	assert_int_equal(odemu_power_on(e, NULL), 0);
	/* the CORE firmware: revision BOOT, no GET CONFIGURATION */
	revision(e, rev);
	assert_string_equal(rev, "BOOT");
	assert_int_equal(tur(e), 0x062900);
	{
		static const uint8_t gc[10] = { 0x46, 0, 0, 0, 0, 0, 0, 0, 8,
						0 };
		uint32_t s = 0;
		uint8_t cb[8];

		run(e, gc, 10, ODF_DIR_IN, cb, 8, &s);
		assert_int_equal(s >> 16, 0x05);
	}
	/* the same sequence recovers it */
	assert_int_equal(download(e, v2, n), 0);
	assert_int_equal(self_diag(e, 0x23), 0);
	while (tur(e) >> 8 == 0x0204)
		;
	assert_memory_equal(odemu_flash(e, &fl) + FW_START, v2, FW_LEN);
	revision(e, rev);
	assert_string_equal(rev, "2.00");
	assert_int_equal(lgcmd(e, 0x3C, 0x05, FW_START, b, 0x48), 0);
	odemu_close(e);
	free(v2);
}

/* The header patterns of devilsclaw/flasher@864b3ee lg_renesas.c
 * (core_pat, main_pat), as facts: 0x48 bytes, a pattern byte FFh matches
 * anything (find_pattern_drive); bytes 2..15 are zero (MAIN: 4..15), the
 * model at 0x10 is free, "CORE    "/"MAIN    " at 0x18, "REV LVL " at
 * 0x20 then 8 zero bytes (MAIN: 4 free, 4 zero), "ROM REV " at 0x30 then
 * 8 zero bytes, 0x40..0x47 free. */
static void
header_pattern(uint8_t pat[0x48], bool core)
{
	memset(pat, 0, 0x48);
	memset(pat, 0xFF, core ? 2 : 4);
	memset(pat + 0x10, 0xFF, 8);
	memcpy(pat + 0x18, core ? "CORE    " : "MAIN    ", 8);
	memcpy(pat + 0x20, "REV LVL ", 8);
	if (!core)
		memset(pat + 0x28, 0xFF, 4);
	memcpy(pat + 0x30, "ROM REV ", 8);
	memset(pat + 0x40, 0xFF, 8);
}

/* find_pattern_drive: READ BUFFER src 05 in 0x8000-byte windows from
 * address 0, each window starting 0x48 bytes before the last one ended;
 * the first offset where the pattern matches, which the caller
 * (get_firminfo_drive) takes as "not found" when it is 0.  Bounded by
 * the emulated flash (the real loop runs to 4 GiB); -1 = no match. */
static long
find_pattern(struct odemu *e, const uint8_t pat[0x48])
{
	static uint8_t w[0x8000];

	for (uint32_t a = 0; a + sizeof(w) <= 0x100000; a += sizeof(w) - 0x48) {
		assert_int_equal(lgcmd(e, 0x3C, 0x05, a, w, sizeof(w)), 0);
		for (uint32_t i = 0; i + 0x48 <= sizeof(w); i++) {
			uint32_t k;

			for (k = 0; k < 0x48; k++)
				if (pat[k] != 0xFF && pat[k] != w[i + k])
					break;
			if (k == 0x48)
				return (long)(a + i);
		}
	}
	return -1;
}

/* INFERRED placement (emu/proto_lg.c): devilsclaw's finder takes offset 0
 * as "not found", so the CORE header is not at 0; it is at 0x400, after
 * the CPU's vector table.  The finder sees it there, its firm_start and
 * firm_size name the CORE body (0x800 .. 0x10000), and the CORE as
 * cmd_dumpcore reads it is a valid CORE file (firm_validate 0,
 * get_firmtype 2); the MAIN finder stops at the MAIN header. */
static void
test_core_header_where_the_finder_sees_it(void **st)
{
	struct odemu *e = new_drive("1.00");
	const uint8_t *flash;
	uint8_t pat[0x48];
	size_t fl;

	(void)st;
	header_pattern(pat, true);
	assert_int_equal(find_pattern(e, pat), 0x400);
	header_pattern(pat, false);
	assert_int_equal(find_pattern(e, pat), FW_START);
	flash = odemu_flash(e, &fl);
	assert_int_equal(odf_be32(flash + 0x400 + 0x40), 0x800);
	assert_int_equal(odf_be32(flash + 0x400 + 0x44), FW_START - 0x800);
	assert_int_equal(odemu_lg_validate(flash + 0x400, FW_START - 0x400), 0);
	assert_int_equal(odemu_lg_type(flash + 0x400, FW_START - 0x400), 2);
	odemu_close(e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_core_header_where_the_finder_sees_it, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_layout_and_flash, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_devilsclaw_864b3ee_sequence,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_misuse_leaves_flash, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_cut_then_recover, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
