/* Sense data: fixed, descriptor, deferred, truncated, garbage, text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "odf/scsi.h"

static void
test_fixed(void **state)
{
	/* scsi-cd answer to an unknown opcode (rig notes): 70 00 05 .. 20 00 */
	const uint8_t s[18] = { 0x70, 0, 0x05, 0, 0, 0, 0, 10, 0, 0, 0, 0,
				0x20, 0x00, 0, 0, 0, 0 };
	struct odf_sense o;
	(void)state;
	assert_int_equal(odf_sense_parse(s, sizeof(s), &o), 0);
	assert_true(o.valid);
	assert_false(o.descriptor);
	assert_false(o.deferred);
	assert_false(o.truncated);
	assert_false(o.info_valid);
	assert_int_equal(o.response_code, 0x70);
	assert_int_equal(o.key, 5);
	assert_int_equal(o.asc, 0x20);
	assert_int_equal(o.ascq, 0);
}

static void
test_fixed_atapi_valid_info(void **state)
{
	/* ATAPI sets VALID: f0; information 0x00012345 */
	const uint8_t s[18] = { 0xf0, 0, 0x03, 0x00, 0x01, 0x23, 0x45, 10, 0,
				0, 0, 0, 0x11, 0x05, 0, 0, 0, 0 };
	struct odf_sense o;
	(void)state;
	assert_int_equal(odf_sense_parse(s, sizeof(s), &o), 0);
	assert_int_equal(o.response_code, 0x70);
	assert_true(o.info_valid);
	assert_int_equal(o.info, 0x12345);
	assert_int_equal(o.key, ODF_SK_MEDIUM_ERROR);
	assert_int_equal(o.asc, 0x11);
	assert_int_equal(o.ascq, 0x05);
}

static void
test_fixed_deferred(void **state)
{
	const uint8_t s[18] = { 0x71, 0, 0x04, 0, 0, 0, 0, 10, 0, 0, 0, 0,
				0x44, 0x00, 0, 0, 0, 0 };
	struct odf_sense o;
	(void)state;
	assert_int_equal(odf_sense_parse(s, sizeof(s), &o), 0);
	assert_true(o.deferred);
	assert_false(o.descriptor);
	assert_int_equal(o.key, ODF_SK_HARDWARE_ERROR);
	assert_int_equal(o.asc, 0x44);
}

static void
test_fixed_truncated(void **state)
{
	/* says 10 more bytes, only 13 of 18 present: key and ASC kept */
	const uint8_t s[13] = { 0x70, 0, 0x06, 0, 0, 0, 0, 10, 0, 0, 0, 0,
				0x29 };
	struct odf_sense o;
	(void)state;
	assert_int_equal(odf_sense_parse(s, sizeof(s), &o), 0);
	assert_true(o.valid);
	assert_true(o.truncated);
	assert_int_equal(o.key, ODF_SK_UNIT_ATTENTION);
	assert_int_equal(o.asc, 0x29);
	assert_int_equal(o.ascq, 0);
	/* 3 bytes: the key only */
	assert_int_equal(odf_sense_parse(s, 3, &o), 0);
	assert_true(o.truncated);
	assert_int_equal(o.key, 6);
	assert_int_equal(o.asc, 0);
}

static void
test_descriptor(void **state)
{
	/* 72h, 06/3F/01, information descriptor with VALID and info */
	const uint8_t s[20] = { 0x72, 0x06, 0x3f, 0x01, 0, 0, 0, 12,
				0x00, 0x0a, 0x80, 0, 0, 0, 0, 0, 0, 0, 0x12,
				0x34 };
	struct odf_sense o;
	(void)state;
	assert_int_equal(odf_sense_parse(s, sizeof(s), &o), 0);
	assert_true(o.valid);
	assert_true(o.descriptor);
	assert_false(o.deferred);
	assert_false(o.truncated);
	assert_int_equal(o.key, 6);
	assert_int_equal(o.asc, 0x3f);
	assert_int_equal(o.ascq, 0x01);
	assert_true(o.info_valid);
	assert_int_equal(o.info, 0x1234);
}

static void
test_descriptor_deferred_truncated(void **state)
{
	const uint8_t s[10] = { 0x73, 0x02, 0x04, 0x01, 0, 0, 0, 12, 0x00,
				0x0a };
	struct odf_sense o;
	(void)state;
	assert_int_equal(odf_sense_parse(s, sizeof(s), &o), 0);
	assert_true(o.deferred);
	assert_true(o.descriptor);
	assert_true(o.truncated);
	assert_false(o.info_valid);
	assert_int_equal(o.key, 2);
	assert_int_equal(o.asc, 4);
	assert_int_equal(o.ascq, 1);
	assert_int_equal(odf_sense_parse(s, 4, &o), 0);
	assert_true(o.truncated);
	assert_int_equal(o.asc, 4);
}

static void
test_garbage(void **state)
{
	const uint8_t junk[8] = { 0x12, 0x34, 0x56, 0x78, 0, 0, 0, 0 };
	const uint8_t shortfix[2] = { 0x70, 0 };
	const uint8_t shortdesc[3] = { 0x72, 5, 0x24 };
	struct odf_sense o;
	(void)state;
	assert_int_equal(odf_sense_parse(junk, sizeof(junk), &o), ODF_E_FORMAT);
	assert_false(o.valid);
	assert_int_equal(odf_sense_parse(junk, 0, &o), ODF_E_FORMAT);
	assert_int_equal(odf_sense_parse(NULL, 18, &o), ODF_E_FORMAT);
	assert_int_equal(odf_sense_parse(shortfix, 2, &o), ODF_E_FORMAT);
	assert_false(o.valid);
	assert_int_equal(odf_sense_parse(shortdesc, 3, &o), ODF_E_FORMAT);
	/* vendor-specific response code 7Fh is not sense we understand */
	{
		const uint8_t v[18] = { 0x7f, 0, 5 };
		assert_int_equal(odf_sense_parse(v, 18, &o), ODF_E_FORMAT);
	}
}

static void
test_text(void **state)
{
	char b[128];
	(void)state;
	assert_string_equal(odf_sense_text(5, 0x20, 0, b, sizeof(b)),
			    "Illegal Request: Invalid command operation code");
	assert_string_equal(odf_sense_text(2, 0x3a, 0, b, sizeof(b)),
			    "Not Ready: Medium not present");
	assert_string_equal(odf_sense_text(6, 0x3f, 0x01, b, sizeof(b)),
			    "Unit Attention: Microcode has been changed");
	assert_string_equal(odf_sense_text(5, 0x24, 0, b, sizeof(b)),
			    "Illegal Request: Invalid field in cdb");
	/* small buffers still end in NUL */
	odf_sense_text(5, 0x20, 0, b, 8);
	assert_int_equal(strlen(b), 7);
	assert_string_equal(b, "Illegal");
}

static unsigned
cls(bool valid, uint8_t key, uint8_t asc, uint8_t ascq)
{
	struct odf_sense s;

	memset(&s, 0, sizeof(s));
	s.valid = valid;
	s.key = key;
	s.asc = asc;
	s.ascq = ascq;
	return odf_sense_class(&s);
}

static void
test_class(void **state)
{
	struct odf_diag d;
	struct odf_sense s;
	(void)state;
	assert_int_equal(odf_sense_class(NULL), 0);
	assert_int_equal(cls(false, 2, 0x3a, 0), 0);
	assert_int_equal(cls(true, 2, 0x3a, 0),
			 ODF_SC_NO_MEDIUM | ODF_SC_REFUSED);
	assert_int_equal(cls(true, 2, 0x3a, 2),
			 ODF_SC_NO_MEDIUM | ODF_SC_REFUSED);
	assert_int_equal(cls(true, 2, 0x04, 0x02), ODF_SC_STOPPED);
	assert_int_equal(cls(true, 2, 0x04, 0x01), 0);	/* becoming ready */
	assert_int_equal(cls(true, 5, 0x20, 0), ODF_SC_REFUSED | ODF_SC_FATAL);
	assert_int_equal(cls(true, 5, 0x24, 0), ODF_SC_REFUSED | ODF_SC_FATAL);
	assert_int_equal(cls(true, 5, 0x21, 0), ODF_SC_FATAL);
	assert_int_equal(cls(true, 6, 0x29, 0), ODF_SC_UA);
	assert_int_equal(cls(true, 3, 0x0c, 0), ODF_SC_FATAL);
	assert_int_equal(cls(true, 4, 0x44, 0), ODF_SC_FATAL);
	assert_int_equal(cls(true, 5, 0x53, 0x02),
			 ODF_SC_TRAY_LOCKED | ODF_SC_FATAL);
	assert_int_equal(cls(true, 2, 0x53, 0x00), ODF_SC_TRAY_LOCKED);
	assert_int_equal(cls(true, 0xb, 0x00, 0), 0);

	odf_diag_clear(&d);
	assert_int_equal(odf_diag_sense_class(NULL), 0);
	assert_int_equal(odf_diag_sense_class(&d), 0);
	memset(&s, 0, sizeof(s));
	s.key = 6;	/* not valid: not copied */
	odf_diag_set_sense(&d, &s);
	assert_int_equal(d.sense_valid, 0);
	s.valid = true;
	s.key = 5;
	s.asc = 0x20;
	s.ascq = 0x01;
	odf_diag_set_sense(&d, &s);
	odf_diag_set_sense(NULL, &s);
	assert_int_equal(d.sense_valid, 1);
	assert_int_equal(d.sense_key, 5);
	assert_int_equal(d.asc, 0x20);
	assert_int_equal(d.ascq, 0x01);
	assert_int_equal(odf_diag_sense_class(&d),
			 ODF_SC_REFUSED | ODF_SC_FATAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixed),
		cmocka_unit_test(test_fixed_atapi_valid_info),
		cmocka_unit_test(test_fixed_deferred),
		cmocka_unit_test(test_fixed_truncated),
		cmocka_unit_test(test_descriptor),
		cmocka_unit_test(test_descriptor_deferred_truncated),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_class),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
