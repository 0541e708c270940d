/* odemu's own firmware-format code (emu/fmt_*.c), against golden vectors
 * whose checksums are worked out by hand here from the sources' formulas,
 * and against odflash's image library byte for byte (odemu mkimage ->
 * odf_image_parse; odf_image_build -> odemu's acceptance), every model. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "emu.h"
#include "helper_tmpdir.h"
#include "fmt.h"
#include "odemu/odemu.h"
#include "odf/bytes.h"
#include "odf/image.h"

/* NEC: "16-bit sum of big-endian 16-bit words" (binflash necinterface.cpp
 * ReadFirmware / FirmwareToFile chksum).  12 34 + FF FF + 00 01 =
 * 0x1234 + 0xFFFF + 0x0001 = 0x11234 -> 0x1234; a trailing odd byte is
 * not a word. */
static void
test_nec_sum_golden(void **st)
{
	static const uint8_t v[] = { 0x12, 0x34, 0xFF, 0xFF, 0x00, 0x01,
				     0xAB };

	(void)st;
	assert_int_equal(odf_sum_be16(v, 6), 0x1234);
	assert_int_equal(odf_sum_be16(v, 7), 0x1234);
	assert_int_equal(odf_sum_be16(v, 4), 0x1233);	/* 0x11233 */
}

/* IdentifyFirmware (binflash@5cfb543 necinterface.cpp): vendor[8],
 * identification[16], revision[4] at +394 from 07 00 03 00 78 00 78 00
 * 78 00. */
static void
test_nec_inquiry(void **st)
{
	static uint8_t fw[2048];
	static const uint8_t pat[10] = { 7, 0, 3, 0, 0x78, 0, 0x78, 0, 0x78,
					 0 };
	char v[9], p[17], r[5];

	(void)st;
	memset(fw, 0xEE, sizeof(fw));
	assert_false(odemu_nec_inquiry(fw, sizeof(fw), v, p, r));
	memcpy(fw + 100, pat, 10);
	memcpy(fw + 100 + 394, "_NEC    DVD_RW ND-3500AG2.18", 28);
	assert_true(odemu_nec_inquiry(fw, sizeof(fw), v, p, r));
	assert_string_equal(v, "_NEC");
	assert_string_equal(p, "DVD_RW ND-3500AG");
	assert_string_equal(r, "2.18");
	/* the strings must fit in the buffer */
	assert_false(odemu_nec_inquiry(fw, 100 + 394 + 27, v, p, r));
}

/* ReadFirmware: chunks from the end; ID at the last 4 bytes, or at the 4
 * before 2 bootcode characters.  A file of two 1 MiB chunks for K350,
 * bootcodes "04" then "05": the drive with bootcode 05 takes the last
 * one; a file whose chunk carries no bootcode is taken as it is. */
static void
test_nec_pick(void **st)
{
	const struct odemu_model *m = odemu_model_find("nec-nd3500");
	const size_t c = 0xFA000 + 4 + 2;
	uint8_t *f = calloc(1, 2 * c);
	const uint8_t *fw = NULL;
	size_t fl = 0;

	(void)st;
	assert_non_null(m);
	assert_non_null(f);
	memset(f, 0x11, c);
	memcpy(f + c - 6, "K35004", 6);
	memset(f + c, 0x22, c);
	memcpy(f + 2 * c - 6, "K31005", 6);	/* the safe-mode ID alias */
	assert_int_equal(odemu_nec_pick(m, f, 2 * c, &fw, &fl), 0);
	assert_ptr_equal(fw, f + c);
	assert_int_equal(fl, 0xFA000);
	memcpy(f + 2 * c - 2, "04", 2);		/* both 04: the last one */
	memcpy(f + c - 2, "05", 2);		/* ... unless the first is 05 */
	assert_int_equal(odemu_nec_pick(m, f, 2 * c, &fw, &fl), 0);
	assert_ptr_equal(fw, f);
	/* no bootcode characters: 1024004 bytes */
	memcpy(f + c - 6, "XXK350", 6);
	assert_int_equal(odemu_nec_pick(m, f + 2, c - 2, &fw, &fl), 0);
	assert_ptr_equal(fw, f + 2);
	/* another drive's ID, or too short: nothing */
	memcpy(f + c - 4, "K355", 4);
	assert_int_equal(odemu_nec_pick(m, f + 2, c - 2, &fw, &fl), -1);
	assert_int_equal(odemu_nec_pick(m, f, 100, &fw, &fl), -1);
	free(f);
}

/* LG Renesas: devilsclaw/flasher@864b3ee lg_renesas.c firm_chksum_calc:
 * key + BE words 1..n/2-1, complemented.  AA BB | 01 02 | 03 04 | FF 00:
 * 0x0102 + 0x0304 + 0xFF00 = 0x10306 -> 0x0306, ~ = 0xFCF9; with key
 * 0x1111: ~(0x1111 + 0x0306 = 0x1417) = 0xEBE8. */
static void
test_lg_chksum_golden(void **st)
{
	static const uint8_t v[] = { 0xAA, 0xBB, 0x01, 0x02, 0x03, 0x04,
				     0xFF, 0x00 };

	(void)st;
	assert_int_equal(odemu_lg_chksum(v, 8, 0), 0xFCF9);
	assert_int_equal(odemu_lg_chksum(v, 8, 0x1111), 0xEBE8);
	/* the stored word that makes firm_validate's result 0 is ~sum */
	assert_int_equal(odemu_lg_chksum(v, 8, 0x0306 ^ 0xFFFF), 0);
}

/* A whole MAIN file of 0x420 bytes, its checksum summed by hand: the
 * words after the stored one are
 *   0x18 "MAIN" 4D41 494E, "    " 2020 2020
 *   0x20 "REV LVL " 5245 5620 4C56 4C20, 0x28 "NE02" 4E45 3032
 *   0x30 "ROM REV " 524F 4D20 5245 5620
 *   0x44 size 0x20: 0000 0020
 *   0x400 body 0102 .. 0x410 the same 16 bytes: 2 x (0102 0304 ... 0F10)
 * (all other bytes zero). */
static void
test_lg_validate_golden(void **st)
{
	static uint8_t f[0x420];
	uint32_t sum;

	(void)st;
	memset(f, 0, sizeof(f));
	memcpy(f + 0x18, "MAIN    ", 8);
	memcpy(f + 0x20, "REV LVL NE02", 12);
	memcpy(f + 0x30, "ROM REV ", 8);
	f[0x47] = 0x20;
	for (int i = 0; i < 16; i++)
		f[0x400 + i] = f[0x410 + i] = (uint8_t)(i + 1);
	sum = 0x4D41 + 0x494E + 0x2020 + 0x2020 +
	      0x5245 + 0x5620 + 0x4C56 + 0x4C20 + 0x4E45 + 0x3032 +
	      0x524F + 0x4D20 + 0x5245 + 0x5620 + 0x0020 +
	      2 * (0x0102 + 0x0304 + 0x0506 + 0x0708 + 0x090A + 0x0B0C +
		   0x0D0E + 0x0F10);
	assert_int_equal(sum, 0x45EA5);	/* 0x5EA5 mod 2^16 */
	assert_int_equal(odemu_lg_validate(f, sizeof(f)), 8);
	f[0] = 0xA1;			/* ~0x5EA5 = 0xA15A */
	f[1] = 0x5A;
	assert_int_equal(odemu_lg_validate(f, sizeof(f)), 0);
	assert_int_equal(odemu_lg_type(f, sizeof(f)), 1);
	/* each check, in the source's order */
	f[0x401] ^= 1;
	assert_int_equal(odemu_lg_validate(f, sizeof(f)), 7);
	f[0x401] ^= 1;
	assert_int_equal(odemu_lg_validate(f, sizeof(f) - 2), 3);
	f[0x30] = 'X';
	assert_int_equal(odemu_lg_validate(f, sizeof(f)), 2);
	f[0x20] = 'X';
	assert_int_equal(odemu_lg_validate(f, sizeof(f)), 1);
}

/* Plextor: pxfw csum_init + csum_update (speed47/qpxtool@fc1cf4c
 * console/pxfw/pxfw.cpp): the byte sum of file[0..crc_offs) from 0 (or
 * 0x8000 for models up to PREMIUM), against the BE16 at crc_offs.
 * "PLEXTOR DVDR   PX-716A " is 50 4C 45 58 54 4F 52 20 44 56 44 52 20 20
 * 20 50 58 2D 37 31 36 41 20: 0x22E (PLEXTOR) + 0x20 + 0x130 (DVDR) +
 * 0x60 + 0x1B4 (PX-716A) + 0x20 = 0x5B2; one more byte FF at 0x100:
 * 0x6B1.  A byte at crc_offs 0xEFFFE itself is not summed.  The PX-W4824A
 * header "PLEXTOR CD-R   PX-W4824A" sums to 0x5F3, + 0x8000 = 0x85F3. */
static void
test_px_sum_golden(void **st)
{
	uint8_t *f = calloc(1, 983040);
	char model[17];
	uint32_t off = 0;
	uint16_t stored = 0, sum = 0;

	(void)st;
	assert_non_null(f);
	memcpy(f, "PLEXTOR DVDR   PX-716A ", 23);
	f[0x100] = 0xFF;
	f[0xEFFFE] = 0x06;
	f[0xEFFFF] = 0xB1;
	assert_int_equal(odemu_px_sum(f, 983040, model, &off, &stored, &sum), 0);
	assert_string_equal(model, "PX-716A");
	assert_int_equal(off, 0xEFFFE);
	assert_int_equal(sum, 0x06B1);
	assert_int_equal(stored, 0x06B1);
	/* the PX-716AL is another model; unknown heads are refused */
	f[22] = 'L';
	assert_int_equal(odemu_px_sum(f, 983040, model, &off, &stored, &sum), 0);
	assert_string_equal(model, "PX-716AL");
	f[8] = 'X';
	assert_int_equal(odemu_px_sum(f, 983040, model, &off, &stored, &sum), -1);
	memset(f, 0, 983040);
	memcpy(f, "PLEXTOR CD-R   PX-W4824A", 24);
	assert_int_equal(odemu_px_sum(f, 524288, model, &off, &stored, &sum), 0);
	assert_int_equal(off, 0x79FFE);
	assert_int_equal(sum, 0x85F3);
	/* too short for its checksum offset */
	assert_int_equal(odemu_px_sum(f, 0x79FFF, model, &off, &stored, &sum), -1);
	free(f);
}

/* MediaTek MT1939: rbdixon/coastermelt@e5f9e55 doc/bootloader.txt
 * calculate_checksum, the 16-bit sum of the bytes 0x10000..0x1E1FFF.  A
 * zero image with FF at 0x10000 and 02 at 0x1E1FFF sums to 0x0101; the
 * 55 at 0xFFFF (boot region) and the 77 at 0x1E2000 (not checksummed)
 * are outside.  The whole check: AA AA at 0x1FFFF8, the infonub at
 * 0x1FFFD0, the word at 0x1FFFFE. */
static void
test_ff_golden(void **st)
{
	uint8_t *f = calloc(1, 0x200000);
	char v[9], p[17], r[5];

	(void)st;
	assert_non_null(f);
	f[0xFFFF] = 0x55;
	f[0x10000] = 0xFF;
	f[0x1E1FFF] = 0x02;
	f[0x1E2000] = 0x77;
	assert_int_equal(odemu_ff_sum(f), 0x0101);
	memcpy(f + 0x1FFFD0, "TSSTcorpBDDVDW SE-506CB TS01", 28);
	f[0x1FFFF8] = f[0x1FFFF9] = 0xAA;
	f[0x1FFFFE] = 0x01;
	f[0x1FFFFF] = 0x01;
	assert_int_equal(odemu_ff_check(f, 0x200000, v, p, r), ODEMU_FF_OK);
	assert_string_equal(v, "TSSTcorp");
	assert_string_equal(p, "BDDVDW SE-506CB");
	assert_string_equal(r, "TS01");
	f[0x1FFFFF] = 0x02;
	assert_int_equal(odemu_ff_check(f, 0x200000, v, p, r),
			 ODEMU_FF_CHECKSUM);
	f[0x1FFFF9] = 0xAB;
	assert_int_equal(odemu_ff_check(f, 0x200000, v, p, r),
			 ODEMU_FF_LAYOUT);
	assert_int_equal(odemu_ff_check(f, 0x1FFFFF, v, p, r),
			 ODEMU_FF_LAYOUT);
	/* MT1339 (INFERRED 8051 layout): 02 at 0, each bank 02 or 80, an
	 * allowlist vendor's 28 printable bytes */
	memset(f, 0, 0x40000);
	f[0] = 0x02;
	f[0x10000] = 0x80;
	f[0x20000] = 0x02;
	f[0x30000] = 0x80;
	memcpy(f + 0x9000, "hp      DVD-ROM TS-H353C1.00", 28);
	assert_int_equal(odemu_ff_check(f, 0x40000, v, p, r), ODEMU_FF_OK);
	assert_string_equal(v, "hp");
	assert_string_equal(p, "DVD-ROM TS-H353C");
	assert_string_equal(r, "1.00");
	f[0x20000] = 0x00;
	assert_int_equal(odemu_ff_check(f, 0x40000, v, p, r),
			 ODEMU_FF_LAYOUT);
	free(f);
}

/* Pioneer: rpc1dev/DVRFlash@8ccb1b7 DVRFlash.cpp:main file checks.
 * "Kernel"/"Normal" at 0x110, the generation atoi'd at 0xB4; sizes:
 * generation <= 8 or 52..62 exactly 0x100000 normal / 0x10000 kernel,
 * 9..11 and 64 up at least 0x128000 normal / 0x20000 kernel. */
static void
test_pio_golden(void **st)
{
	static uint8_t f[0x200];

	(void)st;
	memset(f, 0, sizeof(f));
	assert_int_equal(odemu_pio_kind(f, sizeof(f)), -1);
	memcpy(f + 0x110, "Normal", 6);
	assert_int_equal(odemu_pio_kind(f, sizeof(f)), 0);
	assert_int_equal(odemu_pio_kind(f, 0x115), -1);
	memcpy(f + 0x110, "Kernel", 6);
	assert_int_equal(odemu_pio_kind(f, sizeof(f)), 1);
	memcpy(f + 0xB4, "9   ", 4);
	assert_int_equal(odemu_pio_generation(f, sizeof(f)), 9);
	memcpy(f + 0xB4, " 64 ", 4);
	assert_int_equal(odemu_pio_generation(f, sizeof(f)), 64);
	memcpy(f + 0xB4, "\t10x", 4);		/* atoi: white space, digits */
	assert_int_equal(odemu_pio_generation(f, sizeof(f)), 10);
	assert_true(odemu_pio_size_ok(9, false, 0x128000));
	assert_true(odemu_pio_size_ok(9, false, 0x200000));
	assert_false(odemu_pio_size_ok(9, false, 0x127FFF));
	assert_false(odemu_pio_size_ok(9, false, 0x200001));
	assert_true(odemu_pio_size_ok(64, true, 0x20000));
	assert_false(odemu_pio_size_ok(11, true, 0x10000));
	assert_true(odemu_pio_size_ok(3, true, 0x10000));
	assert_true(odemu_pio_size_ok(52, false, 0x100000));
	assert_false(odemu_pio_size_ok(8, false, 0x128000));
}

/* The generic container (docs/image-formats.md).  A 0x44-byte PS3 image,
 * summed by hand: "ODFSPCFW" 4F+44+46+53+50+43+46+57 = 0x25C; version
 * 00 01 and kind 00 01: +2 = 0x25E; length 00 00 00 44: 0x2A2; vendor
 * "SONY    " 53+4F+4E+59 + 4 x 20 = 0x1C9: 0x46B; product all zero;
 * revision "1.00" 31+2E+30+30 = 0xBF: 0x52A; version "1.00" again:
 * 0x5E9; body 01 02 03 04: 0x5F3.  The stored word itself is not
 * summed. */
static void
test_spc_golden(void **st)
{
	static uint8_t f[0x44];
	char v[9], p[17], r[5];

	(void)st;
	memset(f, 0, sizeof(f));
	memcpy(f, "ODFSPCFW", 8);
	f[9] = 1;
	f[0x0B] = 1;
	f[0x0F] = 0x44;
	memcpy(f + 0x10, "SONY    ", 8);
	memcpy(f + 0x28, "1.00", 4);
	memcpy(f + 0x2C, "1.00", 4);
	f[0x40] = 1, f[0x41] = 2, f[0x42] = 3, f[0x43] = 4;
	assert_int_equal(odemu_spc_sum(f, sizeof(f)), 0x5F3);
	f[0x3E] = 0x05;
	f[0x3F] = 0xF3;
	assert_int_equal(odemu_spc_sum(f, sizeof(f)), 0x5F3);
	assert_int_equal(odemu_spc_check(f, sizeof(f), ODEMU_SPC_KIND_PS3, v,
					 p, r), 0);
	assert_string_equal(v, "SONY");
	assert_string_equal(r, "1.00");
	/* the other kind, a flipped body byte, a length that is not the
	 * file's: refused */
	assert_int_equal(odemu_spc_check(f, sizeof(f), ODEMU_SPC_KIND_SPC, v,
					 p, r), -1);
	f[0x43] ^= 1;
	assert_int_equal(odemu_spc_check(f, sizeof(f), ODEMU_SPC_KIND_PS3, v,
					 p, r), -1);
	f[0x43] ^= 1;
	assert_int_equal(odemu_spc_check(f, sizeof(f) - 1, ODEMU_SPC_KIND_PS3,
					 v, p, r), -1);
}

/* Where the two readers differed: a DVR-109 normal part whose generation
 * field is " 9  ".  DVRFlash reads it with atoi (DVRFlash.cpp:main),
 * which skips the blank: generation 9, so 0x128000 bytes is a right
 * size; odflash's reader took it as generation 0 (sizes of the old
 * drives) until lib/image/pioneer.c skipped blanks too. */
static void
test_pio_generation_blank(void **st)
{
	const struct odemu_model *m = odemu_model_find("pioneer-dvr109");
	struct odf_image *img = NULL;
	uint8_t *f = NULL;
	size_t n = 0;

	(void)st;
	assert_int_equal(odemu_mkimage(m->name, NULL, &f, &n, NULL), 0);
	assert_int_equal(n, 0x128000);
	memcpy(f + 0xB4, " 9  ", 4);
	assert_int_equal(odemu_pio_generation(f, n), 9);
	assert_true(odemu_pio_size_ok(9, false, n));
	assert_int_equal(odf_image_parse(f, n, "t", ODF_FAMILY_PIONEER, &img,
					 NULL), 0);
	assert_non_null(strstr(odf_image_info(img, 0)->note, "generation 9"));
	odf_image_free(img);
	free(f);
}

/* The file odflash's builder makes for model m (version 9.87). */
static int
odf_build_for(const struct odemu_model *m, uint8_t **f, size_t *fl)
{
	struct odf_image_spec s;

	memset(&s, 0, sizeof(s));
	s.family = m->family;
	s.target = m->target;
	s.vendor = m->vendor;
	s.product = m->product;
	s.revision = "9.87";
	s.version = "9.87";
	s.bootcode = m->bootcode;
	s.seed = 5;
	if (m->family == ODF_FAMILY_LG_RENESAS ||
	    m->family == ODF_FAMILY_SPC || m->family == ODF_FAMILY_MTK_FF)
		s.size = m->fw_len;
	return odf_image_build(&s, f, fl, NULL);
}

/* Where the emulated flash keeps the file as it was sent: from file
 * offset skip (the MT1939's first 64 KiB are its boot loader's, the BTC
 * and SD-616F drives' first 16 KiB their boot block, emu/proto_btc.c,
 * emu/proto_sd616.c). */
static size_t
kept_from(const struct odemu_model *m)
{
	if (m->family == ODF_FAMILY_BTC || m->family == ODF_FAMILY_SD616)
		return 0x4000;
	return (m->family == ODF_FAMILY_MTK_FF && m->fw_len == 0x200000) ||
	       m->family == ODF_FAMILY_MT1959 ? 0x10000 : 0;
}

/* Where the kept file ends: an MT1959 drive keeps its own signature and
 * calibration from 0x1E8000 (emu/proto_mt1959.c provisions them). */
static size_t
kept_to(const struct odemu_model *m, size_t n)
{
	return m->family == ODF_FAMILY_MT1959 ? 0x1E8000 : n;
}

/* The two implementations side by side, for every model: odemu mkimage
 * (the emulator's builders) is what odflash's image library reads as
 * valid, with the model's family, target and revision; an image
 * odflash's builder makes is one the emulated drive takes (odemu_create
 * with it): it comes up in normal mode on that revision and keeps the
 * file's bytes in its flash, byte for byte. */
static void
test_cross_check(void **st)
{
	char dir[256], path[300], state[300];
	const struct odemu_model *m;
	size_t i;

	(void)st;
	assert_int_equal(odf_test_mkdtemp(dir, sizeof(dir), "fmt"), 0);
	snprintf(path, sizeof(path), "%s/fw.bin", dir);
	for (i = 0; (m = odemu_model_at(i)) != NULL; i++) {
		const char *want = m->family == ODF_FAMILY_NEC && m->safe_id ?
				   m->safe_id : m->target;
		char cfg[32];
		const struct odf_image_info *in;
		struct odf_image *img = NULL;
		struct odemu_new_opts o = { 0 };
		struct odemu_status s;
		struct odemu *e = NULL;
		const uint8_t *fl;
		uint8_t *f = NULL;
		size_t n = 0, fn, k;
		FILE *fp;

		if (m->family == ODF_FAMILY_MT1959) {
			snprintf(cfg, sizeof(cfg), "MT1959 Boot %s", m->target);
			want = cfg;
		}
		/* odemu mkimage -> odflash */
		assert_int_equal(odemu_mkimage(m->name, NULL, &f, &n, NULL), 0);
		assert_int_equal(odf_image_parse(f, n, "t", m->family, &img,
						 NULL), 0);
		in = odf_image_info(img, 0);
		assert_int_equal(in->family, m->family);
		assert_string_equal(in->target, want);
		if (m->family != ODF_FAMILY_PLEXTOR)	/* not in the file */
			assert_string_equal(in->revision, m->default_version);
		assert_true(!in->checksum.present || in->checksum.ok);
		odf_image_free(img);
		free(f);
		/* odflash's builder -> odemu */
		assert_int_equal(odf_build_for(m, &f, &n), 0);
		fp = fopen(path, "wb");
		assert_non_null(fp);
		assert_int_equal(fwrite(f, 1, n, fp), n);
		fclose(fp);
		o.firmware = path;
		snprintf(state, sizeof(state), "%s/drive%zu", dir, i);
		assert_int_equal(odemu_create(m->name, state, &o, NULL), 0);
		assert_int_equal(odemu_open(state, &e, NULL), 0);
		odemu_get_status(e, &s);
		assert_int_equal(s.mode, ODF_MODE_NORMAL);
		assert_string_equal(s.revision, "9.87");
		fl = odemu_flash(e, &fn);
		k = kept_from(m);
		/* NEC: the region without its ID; the others: the file */
		if (m->family == ODF_FAMILY_NEC)
			n = m->fw_len;
		assert_true(m->fw_start + n <= fn);
		assert_memory_equal(fl + m->fw_start + k, f + k,
				    kept_to(m, n) - k);
		odemu_close(e);
		free(f);
	}
	printf("# cross-checked %zu models both ways\n", i);
	assert_int_equal(i, 20);
	assert_int_equal(odf_test_rmtree(dir), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nec_sum_golden),
		cmocka_unit_test(test_nec_inquiry),
		cmocka_unit_test(test_nec_pick),
		cmocka_unit_test(test_lg_chksum_golden),
		cmocka_unit_test(test_lg_validate_golden),
		cmocka_unit_test(test_px_sum_golden),
		cmocka_unit_test(test_ff_golden),
		cmocka_unit_test(test_pio_golden),
		cmocka_unit_test(test_spc_golden),
		cmocka_unit_test(test_pio_generation_blank),
		cmocka_unit_test(test_cross_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
