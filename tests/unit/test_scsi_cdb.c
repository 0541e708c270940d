/* Every CDB builder, byte by byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "odf/scsi.h"

#define CDB_EQ(got, n, ...) do { \
	static const uint8_t want_[] = { __VA_ARGS__ }; \
	assert_int_equal((n), sizeof(want_)); \
	assert_memory_equal((got), want_, sizeof(want_)); \
} while (0)

static void
fill(uint8_t *cdb)
{
	memset(cdb, 0xee, ODF_CDB_MAX);	/* builders must clear every byte */
}

static void
test_inquiry(void **state)
{
	uint8_t c[ODF_CDB_MAX];
	(void)state;
	fill(c);
	CDB_EQ(c, odf_cdb_inquiry(c, false, 0, 96), 0x12, 0, 0, 0, 96, 0);
	fill(c);
	CDB_EQ(c, odf_cdb_inquiry(c, true, 0x80, 0x1fc), 0x12, 1, 0x80, 0x01,
	       0xfc, 0);
	fill(c);
	/* page is ignored without EVPD */
	CDB_EQ(c, odf_cdb_inquiry(c, false, 0x80, 36), 0x12, 0, 0, 0, 36, 0);
}

static void
test_tur_request_sense(void **state)
{
	uint8_t c[ODF_CDB_MAX];
	(void)state;
	fill(c);
	CDB_EQ(c, odf_cdb_test_unit_ready(c), 0, 0, 0, 0, 0, 0);
	fill(c);
	CDB_EQ(c, odf_cdb_request_sense(c, 252), 0x03, 0, 0, 0, 252, 0);
}

static void
test_mode_sense10(void **state)
{
	uint8_t c[ODF_CDB_MAX];
	(void)state;
	fill(c);
	CDB_EQ(c, odf_cdb_mode_sense10(c, 0x2a, 0x0100), 0x5a, 0x08, 0x2a, 0,
	       0, 0, 0, 0x01, 0x00, 0);
	fill(c);
	/* PC bits must stay 0 (current values) even for a wild page */
	CDB_EQ(c, odf_cdb_mode_sense10(c, 0xff, 8), 0x5a, 0x08, 0x3f, 0, 0, 0,
	       0, 0, 8, 0);
}

static void
test_get_configuration(void **state)
{
	uint8_t c[ODF_CDB_MAX];
	(void)state;
	fill(c);
	CDB_EQ(c, odf_cdb_get_configuration(c, 0, 0, 4096), 0x46, 0, 0, 0, 0,
	       0, 0, 0x10, 0x00, 0);
	fill(c);
	CDB_EQ(c, odf_cdb_get_configuration(c, 2, 0x010c, 64), 0x46, 2, 0x01,
	       0x0c, 0, 0, 0, 0, 64, 0);
	fill(c);
	CDB_EQ(c, odf_cdb_get_configuration(c, 0xff, 0x0104, 0xabcd), 0x46, 3,
	       0x01, 0x04, 0, 0, 0, 0xab, 0xcd, 0);
}

static void
test_event_status(void **state)
{
	uint8_t c[ODF_CDB_MAX];
	(void)state;
	fill(c);
	CDB_EQ(c, odf_cdb_get_event_status(c, 0x10, 8), 0x4a, 0x01, 0, 0,
	       0x10, 0, 0, 0, 8, 0);
}

static void
test_start_stop_prevent(void **state)
{
	uint8_t c[ODF_CDB_MAX];
	(void)state;
	fill(c);
	CDB_EQ(c, odf_cdb_start_stop(c, false, true), 0x1b, 0, 0, 0, 0x02, 0);
	fill(c);
	CDB_EQ(c, odf_cdb_start_stop(c, true, true), 0x1b, 0, 0, 0, 0x03, 0);
	fill(c);
	CDB_EQ(c, odf_cdb_start_stop(c, true, false), 0x1b, 0, 0, 0, 0x01, 0);
	fill(c);
	CDB_EQ(c, odf_cdb_prevent_allow(c, true), 0x1e, 0, 0, 0, 1, 0);
	fill(c);
	CDB_EQ(c, odf_cdb_prevent_allow(c, false), 0x1e, 0, 0, 0, 0, 0);
}

static void
test_read_buffer(void **state)
{
	uint8_t c[ODF_CDB_MAX];
	(void)state;
	fill(c);
	CDB_EQ(c, odf_cdb_read_buffer(c, ODF_RB_MODE_DATA, 0xf1, 0x123456,
				      0x00abcd),
	       0x3c, 0x02, 0xf1, 0x12, 0x34, 0x56, 0x00, 0xab, 0xcd, 0);
	fill(c);
	CDB_EQ(c, odf_cdb_read_buffer(c, ODF_RB_MODE_DESCRIPTOR, 0, 0, 4),
	       0x3c, 0x03, 0, 0, 0, 0, 0, 0, 4, 0);
	fill(c);
	CDB_EQ(c, odf_cdb_read_buffer(c, ODF_RB_MODE_VENDOR6, 1, 0x10000,
				      0x8000),
	       0x3c, 0x06, 1, 0x01, 0x00, 0x00, 0x00, 0x80, 0x00, 0);
}

static void
test_write_buffer(void **state)
{
	uint8_t c[ODF_CDB_MAX];
	static const uint8_t modes[] = {
		ODF_WB_MODE_DMC, ODF_WB_MODE_DMC_SAVE, ODF_WB_MODE_DMC_OFFS,
		ODF_WB_MODE_DMC_OFFS_SAVE, ODF_WB_MODE_DMC_OFFS_DEFER,
		ODF_WB_MODE_ACTIVATE,
	};
	(void)state;
	for (size_t i = 0; i < sizeof(modes); i++) {
		fill(c);
		assert_int_equal(odf_cdb_write_buffer(c, modes[i], 0, 0,
						      0x4000, 0x1000), 10);
		assert_int_equal(c[0], 0x3b);
		assert_int_equal(c[1], modes[i]);
		assert_int_equal(c[2], 0);
		assert_int_equal(c[3], 0x00);
		assert_int_equal(c[4], 0x40);
		assert_int_equal(c[5], 0x00);
		assert_int_equal(c[6], 0x00);
		assert_int_equal(c[7], 0x10);
		assert_int_equal(c[8], 0x00);
		assert_int_equal(c[9], 0);
	}
	fill(c);
	/* mode specific in bits 7-5, buffer id, full 24-bit fields */
	CDB_EQ(c, odf_cdb_write_buffer(c, 0x0d, 0x5, 0x7e, 0xfedcba, 0x123456),
	       0x3b, 0xad, 0x7e, 0xfe, 0xdc, 0xba, 0x12, 0x34, 0x56, 0);
	fill(c);
	/* out-of-range mode/mspec bits are masked, not spilled */
	CDB_EQ(c, odf_cdb_write_buffer(c, 0xff, 0xff, 0, 0, 0), 0x3b, 0xff, 0,
	       0, 0, 0, 0, 0, 0, 0);
	fill(c);
	CDB_EQ(c, odf_cdb_write_buffer(c, 0x25, 0, 0, 0, 0), 0x3b, 0x05, 0, 0,
	       0, 0, 0, 0, 0, 0);
}

static void
test_report_key(void **state)
{
	uint8_t c[ODF_CDB_MAX];
	(void)state;
	fill(c);
	CDB_EQ(c, odf_cdb_report_key_rpc(c), 0xa4, 0, 0, 0, 0, 0, 0, 0, 0, 8,
	       0x08, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inquiry),
		cmocka_unit_test(test_tur_request_sense),
		cmocka_unit_test(test_mode_sense10),
		cmocka_unit_test(test_get_configuration),
		cmocka_unit_test(test_event_status),
		cmocka_unit_test(test_start_stop_prevent),
		cmocka_unit_test(test_read_buffer),
		cmocka_unit_test(test_write_buffer),
		cmocka_unit_test(test_report_key),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
