/* odemu NEC protocol, driven by raw CDBs built by hand: the binflash
 * v1.64 command sequences for the 1 MiB family (docs/internals/protocols.md
 * §2.4 dump, §2.5 flash), the 2 MiB dump ID, boot mode after a
 * bad flash and recovery through safe mode. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "emu.h"
#include "helper_tmpdir.h"
#include "odemu/odemu.h"
#include "odf/bytes.h"
#include "odf/image.h"

static char dir[256];
static char path[300];

static int
setup(void **st)
{
	(void)st;
	if (odf_test_mkdtemp(dir, sizeof(dir), "nec") < 0)
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
new_drive(const char *model, const char *version)
{
	struct odemu_new_opts o = { .version = version };
	struct odemu *e = NULL;
	struct odf_diag d;

	unlink(path);
	odf_diag_clear(&d);
	assert_int_equal(odemu_create(model, path, &o, &d), 0);
	assert_int_equal(odemu_open(path, &e, &d), 0);
	return e;
}

/* run a 12-byte vendor CDB or a 6-byte one; returns scsi status */
static int
run(struct odemu *e, const uint8_t *cdb, size_t cl, enum odf_dir dir_,
    void *buf, size_t len, uint8_t *key, uint8_t *asc)
{
	struct odf_cmd c;

	memset(&c, 0, sizeof(c));
	memcpy(c.cdb, cdb, cl);
	c.cdb_len = cl;
	c.dir = dir_;
	c.buf = buf;
	c.len = len;
	odemu_exec(e, &c);
	if (key)
		*key = c.sense_len ? c.sense[2] : 0;
	if (asc)
		*asc = c.sense_len ? c.sense[12] : 0;
	return c.scsi_status | (c.host_status << 8);
}

static void
inquiry_rev(struct odemu *e, char rev[5])
{
	static const uint8_t cdb[6] = { 0x12, 0, 0, 0, 0x60, 0 };
	uint8_t b[0x60];

	assert_int_equal(run(e, cdb, 6, ODF_DIR_IN, b, sizeof(b), NULL,
			     NULL), 0);
	assert_int_equal(b[0], 5);
	memcpy(rev, b + 32, 4);
	rev[4] = 0;
}

static void
read_ram(struct odemu *e, uint32_t a, uint8_t *b, uint16_t l, int expect)
{
	uint8_t cdb[12] = { 0xCC, 0x00 };
	odf_put_be32(cdb + 2, a);
	odf_put_be16(cdb + 7, l);
	assert_int_equal(run(e, cdb, 12, ODF_DIR_IN, b, l, NULL, NULL),
			 expect);
}

static int
safe(struct odemu *e, int enter, const char *id)
{
	uint8_t cdb[12] = { 0xCC, 0x01, (uint8_t)enter, 0, 0, 0, 0, 0, 0x01 };
	uint8_t key, asc;
	memcpy(cdb + 4, id, 4);
	return run(e, cdb, 12, ODF_DIR_NONE, NULL, 0, &key, &asc) ?
	       (key << 8 | asc) : 0;
}

static int
blockcmd(struct odemu *e, uint8_t sub, unsigned b)
{
	uint8_t cdb[12] = { 0xCB, sub };
	uint8_t key, asc;
	cdb[8 - b / 8] = (uint8_t)(1u << (b % 8));
	return run(e, cdb, 12, ODF_DIR_NONE, NULL, 0, &key, &asc) ?
	       (key << 8 | asc) : 0;
}

static int
send_checksum(struct odemu *e, uint16_t v)
{
	uint8_t cdb[12] = { 0xCC, 0x04, (uint8_t)(v >> 8), (uint8_t)v, 0, 0,
			    0, 0, 0x20, 0, 0, 0 };
	uint8_t key, asc;
	return run(e, cdb, 12, ODF_DIR_NONE, NULL, 0, &key, &asc) ?
	       (key << 8 | asc) : 0;
}

/* the 0xFA000-byte payload of a fresh image for the model */
static uint8_t *
payload(const char *version)
{
	uint8_t *f, *p;
	size_t fl, pl;
	struct odf_image *img;
	const uint8_t *q;

	assert_int_equal(odemu_mkimage("nec-nd3500", version, &f, &fl, NULL),
			 0);
	assert_int_equal(odf_image_parse(f, fl, "t", ODF_FAMILY_NEC, &img,
					 NULL), 0);
	q = odf_image_data(img, 0, &pl);
	assert_int_equal(pl, 0xFA000);
	p = malloc(pl);
	memcpy(p, q, pl);
	odf_image_free(img);
	free(f);
	return p;
}

/* Flash1M steps 10..42: stage in 32 KiB chunks + 8 KiB, send checksum */
static void
stage(struct odemu *e, const uint8_t *img, uint16_t chk, int chk_expect)
{
	for (uint32_t k = 0; k < 0xFA000; k += 0x8000) {
		uint32_t n = 0xFA000 - k >= 0x8000 ? 8 : 2;
		uint8_t cdb[12] = { 0xCB, 0x01 };
		odf_put_be32(cdb + 2, 0x6000 + k);
		cdb[8] = (uint8_t)n;
		assert_int_equal(run(e, cdb, 12, ODF_DIR_OUT, (void *)(img + k),
				     n * 0x1000, NULL, NULL), 0);
	}
	assert_int_equal(send_checksum(e, chk), chk_expect);
}

static void
test_identify_and_dump(void **st)
{
	struct odemu *e = new_drive("nec-nd3500", NULL);
	uint8_t b[0x1000];
	const uint8_t *fl;
	size_t flen;
	char rev[5];

	(void)st;
	inquiry_rev(e, rev);
	assert_string_equal(rev, "2.16");
	read_ram(e, 0x4500, b, 0x20, 0);
	assert_memory_not_equal(b, "K3", 2);
	read_ram(e, 0x4800, b, 0x20, 0);
	assert_memory_equal(b, "K350", 4);
	read_ram(e, 0x5F00, b, 0x80, 0);
	assert_memory_equal(b + 0x20, "NEC", 3);
	fl = odemu_flash(e, &flen);
	assert_int_equal(flen, 0x100000);
	for (uint32_t a = 0x6000; a < 0x100000; a += 0x1000) {
		read_ram(e, a, b, 0x1000, 0);
		assert_memory_equal(b, fl + a, 0x1000);
	}
	/* beyond the flash, and L > 0x8000: INVALID FIELD */
	read_ram(e, 0x100000, b, 0x20, ODF_SAM_CHECK_CONDITION);
	/* RetrieveBootcodeVersion: safe mode K310 -> "0.05"; K350 refused */
	assert_int_equal(safe(e, 1, "K350"), 0x524);
	assert_int_equal(safe(e, 1, "K310"), 0);
	inquiry_rev(e, rev);
	assert_string_equal(rev, "0.05");
	assert_int_equal(safe(e, 0, "K310"), 0);
	inquiry_rev(e, rev);
	assert_string_equal(rev, "2.16");
	odemu_close(e);
}

static void
test_flash1m_sequence(void **st)
{
	struct odemu *e = new_drive("nec-nd3500", NULL);
	uint8_t *img = payload("2.17");
	static const uint8_t tur[6] = { 0 };
	uint8_t key, asc;
	const uint8_t *fl;
	size_t flen;
	char rev[5];

	(void)st;
	/* step 8: TUR must fail without ASC 3Eh: no disc -> 02/3A */
	assert_int_equal(run(e, tur, 6, ODF_DIR_NONE, NULL, 0, &key, &asc),
			 ODF_SAM_CHECK_CONDITION);
	assert_int_equal(key, 2);
	assert_int_equal(asc, 0x3A);
	/* out of safe mode the flash commands are refused */
	assert_int_equal(blockcmd(e, 0x04, 2), 0x52C);
	assert_int_equal(safe(e, 1, "K310"), 0);
	/* a wrong checksum is refused, and nothing may be programmed */
	stage(e, img, (uint16_t)(odf_be16(img + 0xF9FFE) ^ 1), 0x524);
	assert_int_equal(blockcmd(e, 0x02, 2), 0x52C);
	assert_int_equal(send_checksum(e, odf_be16(img + 0xF9FFE)), 0);
	for (unsigned b = 2; b <= 18; b++)
		assert_int_equal(blockcmd(e, 0x04, b), 0);
	/* the boot blocks are never erased */
	assert_int_equal(blockcmd(e, 0x04, 1), 0x524);
	for (unsigned b = 2; b <= 18; b++)
		assert_int_equal(blockcmd(e, 0x02, b), 0);
	assert_int_equal(safe(e, 0, "K310"), 0);
	inquiry_rev(e, rev);
	assert_string_equal(rev, "2.17");
	fl = odemu_flash(e, &flen);
	assert_memory_equal(fl + 0x6000, img, 0xFA000);
	free(img);
	odemu_close(e);
}

static void
test_unerased_program_bricks_and_recovers(void **st)
{
	struct odemu *e = new_drive("nec-nd3500", NULL);
	uint8_t *img = payload("2.18");
	uint8_t *old = malloc(0x2000);
	const uint8_t *fl;
	size_t flen;
	char rev[5];

	(void)st;
	fl = odemu_flash(e, &flen);
	memcpy(old, fl + 0x6000, 0x2000);
	assert_int_equal(safe(e, 1, "K310"), 0);
	stage(e, img, odf_be16(img + 0xF9FFE), 0);
	/* program block 2 without erasing it: old AND new */
	assert_int_equal(blockcmd(e, 0x02, 2), 0);
	fl = odemu_flash(e, &flen);
	for (size_t i = 0; i < 0x2000; i++)
		assert_int_equal(fl[0x6000 + i], old[i] & img[i]);
	/* leaving safe mode: the checksum fails, the drive is in boot mode */
	assert_int_equal(safe(e, 0, "K310"), 0);
	inquiry_rev(e, rev);
	assert_string_equal(rev, "0.05");
	odemu_close(e);
	/* it stays dead across opens; recovery through safe mode works */
	assert_int_equal(odemu_open(path, &e, NULL), 0);
	inquiry_rev(e, rev);
	assert_string_equal(rev, "0.05");
	assert_int_equal(safe(e, 1, "K310"), 0);
	stage(e, img, odf_be16(img + 0xF9FFE), 0);
	for (unsigned b = 2; b <= 18; b++)
		assert_int_equal(blockcmd(e, 0x04, b), 0);
	for (unsigned b = 2; b <= 18; b++)
		assert_int_equal(blockcmd(e, 0x02, b), 0);
	assert_int_equal(safe(e, 0, "K310"), 0);
	inquiry_rev(e, rev);
	assert_string_equal(rev, "2.18");
	free(old);
	free(img);
	odemu_close(e);
}

static void
test_2m_dump_id(void **st)
{
	struct odemu *e = new_drive("nec-nd3550", NULL);
	uint8_t b[0x1000];
	uint8_t cdb[12] = { 0xCC, 0x00, 0x00, 0x01, 0x00, 0x00, 0, 0x10, 0x00,
			    0x52, 0x44, 0x93 };
	const uint8_t *fl;
	size_t flen;

	(void)st;
	read_ram(e, 0x4800, b, 0x20, 0);
	assert_memory_equal(b, "K355", 4);
	/* firmware reads: refused in normal mode, and without the ID */
	assert_int_equal(run(e, cdb, 12, ODF_DIR_IN, b, 0x1000, NULL, NULL),
			 ODF_SAM_CHECK_CONDITION);
	assert_int_equal(safe(e, 1, "K310"), 0x524);
	assert_int_equal(safe(e, 1, "K355"), 0);
	read_ram(e, 0x10000, b, 0x1000, ODF_SAM_CHECK_CONDITION);
	assert_int_equal(run(e, cdb, 12, ODF_DIR_IN, b, 0x1000, NULL, NULL),
			 0);
	fl = odemu_flash(e, &flen);
	assert_memory_equal(b, fl + 0x10000, 0x1000);
	cdb[11] = 0x94;
	assert_int_equal(run(e, cdb, 12, ODF_DIR_IN, b, 0x1000, NULL, NULL),
			 ODF_SAM_CHECK_CONDITION);
	odemu_close(e);
}

/* AD-7170A staging, the bytes binflash sends (Liggy/binflash@5cfb543
 * necinterface.cpp:Flash2MOpti, necinternal.cpp:WriteRAMOpti/SendChecksum
 * /EraseSingleBlock/FlashSingleBlock): enter safe mode "D770"; per 32 KiB
 * CB 01 A3..A0 00 00 08 00 00 00 with 32,800 bytes = the 32 KiB of image
 * then 32 zero bytes, RAM address 0x30000 + i; SendChecksum CC 04 C1 C0
 * 00 00 00 00 00 00 00 00 (index 0, area 0) of file[0x1C0000]; erase and
 * program blocks 3..30; leave safe mode.  The drive takes it; the same
 * length with 4 zeros after every 4 KiB stages a shifted image and the
 * checksum is refused with 05/24/00 (binflash: "Error submitting
 * checksum"). */
static uint16_t
sum_be16_by_hand(const uint8_t *p, size_t n)
{
	uint16_t s = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		s = (uint16_t)(s + (p[i] << 8 | p[i + 1]));
	return s;
}

static int
opti_stage(struct odemu *e, const uint8_t *fw, bool interleaved)
{
	static uint8_t out[32800];
	uint8_t key = 0, asc = 0;

	for (uint32_t k = 0; k < 0x1C0000; k += 0x8000) {
		uint8_t cdb[12] = { 0xCB, 0x01, 0, 0, 0, 0, 0, 0, 0x08, 0, 0,
				    0 };

		odf_put_be32(cdb + 2, 0x30000 + k);
		memset(out, 0, sizeof(out));
		if (interleaved)
			for (int u = 0; u < 8; u++)
				memcpy(out + u * 0x1004, fw + k + u * 0x1000,
				       0x1000);
		else
			memcpy(out, fw + k, 0x8000);
		if (run(e, cdb, 12, ODF_DIR_OUT, out, sizeof(out), &key,
			&asc))
			return key << 8 | asc;
	}
	return 0;
}

static int
opti_checksum(struct odemu *e, uint16_t v)
{
	uint8_t cdb[12] = { 0xCC, 0x04, (uint8_t)(v >> 8), (uint8_t)v };
	uint8_t key = 0, asc = 0;

	return run(e, cdb, 12, ODF_DIR_NONE, NULL, 0, &key, &asc) ?
	       (key << 8 | asc) : 0;
}

static void
test_opti_write_ram_opti_layout(void **st)
{
	struct odemu *e = new_drive("optiarc-ad7170", "1.00");
	uint8_t *fw = malloc(0x1C0000);
	uint16_t chk;
	const uint8_t *fl;
	size_t flen;
	char rev[5];
	uint8_t cdb[12] = { 0xCB, 0x01, 0x00, 0x03, 0x00, 0x00, 0, 0, 0x08 };
	static uint8_t short_[0x8000];

	(void)st;
	assert_non_null(fw);
	for (size_t i = 0; i < 0x1C0000; i++)
		fw[i] = (uint8_t)(i * 31 + (i >> 12) * 7 + 1);
	/* INQUIRY strings where the NEC firmware keeps them, so that the
	 * drive comes up with the new revision */
	fl = odemu_flash(e, &flen);
	assert_int_equal(flen, 0x200000);
	memcpy(fw, fl + 0x30000, 0x1C0000);
	for (size_t i = 0x10000; i < 0x1B0000; i++)
		fw[i] = (uint8_t)(i * 31 + (i >> 12) * 7 + 1);
	chk = sum_be16_by_hand(fw, 0x1C0000);
	assert_int_equal(safe(e, 1, "D770"), 0);
	/* only the 32,800-byte transfer is WriteRAMOpti's */
	assert_int_equal(run(e, cdb, 12, ODF_DIR_OUT, short_, 0x8000, NULL,
			     NULL), ODF_SAM_CHECK_CONDITION);
	/* the interleaved layout: every transfer taken, the sum refused */
	assert_int_equal(opti_stage(e, fw, true), 0);
	assert_int_equal(opti_checksum(e, chk), 0x524);
	/* binflash's layout: accepted, flashed, the drive comes up on it */
	assert_int_equal(opti_stage(e, fw, false), 0);
	assert_int_equal(opti_checksum(e, (uint16_t)(chk + 1)), 0x524);
	assert_int_equal(opti_checksum(e, chk), 0);
	for (unsigned b = 3; b <= 30; b++)
		assert_int_equal(blockcmd(e, 0x04, b), 0);
	for (unsigned b = 3; b <= 30; b++)
		assert_int_equal(blockcmd(e, 0x02, b), 0);
	assert_int_equal(safe(e, 0, "D770"), 0);
	fl = odemu_flash(e, &flen);
	assert_memory_equal(fl + 0x30000, fw, 0x1C0000);
	inquiry_rev(e, rev);
	assert_string_equal(rev, "1.00");
	free(fw);
	odemu_close(e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_identify_and_dump, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_flash1m_sequence, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_unerased_program_bricks_and_recovers, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_2m_dump_id, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_opti_write_ram_opti_layout,
						setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
