/* Every answer parser on good, short and garbage data, and the
 * classification of completed commands into odf_err + diag. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "odf/scsi.h"
#include "scsi/scsi_int.h"

static void
make_inquiry(uint8_t *b, size_t len)
{
	memset(b, 0, len);
	b[0] = 0x05;
	b[1] = 0x80;
	b[2] = 0x05;
	b[3] = 0x32;
	b[4] = (uint8_t)(len - 5);
	memcpy(b + 8, "PIONEER DVD-RW  DVR-110D1.41", 28);
	memcpy(b + 36, "06/10/19", 8);
}

static void
test_inquiry_good(void **state)
{
	uint8_t b[96];
	struct odf_inquiry o;
	(void)state;
	make_inquiry(b, 58);
	assert_int_equal(odf_parse_inquiry(b, 58, &o), 0);
	assert_int_equal(o.pdt, 5);
	assert_true(o.removable);
	assert_int_equal(o.version, 5);
	assert_string_equal(o.vendor, "PIONEER");
	assert_string_equal(o.product, "DVD-RW  DVR-110D");
	assert_string_equal(o.revision, "1.41");
	assert_string_equal(o.vendor_specific, "06/10/19");
	assert_int_equal(o.raw_len, 58);
	assert_memory_equal(o.raw, b, 58);
}

static void
test_inquiry_short_and_garbage(void **state)
{
	uint8_t b[96];
	struct odf_inquiry o;
	(void)state;
	make_inquiry(b, 36);
	assert_int_equal(odf_parse_inquiry(b, 36, &o), 0);
	assert_string_equal(o.vendor_specific, "");
	assert_int_equal(o.raw_len, 36);
	assert_int_equal(odf_parse_inquiry(b, 35, &o), ODF_E_FORMAT);
	assert_int_equal(odf_parse_inquiry(b, 0, &o), ODF_E_FORMAT);
	/* qualifier 011b: no device on this LUN */
	make_inquiry(b, 58);
	b[0] = 0x7f;
	assert_int_equal(odf_parse_inquiry(b, 58, &o), ODF_E_FORMAT);
	/* control characters in the identification fields */
	make_inquiry(b, 58);
	b[10] = 0x01;
	assert_int_equal(odf_parse_inquiry(b, 58, &o), ODF_E_FORMAT);
	assert_string_equal(o.vendor, "");
	/* additional length says 31: the vendor-specific tail is ignored */
	make_inquiry(b, 58);
	b[4] = 31;
	assert_int_equal(odf_parse_inquiry(b, 58, &o), 0);
	assert_string_equal(o.vendor_specific, "");
	assert_int_equal(o.raw_len, 36);
}

static void
test_vpd(void **state)
{
	const uint8_t pages[] = { 0x05, 0x00, 0x00, 0x03, 0x00, 0x80, 0x83 };
	const uint8_t serial[] = { 0x05, 0x80, 0x00, 0x0c, ' ', ' ', 'S', 'N',
				   '1', '2', '3', '4', '5', '6', ' ', ' ' };
	uint8_t p[8];
	char s[32];
	size_t n;
	(void)state;
	assert_int_equal(odf_parse_vpd_pages(pages, sizeof(pages), p, 8, &n),
			 0);
	assert_int_equal(n, 3);
	assert_int_equal(p[0], 0x00);
	assert_int_equal(p[1], 0x80);
	assert_int_equal(p[2], 0x83);
	/* truncated list: keep what is there */
	assert_int_equal(odf_parse_vpd_pages(pages, 6, p, 8, &n), 0);
	assert_int_equal(n, 2);
	/* max smaller than the list */
	assert_int_equal(odf_parse_vpd_pages(pages, sizeof(pages), p, 1, &n),
			 0);
	assert_int_equal(n, 1);
	assert_int_equal(odf_parse_vpd_pages(pages, 3, p, 8, &n), ODF_E_FORMAT);
	assert_int_equal(odf_parse_vpd_pages(serial, sizeof(serial), p, 8, &n),
			 ODF_E_FORMAT);

	assert_int_equal(odf_parse_vpd_serial(serial, sizeof(serial), s,
					      sizeof(s)), 0);
	assert_string_equal(s, "SN123456");
	assert_int_equal(odf_parse_vpd_serial(serial, 8, s, sizeof(s)), 0);
	assert_string_equal(s, "SN");
	assert_int_equal(odf_parse_vpd_serial(serial, sizeof(serial), s, 5),
			 0);
	assert_string_equal(s, "SN12");
	assert_int_equal(odf_parse_vpd_serial(pages, sizeof(pages), s,
					      sizeof(s)), ODF_E_FORMAT);
	{
		uint8_t bad[8] = { 0x05, 0x80, 0, 4, 'A', 0x07, 'B', 'C' };
		assert_int_equal(odf_parse_vpd_serial(bad, 8, s, sizeof(s)),
				 ODF_E_FORMAT);
		assert_string_equal(s, "");
	}
}

static void
test_caps_page(void **state)
{
	/* header(10) with no block descriptors + page 2Ah */
	uint8_t b[8 + 0x16] = { 0x00, 0x1c, 0, 0, 0, 0, 0x00, 0x00,
				0x2a, 0x14, 0x3b, 0x33, 0, 0, 0x29, 0 };
	struct odf_caps o;
	(void)state;
	assert_int_equal(odf_parse_caps_page(b, sizeof(b), &o), 0);
	assert_true(o.cdr_read);
	assert_true(o.cdrw_read);
	assert_true(o.dvdrom_read);
	assert_true(o.dvdr_read);
	assert_true(o.dvdram_read);
	assert_true(o.cdr_write);
	assert_true(o.cdrw_write);
	assert_true(o.dvdr_write);
	assert_true(o.dvdram_write);
	assert_true(o.eject_supported);
	assert_int_equal(o.loading_mech, 1);
	/* a block descriptor of 8 bytes shifts the page */
	{
		uint8_t c[8 + 8 + 8] = { 0x00, 22, 0, 0, 0, 0, 0x00, 0x08,
					 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
					 0xff, 0xff,
					 0xaa, 0x06, 0x01, 0x00, 0, 0, 0x48,
					 0 };
		assert_int_equal(odf_parse_caps_page(c, sizeof(c), &o), 0);
		assert_true(o.cdr_read);
		assert_false(o.dvdrom_read);
		assert_false(o.cdr_write);
		assert_true(o.eject_supported);
		assert_int_equal(o.loading_mech, 2);
	}
	assert_int_equal(odf_parse_caps_page(b, 14, &o), ODF_E_FORMAT);
	assert_int_equal(odf_parse_caps_page(b, 4, &o), ODF_E_FORMAT);
	b[8] = 0x08;	/* another page */
	assert_int_equal(odf_parse_caps_page(b, sizeof(b), &o), ODF_E_FORMAT);
	b[8] = 0x2a;
	b[9] = 2;	/* page too short for byte 6 */
	assert_int_equal(odf_parse_caps_page(b, sizeof(b), &o), ODF_E_FORMAT);
}

/* A GET CONFIGURATION answer: header, profile list (DVD+RW current,
 * DVD-ROM, CD-R), Core, 0104h v1 M5, 010Ch "20061019123456". */
static size_t
make_config(uint8_t *b)
{
	static const uint8_t a[] = {
		0, 0, 0, 0, 0, 0, 0x00, 0x1a,
		0x00, 0x00, 0x03, 0x0c,
		0x00, 0x1a, 0x01, 0x00, 0x00, 0x10, 0x00, 0x00,
		0x00, 0x09, 0x00, 0x00,
		0x00, 0x01, 0x0b, 0x04, 0x00, 0x00, 0x00, 0x02,
		0x01, 0x04, 0x07, 0x04, 0x01, 0x00, 0x00, 0x00,
		0x01, 0x0c, 0x01, 0x10, '2', '0', '0', '6', '1', '0', '1', '9',
		'1', '2', '3', '4', '5', '6', 0, 0,
	};
	memcpy(b, a, sizeof(a));
	b[3] = (uint8_t)(sizeof(a) - 4);
	return sizeof(a);
}

static void
test_configuration(void **state)
{
	uint8_t b[128];
	size_t n = make_config(b);
	struct odf_config o;
	char name[32];
	(void)state;
	assert_int_equal(odf_parse_configuration(b, n, &o), 0);
	assert_int_equal(o.current_profile, 0x1a);
	assert_int_equal(o.n_profiles, 3);
	assert_int_equal(o.profiles[0], 0x1a);
	assert_int_equal(o.profiles[1], 0x10);
	assert_int_equal(o.profiles[2], 0x09);
	assert_true(o.microcode_upgrade);
	assert_true(o.m5);
	assert_true(o.fw_info);
	assert_string_equal(o.fw_date, "2006-10-19 12:34:56");
	assert_string_equal(odf_profile_name(o.current_profile, name,
					     sizeof(name)), "DVD+RW");
	assert_string_equal(odf_profile_name(0x41, name, sizeof(name)),
			    "BD-R");
	assert_string_equal(odf_profile_name(0x1234, name, sizeof(name)),
			    "profile 0x1234");

	/* version 0 of 0104h: no M5 even with bit 0 set */
	b[34] = 0x03;
	assert_int_equal(odf_parse_configuration(b, n, &o), 0);
	assert_true(o.microcode_upgrade);
	assert_false(o.m5);
	b[34] = 0x07;
	/* non-digit date: feature present, date unknown */
	b[47] = 'x';
	assert_int_equal(odf_parse_configuration(b, n, &o), 0);
	assert_true(o.fw_info);
	assert_string_equal(o.fw_date, "");
	b[47] = '6';
	/* short: cut inside 0104h: profiles kept, later features absent */
	assert_int_equal(odf_parse_configuration(b, 38, &o), 0);
	assert_int_equal(o.n_profiles, 3);
	assert_false(o.microcode_upgrade);
	assert_false(o.fw_info);
	/* garbage: too short for a header, data length < 4 */
	assert_int_equal(odf_parse_configuration(b, 7, &o), ODF_E_FORMAT);
	b[3] = 2;
	assert_int_equal(odf_parse_configuration(b, n, &o), ODF_E_FORMAT);
	assert_int_equal(o.current_profile, 0);
}

static void
test_media_event(void **state)
{
	uint8_t b[8] = { 0x00, 0x06, 0x04, 0x5e, 0x02, 0x02, 0x00, 0x00 };
	struct odf_media_status o;
	(void)state;
	assert_int_equal(odf_parse_media_event(b, 8, &o), 0);
	assert_true(o.media_present);
	assert_false(o.tray_open);
	assert_int_equal(o.media_event, 2);
	b[5] = 0x01;
	assert_int_equal(odf_parse_media_event(b, 8, &o), 0);
	assert_false(o.media_present);
	assert_true(o.tray_open);
	assert_int_equal(odf_parse_media_event(b, 6, &o), ODF_E_FORMAT);
	assert_int_equal(odf_parse_media_event(b, 3, &o), ODF_E_FORMAT);
	b[2] = 0x84;	/* NEA: no event available */
	assert_int_equal(odf_parse_media_event(b, 8, &o), ODF_E_UNSUPPORTED);
	b[2] = 0x02;	/* another class */
	assert_int_equal(odf_parse_media_event(b, 8, &o), ODF_E_UNSUPPORTED);
}

static void
test_buffer_desc(void **state)
{
	const uint8_t b[4] = { 0x0c, 0x02, 0x00, 0x00 };
	struct odf_buffer_desc o;
	(void)state;
	assert_int_equal(odf_parse_buffer_desc(b, 4, &o), 0);
	assert_int_equal(o.offset_boundary, 12);
	assert_int_equal(o.capacity, 0x20000);
	assert_int_equal(odf_parse_buffer_desc(b, 3, &o), ODF_E_FORMAT);
	assert_int_equal(o.capacity, 0);
}

static void
test_rpc(void **state)
{
	/* RPC II, region set, 4 vendor resets, 3 user changes, region 2 */
	uint8_t b[8] = { 0x00, 0x06, 0, 0, 0x63, 0xfd, 0x01, 0x00 };
	struct odf_rpc_state o;
	(void)state;
	assert_int_equal(odf_parse_rpc_state(b, 8, &o), 0);
	assert_int_equal(o.type_code, 1);
	assert_int_equal(o.vendor_resets, 4);
	assert_int_equal(o.user_changes, 3);
	assert_int_equal(o.region_mask, 0xfd);
	assert_int_equal(o.rpc_scheme, 1);
	assert_int_equal(o.region, 2);
	b[5] = 0x7f;		/* region 8 */
	assert_int_equal(odf_parse_rpc_state(b, 8, &o), 0);
	assert_int_equal(o.region, 8);
	b[5] = 0x00;		/* every region playable */
	assert_int_equal(odf_parse_rpc_state(b, 8, &o), 0);
	assert_int_equal(o.region, -1);
	b[4] = 0x2d;		/* type 0: no region set */
	b[5] = 0xff;
	assert_int_equal(odf_parse_rpc_state(b, 8, &o), 0);
	assert_int_equal(o.type_code, 0);
	assert_int_equal(o.vendor_resets, 5);
	assert_int_equal(o.user_changes, 5);
	assert_int_equal(o.region, 0);
	assert_int_equal(odf_parse_rpc_state(b, 7, &o), ODF_E_FORMAT);
	b[1] = 2;
	assert_int_equal(odf_parse_rpc_state(b, 8, &o), ODF_E_FORMAT);
}

/* ---- classification ---- */

static void
init_cmd(struct odf_cmd *c, size_t len)
{
	static uint8_t buf[65536];
	const uint8_t cdb[6] = { 0x12, 0, 0, 0, 96, 0 };
	odf_cmd_init(c, cdb, 6, len ? ODF_DIR_IN : ODF_DIR_NONE,
		     len ? buf : NULL, len, 0);
}

static void
test_classify_sense(void **state)
{
	struct odf_cmd c;
	struct odf_diag d;
	const uint8_t s[18] = { 0x70, 0, 0x05, 0, 0, 0, 0, 10, 0, 0, 0, 0,
				0x20, 0x00 };
	(void)state;
	init_cmd(&c, 96);
	c.scsi_status = ODF_SAM_CHECK_CONDITION;
	memcpy(c.sense, s, sizeof(s));
	c.sense_len = sizeof(s);
	odf_diag_clear(&d);
	assert_int_equal(odfi_scsi_classify(&c, "INQUIRY", &d), ODF_E_SENSE);
	assert_int_equal(d.err, ODF_E_SENSE);
	assert_int_equal(d.sense_valid, 1);
	assert_int_equal(d.sense_key, 5);
	assert_int_equal(d.asc, 0x20);
	assert_int_equal(d.ascq, 0);
	assert_string_equal(d.msg, "INQUIRY failed: Illegal Request: Invalid "
			    "command operation code (05/20/00)");
	assert_string_equal(d.step, "INQUIRY");
	assert_int_equal(d.reason, ODF_R_COMMAND_UNSUPPORTED);
	assert_string_equal(odf_reason_name(d.reason), "command-unsupported");
	/* NULL diag is fine */
	assert_int_equal(odfi_scsi_classify(&c, "INQUIRY", NULL), ODF_E_SENSE);
	/* unreadable sense */
	c.sense[0] = 0x00;
	odf_diag_clear(&d);
	assert_int_equal(odfi_scsi_classify(&c, "TEST UNIT READY", &d),
			 ODF_E_SENSE);
	assert_int_equal(d.sense_valid, 0);
	assert_true(strstr(d.msg, "unreadable sense") != NULL);
}

static void
test_classify_os_transport_status(void **state)
{
	struct odf_cmd c;
	struct odf_diag d;
	(void)state;
	init_cmd(&c, 0);
	odf_diag_clear(&d);
	assert_int_equal(odfi_scsi_classify(&c, "TEST UNIT READY", &d), 0);
	assert_int_equal(d.err, 0);

	init_cmd(&c, 65536);
	c.os_err = EINVAL;
	odf_diag_clear(&d);
	assert_int_equal(odfi_scsi_classify(&c, "WRITE BUFFER", &d), ODF_E_IO);
	assert_int_equal(d.os_errno, EINVAL);
	assert_true(strstr(d.msg, "65536-byte transfer") != NULL);
	assert_true(strstr(d.msg, "may not carry transfers that large")
		    != NULL);

	init_cmd(&c, 0);
	c.os_err = EPERM;
	odf_diag_clear(&d);
	assert_int_equal(odfi_scsi_classify(&c, "WRITE BUFFER", &d), ODF_E_IO);
	assert_true(strstr(d.msg, "may not carry") == NULL);

	init_cmd(&c, 0);
	c.host_status = ODF_HOST_TIME_OUT;
	c.scsi_status = ODF_SAM_CHECK_CONDITION;	/* transport wins */
	c.sense_len = 18;
	odf_diag_clear(&d);
	assert_int_equal(odfi_scsi_classify(&c, "READ BUFFER", &d),
			 ODF_E_TIMEOUT);

	init_cmd(&c, 0);
	c.host_status = ODF_HOST_NO_CONNECT;
	odf_diag_clear(&d);
	assert_int_equal(odfi_scsi_classify(&c, "READ BUFFER", &d),
			 ODF_E_TRANSPORT);
	assert_true(strstr(d.msg, "no connection") != NULL);

	init_cmd(&c, 0);
	c.scsi_status = ODF_SAM_BUSY;
	odf_diag_clear(&d);
	assert_int_equal(odfi_scsi_classify(&c, "INQUIRY", &d),
			 ODF_E_TRANSPORT);
	assert_true(strstr(d.msg, "BUSY") != NULL);
}

static void
test_ascii_field(void **state)
{
	char out[8];
	(void)state;
	assert_true(odfi_ascii_field((const uint8_t *)"  AB C  ", 8, out,
				     sizeof(out)));
	assert_string_equal(out, "AB C");
	assert_true(odfi_ascii_field((const uint8_t *)"XY\0\x01zz", 6, out,
				     sizeof(out)));
	assert_string_equal(out, "XY");
	assert_false(odfi_ascii_field((const uint8_t *)"A\tB", 3, out,
				      sizeof(out)));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inquiry_good),
		cmocka_unit_test(test_inquiry_short_and_garbage),
		cmocka_unit_test(test_vpd),
		cmocka_unit_test(test_caps_page),
		cmocka_unit_test(test_configuration),
		cmocka_unit_test(test_media_event),
		cmocka_unit_test(test_buffer_desc),
		cmocka_unit_test(test_rpc),
		cmocka_unit_test(test_classify_sense),
		cmocka_unit_test(test_classify_os_transport_status),
		cmocka_unit_test(test_ascii_field),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
