/* Unit tests of the drive record the CLI prints for scan and info: the
 * exact JSON keys of docs/odflash.1 "JSON OUTPUT", nulls for unknown
 * facts, "not supported" for rejected commands.  Compiles the CLI
 * sources directly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../cli/common/cli.c"
#include "../../cli/common/esc.c"
#include "../../cli/common/events.c"
#include "../../cli/common/progress.c"
#include "../../cli/common/question.c"
#include "../../cli/common/statedir.c"
#include "../../cli/common/statedir_win32.c"
#include "../../cli/common/drive.c"
#include "../../cli/common/words.c"

static const char *const scan_keys[] = {
	"device", "block_device", "hctl", "vendor", "model", "revision",
	"transport", "max_transfer", "mode", "driver",
};
#define N_SCAN_KEYS (sizeof(scan_keys) / sizeof(scan_keys[0]))

static void
sample(struct cli_drive *dr)
{
	memset(dr, 0, sizeof(*dr));
	snprintf(dr->device, sizeof(dr->device), "/dev/sr0");
	snprintf(dr->block_device, sizeof(dr->block_device), "/dev/sr0");
	snprintf(dr->hctl, sizeof(dr->hctl), "1:0:0:0");
	snprintf(dr->transport, sizeof(dr->transport), "usb");
	dr->max_transfer = 65536;
	dr->opened = dr->identified = true;
	snprintf(dr->id.vendor, sizeof(dr->id.vendor), "_NEC");
	snprintf(dr->id.product, sizeof(dr->id.product), "DVD_RW ND-3500AG");
	snprintf(dr->id.revision, sizeof(dr->id.revision), "2.1A");
	dr->id.mode = ODF_MODE_NORMAL;
	snprintf(dr->driver, sizeof(dr->driver), "nec");
}

static const char *
jstr(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	assert_true(json_object_object_get_ex(o, key, &v));
	return v ? json_object_get_string(v) : NULL;
}

static void
test_scan_record_keys(void **state)
{
	struct cli_drive dr;
	struct json_object *o, *v;
	size_t i;

	(void)state;
	sample(&dr);
	o = cli_drive_json(&dr);
	for (i = 0; i < N_SCAN_KEYS; i++)
		assert_true(json_object_object_get_ex(o, scan_keys[i], NULL));
	assert_int_equal(json_object_object_length(o), (int)N_SCAN_KEYS);
	assert_string_equal(jstr(o, "device"), "/dev/sr0");
	assert_string_equal(jstr(o, "vendor"), "_NEC");
	assert_string_equal(jstr(o, "model"), "DVD_RW ND-3500AG");
	assert_string_equal(jstr(o, "revision"), "2.1A");
	assert_string_equal(jstr(o, "hctl"), "1:0:0:0");
	assert_string_equal(jstr(o, "transport"), "usb");
	assert_string_equal(jstr(o, "mode"), "normal");
	assert_string_equal(jstr(o, "driver"), "nec");
	assert_true(json_object_object_get_ex(o, "max_transfer", &v));
	assert_true(json_object_is_type(v, json_type_int));
	assert_int_equal(json_object_get_int64(v), 65536);
	json_object_put(o);
}

static void
test_scan_record_unknowns(void **state)
{
	struct cli_drive dr;
	struct json_object *o, *v;

	(void)state;
	memset(&dr, 0, sizeof(dr));
	snprintf(dr.device, sizeof(dr.device), "emu:/tmp/x.state");
	dr.open_err = dr.err = ODF_E_ACCESS;
	dr.id.mode = ODF_MODE_UNKNOWN;
	snprintf(dr.problem, sizeof(dr.problem), "permission denied");
	odf_diag_set(&dr.diag, ODF_E_ACCESS, "permission denied");
	o = cli_drive_json(&dr);
	assert_true(json_object_object_get_ex(o, "block_device", &v));
	assert_null(v);
	assert_true(json_object_object_get_ex(o, "max_transfer", &v));
	assert_null(v);
	assert_true(json_object_object_get_ex(o, "mode", &v));
	assert_null(v);
	assert_true(json_object_object_get_ex(o, "driver", &v));
	assert_null(v);
	/* the one error shape */
	assert_true(json_object_object_get_ex(o, "error", &v));
	assert_string_equal(jstr(v, "message"), "permission denied");
	assert_string_equal(jstr(v, "code"), odf_err_name(ODF_E_ACCESS));
	assert_true(json_object_object_get_ex(v, "exit_code", NULL));
	assert_true(json_object_object_get_ex(o, "permission_denied", &v));
	assert_true(json_object_get_boolean(v));
	json_object_put(o);
}

static void
test_info_record(void **state)
{
	struct cli_drive dr;
	struct cli_drive_more m;
	struct json_object *o, *v, *f, *r;

	(void)state;
	sample(&dr);
	snprintf(dr.id.serial, sizeof(dr.id.serial), "SN123");
	memset(&m, 0, sizeof(m));
	m.config.microcode_upgrade = true;
	m.config.n_profiles = 2;
	m.config.profiles[0] = 0x0008;
	m.config.profiles[1] = 0x0010;
	snprintf(m.config.fw_date, sizeof(m.config.fw_date),
		 "2005-03-01 12:00:00");
	m.caps.dvdr_write = true;
	m.caps.loading_mech = 1;
	m.rpc_state = 1;	/* rejected: not supported */
	m.media.media_present = false;
	o = cli_drive_json(&dr);
	cli_drive_json_more(o, &dr, &m);
	assert_string_equal(jstr(o, "serial"), "SN123");
	assert_string_equal(jstr(o, "firmware_date"), "2005-03-01 12:00:00");
	assert_true(json_object_object_get_ex(o, "media_present", &v));
	assert_true(json_object_is_type(v, json_type_boolean));
	assert_false(json_object_get_boolean(v));
	assert_true(json_object_object_get_ex(o, "features", &f));
	assert_true(json_object_object_get_ex(f, "microcode_upgrade", &v));
	assert_true(json_object_get_boolean(v));
	assert_true(json_object_object_get_ex(f, "profiles", &v));
	assert_int_equal(json_object_array_length(v), 2);
	assert_string_equal(jstr(f, "loading"), "tray");
	assert_true(json_object_object_get_ex(o, "rpc", &r));
	assert_string_equal(jstr(r, "state"), "not supported");
	assert_true(json_object_object_get_ex(r, "supported", &v));
	assert_false(json_object_get_boolean(v));
	json_object_put(o);

	/* media unknown -> null; configuration rejected -> no date */
	m.media_state = 2;
	m.config_state = 1;
	o = cli_drive_json(&dr);
	cli_drive_json_more(o, &dr, &m);
	assert_true(json_object_object_get_ex(o, "media_present", &v));
	assert_null(v);
	assert_true(json_object_object_get_ex(o, "firmware_date", &v));
	assert_null(v);
	assert_true(json_object_object_get_ex(o, "features", &f));
	assert_string_equal(jstr(f, "configuration"), "not supported");
	json_object_put(o);
}

static void
test_classify(void **state)
{
	struct odf_diag d;

	(void)state;
	odf_diag_clear(&d);
	assert_int_equal(classify(0, &d), 0);
	assert_int_equal(classify(ODF_E_UNSUPPORTED, &d), 1);
	d.sense_valid = 1;
	d.sense_key = ODF_SK_ILLEGAL_REQUEST;
	assert_int_equal(classify(ODF_E_SENSE, &d), 1);
	d.sense_key = ODF_SK_NOT_READY;
	assert_int_equal(classify(ODF_E_SENSE, &d), 2);
	assert_int_equal(classify(ODF_E_TIMEOUT, &d), 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan_record_keys),
		cmocka_unit_test(test_scan_record_unknowns),
		cmocka_unit_test(test_info_record),
		cmocka_unit_test(test_classify),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
