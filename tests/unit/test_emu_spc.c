/* odemu SPC/MMC target and the standard WRITE BUFFER protocol, driven by
 * raw CDBs built by hand (field layouts: sg3_utils sg_write_buffer(8),
 * sg_read_buffer(8); MMC GET CONFIGURATION, MODE SENSE, GESN, REPORT
 * KEY). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "odemu/odemu.h"
#include "odf/bytes.h"
#include "helper_tmpdir.h"

static char dir[256];
static char path[300];
static struct odemu *e;

static int
setup(void **st)
{
	struct odemu_new_opts o = { .serial = "SN-42" };

	(void)st;
	if (odf_test_mkdtemp(dir, sizeof(dir), "spc") < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/drive", dir);
	if (odemu_create("spc-generic", path, &o, NULL) < 0)
		return -1;
	return odemu_open(path, &e, NULL);
}

static int
teardown(void **st)
{
	(void)st;
	odemu_close(e);
	return odf_test_rmtree(dir) == 0 ? 0 : -1;
}

static struct odf_cmd c;

static void
run(const uint8_t *cdb, size_t cl, enum odf_dir d, void *buf, size_t len)
{
	memset(&c, 0, sizeof(c));
	memcpy(c.cdb, cdb, cl);
	c.cdb_len = cl;
	c.dir = d;
	c.buf = buf;
	c.len = len;
	odemu_exec(e, &c);
}

static void
expect_sense(uint8_t key, uint8_t asc, uint8_t ascq)
{
	assert_int_equal(c.scsi_status, 2);
	assert_int_equal(c.sense[0], 0x70);
	assert_int_equal(c.sense[7], 10);
	assert_int_equal(c.sense_len, 18);
	assert_int_equal(c.sense[2], key);
	assert_int_equal(c.sense[12], asc);
	assert_int_equal(c.sense[13], ascq);
}

static void
test_inquiry_vpd(void **st)
{
	uint8_t b[256];
	uint8_t inq[6] = { 0x12, 0, 0, 0, 36, 0 };
	uint8_t vpd0[6] = { 0x12, 1, 0x00, 0, 0xFC, 0 };
	uint8_t vpd80[6] = { 0x12, 1, 0x80, 0, 0xFC, 0 };
	uint8_t vpdbad[6] = { 0x12, 1, 0x83, 0, 0xFC, 0 };

	(void)st;
	memset(b, 0xEE, sizeof(b));
	run(inq, 6, ODF_DIR_IN, b, 96);
	assert_int_equal(c.scsi_status, 0);
	assert_int_equal(c.resid, 96 - 36);	/* allocation length obeyed */
	assert_int_equal(b[0], 5);
	assert_int_equal(b[1], 0x80);
	assert_memory_equal(b + 8, "ODFLASH GENERIC DVD-RW  1.00", 28);
	assert_int_equal(b[36], 0xEE);
	run(vpd0, 6, ODF_DIR_IN, b, 252);
	assert_int_equal(c.scsi_status, 0);
	assert_int_equal(b[3], 2);
	assert_int_equal(b[5], 0x80);
	run(vpd80, 6, ODF_DIR_IN, b, 252);
	assert_int_equal(b[3], 5);
	assert_memory_equal(b + 4, "SN-42", 5);
	run(vpdbad, 6, ODF_DIR_IN, b, 252);
	expect_sense(5, 0x24, 0);
}

static void
test_mmc_basics(void **st)
{
	uint8_t b[512];
	uint8_t ms6[6] = { 0x1A, 0, 0x2A, 0, 0x80, 0 };
	uint8_t ms10[10] = { 0x5A, 0, 0x2A, 0, 0, 0, 0, 0, 0xFF, 0 };
	uint8_t gc[10] = { 0x46, 0, 0, 0, 0, 0, 0, 0x02, 0, 0 };
	uint8_t gc2[10] = { 0x46, 2, 0x01, 0x04, 0, 0, 0, 0, 0x10, 0 };
	uint8_t gesn[10] = { 0x4A, 1, 0, 0, 0x10, 0, 0, 0, 8, 0 };
	uint8_t rk[12] = { 0xA4, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0x08, 0 };
	uint8_t unk[10] = { 0xD7 };
	uint8_t rs[6] = { 0x03, 0, 0, 0, 18, 0 };
	size_t n;
	int seen104 = 0, seen10c = 0;

	(void)st;
	run(ms6, 6, ODF_DIR_IN, b, 128);
	assert_int_equal(c.scsi_status, 0);
	assert_int_equal(b[4], 0x2A);
	assert_int_equal(b[0] + 1, 128 - c.resid);
	run(ms10, 10, ODF_DIR_IN, b, 255);
	assert_int_equal(b[8], 0x2A);
	ms6[2] = 0x05;
	run(ms6, 6, ODF_DIR_IN, b, 128);
	expect_sense(5, 0x24, 0);
	run(gc, 10, ODF_DIR_IN, b, 512);
	assert_int_equal(c.scsi_status, 0);
	n = odf_be32(b) + 4;
	for (size_t p = 8; p < n; p += 4 + b[p + 3]) {
		uint16_t code = odf_be16(b + p);
		if (code == 0x0104) {
			seen104 = 1;
			assert_int_equal((b[p + 2] >> 2) & 0xF, 1);
			assert_int_equal(b[p + 4] & 1, 1);	/* M5 */
		}
		if (code == 0x010C) {
			seen10c = 1;
			assert_memory_equal(b + p + 4, "20240102030405", 14);
		}
	}
	assert_true(seen104 && seen10c);
	run(gc2, 10, ODF_DIR_IN, b, 16);
	assert_int_equal(odf_be16(b + 8), 0x0104);
	assert_int_equal(odf_be32(b), 4 + 8);
	run(gesn, 10, ODF_DIR_IN, b, 8);
	assert_int_equal(c.scsi_status, 0);
	assert_int_equal(b[2], 0x04);
	assert_int_equal(b[5] & 2, 0);		/* no media */
	run(rk, 12, ODF_DIR_IN, b, 8);
	assert_int_equal(c.scsi_status, 0);
	assert_int_equal(b[4] >> 6, 1);
	assert_int_equal(b[5], 0xFD);
	assert_int_equal(b[6], 1);
	run(unk, 10, ODF_DIR_NONE, NULL, 0);
	expect_sense(5, 0x20, 0);
	run(rs, 6, ODF_DIR_IN, b, 18);
	assert_int_equal(c.scsi_status, 0);
	assert_int_equal(b[0], 0x70);
	assert_int_equal(b[2], 0);
}

static uint8_t *
image(const char *v, size_t *len)
{
	uint8_t *p;
	assert_int_equal(odemu_mkimage("spc-generic", v, &p, len, NULL), 0);
	return p;
}

static void
test_read_buffer(void **st)
{
	uint8_t b[64];
	uint8_t d3[10] = { 0x3C, 0x03, 0, 0, 0, 0, 0, 0, 4, 0 };
	uint8_t d2[10] = { 0x3C, 0x02, 0, 0, 0, 0, 0, 0, 64, 0 };
	uint8_t bad[10] = { 0x3C, 0x02, 0, 0x0F, 0, 0, 0, 0, 64, 0 };

	(void)st;
	run(d3, 10, ODF_DIR_IN, b, 4);
	assert_int_equal(c.scsi_status, 0);
	assert_int_equal(b[0], 12);
	assert_int_equal(odf_be24(b + 1), 0xF0000);
	run(d2, 10, ODF_DIR_IN, b, 64);
	assert_memory_equal(b, "ODFSPCFW", 8);
	run(bad, 10, ODF_DIR_IN, b, 64);
	expect_sense(5, 0x24, 0);
}

static void
test_write_buffer_modes(void **st)
{
	size_t len;
	uint8_t *img = image("3.01", &len), *img2;
	uint8_t wb[10] = { 0x3B, 0x07 };
	uint8_t act[10] = { 0x3B, 0x0F };
	uint8_t inq[6] = { 0x12, 0, 0, 0, 36, 0 }, b[36];
	static const uint8_t tur[6] = { 0 };

	(void)st;
	/* mode 7 in 32 KiB chunks: GOOD each time, saved after the last */
	for (uint32_t off = 0; off < len; off += 0x8000) {
		odf_put_be24(wb + 3, off);
		odf_put_be24(wb + 6, 0x8000);
		run(wb, 10, ODF_DIR_OUT, img + off, 0x8000);
		assert_int_equal(c.scsi_status, 0);
		if (off + 0x8000 < len) {
			run(inq, 6, ODF_DIR_IN, b, 36);
			assert_memory_equal(b + 32, "1.00", 4);
		}
	}
	run(tur, 6, ODF_DIR_NONE, NULL, 0);
	expect_sense(6, 0x3F, 0x01);
	run(inq, 6, ODF_DIR_IN, b, 36);
	assert_memory_equal(b + 32, "3.01", 4);
	/* offsets off the 4 KiB boundary, beyond capacity, out of order */
	odf_put_be24(wb + 3, 0x800);
	odf_put_be24(wb + 6, 0x800);
	run(wb, 10, ODF_DIR_OUT, img, 0x800);
	expect_sense(5, 0x24, 0);
	odf_put_be24(wb + 3, 0xF0000);
	run(wb, 10, ODF_DIR_OUT, img, 0x800);
	expect_sense(5, 0x24, 0);
	/* mode 0Eh: deferred; nothing changes until 0Fh */
	img2 = image("3.02", &len);
	wb[1] = 0x0E;
	for (uint32_t off = 0; off < len; off += 0x10000) {
		odf_put_be24(wb + 3, off);
		odf_put_be24(wb + 6, 0x10000);
		run(wb, 10, ODF_DIR_OUT, img2 + off, 0x10000);
		assert_int_equal(c.scsi_status, 0);
	}
	run(inq, 6, ODF_DIR_IN, b, 36);
	assert_memory_equal(b + 32, "3.01", 4);
	run(tur, 6, ODF_DIR_NONE, NULL, 0);
	assert_int_equal(c.sense[2], 2);	/* no UA yet: not ready */
	run(act, 10, ODF_DIR_NONE, NULL, 0);
	assert_int_equal(c.scsi_status, 0);
	run(tur, 6, ODF_DIR_NONE, NULL, 0);
	expect_sense(6, 0x3F, 0x01);
	run(inq, 6, ODF_DIR_IN, b, 36);
	assert_memory_equal(b + 32, "3.02", 4);
	/* 0Fh with nothing deferred: COMMAND SEQUENCE ERROR */
	run(act, 10, ODF_DIR_NONE, NULL, 0);
	expect_sense(5, 0x2C, 0);
	/* mode 5 with a damaged image: 05/26/00 and nothing saved */
	img[100] ^= 0xFF;
	wb[1] = 0x05;
	odf_put_be24(wb + 3, 0);
	odf_put_be24(wb + 6, (uint32_t)len);
	run(wb, 10, ODF_DIR_OUT, img, len);
	expect_sense(5, 0x26, 0);
	run(inq, 6, ODF_DIR_IN, b, 36);
	assert_memory_equal(b + 32, "3.02", 4);
	img[100] ^= 0xFF;
	run(wb, 10, ODF_DIR_OUT, img, len);
	assert_int_equal(c.scsi_status, 0);
	run(inq, 6, ODF_DIR_IN, b, 36);
	assert_memory_equal(b + 32, "3.01", 4);
	free(img);
	free(img2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_inquiry_vpd, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_mmc_basics, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_read_buffer, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_write_buffer_modes, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
