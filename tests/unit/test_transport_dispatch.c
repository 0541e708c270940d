/* Transport: command record, result category, backend dispatch (null:,
 * linux error paths), trace hook. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "odf/scsi.h"
#include "odf/ctx.h"
#include "odf/transport.h"

static void
test_cmd_init(void **state)
{
	struct odf_cmd c;
	uint8_t buf[8];
	const uint8_t cdb[10] = { 0x3c, 2, 0, 0, 0, 0, 0, 0, 8, 0 };
	(void)state;
	memset(&c, 0xa5, sizeof(c));
	odf_cmd_init(&c, cdb, sizeof(cdb), ODF_DIR_IN, buf, sizeof(buf), 1234);
	assert_memory_equal(c.cdb, cdb, sizeof(cdb));
	for (size_t i = sizeof(cdb); i < ODF_CDB_MAX; i++)
		assert_int_equal(c.cdb[i], 0);
	assert_int_equal(c.cdb_len, 10);
	assert_int_equal(c.dir, ODF_DIR_IN);
	assert_ptr_equal(c.buf, buf);
	assert_int_equal(c.len, 8);
	assert_int_equal(c.timeout_ms, 1234);
	assert_int_equal(c.scsi_status, 0);
	assert_int_equal(c.host_status, 0);
	assert_int_equal(c.os_err, 0);
	assert_int_equal(c.sense_len, 0);
	assert_int_equal(c.resid, 0);
	assert_int_equal(c.duration_ns, 0);
}

static void
test_category(void **state)
{
	struct odf_cmd c;
	const uint8_t tur[6] = { 0 };
	(void)state;
	odf_cmd_init(&c, tur, 6, ODF_DIR_NONE, NULL, 0, 0);
	assert_int_equal(odf_cmd_category(&c), ODF_CAT_OK);
	c.scsi_status = ODF_SAM_BUSY;
	assert_int_equal(odf_cmd_category(&c), ODF_CAT_STATUS);
	c.scsi_status = ODF_SAM_CHECK_CONDITION;
	assert_int_equal(odf_cmd_category(&c), ODF_CAT_STATUS);	/* no sense */
	c.sense_len = 18;
	assert_int_equal(odf_cmd_category(&c), ODF_CAT_SENSE);
	c.driver_status = 0x08;	/* DRIVER_SENSE is no error */
	assert_int_equal(odf_cmd_category(&c), ODF_CAT_SENSE);
	c.driver_status = 0x06;	/* DRIVER_TIMEOUT */
	assert_int_equal(odf_cmd_category(&c), ODF_CAT_TRANSPORT);
	c.driver_status = 0;
	c.host_status = ODF_HOST_TIME_OUT;
	assert_int_equal(odf_cmd_category(&c), ODF_CAT_TRANSPORT);
	c.os_err = EINVAL;	/* OS error outranks everything */
	assert_int_equal(odf_cmd_category(&c), ODF_CAT_OS);
}

static void
test_bus_names(void **state)
{
	(void)state;
	assert_string_equal(odf_bus_name(ODF_BUS_ATA), "sata/pata");
	assert_string_equal(odf_bus_name(ODF_BUS_USB), "usb");
	assert_string_equal(odf_bus_name(ODF_BUS_UAS), "uas");
	assert_string_equal(odf_bus_name(ODF_BUS_SCSI), "scsi");
	assert_string_equal(odf_bus_name(ODF_BUS_FIREWIRE), "firewire");
	assert_string_equal(odf_bus_name(ODF_BUS_VIRTUAL), "virtual");
	assert_string_equal(odf_bus_name(ODF_BUS_EMU), "emu");
	assert_string_equal(odf_bus_name(ODF_BUS_UNKNOWN), "unknown");
	assert_string_equal(odf_bus_name((enum odf_bus)99), "unknown");
}

struct trace_rec {
	int calls;
	const struct odf_dev *dev;
	uint8_t op;
};

static void
trace(void *ctx, const struct odf_dev *dev, const struct odf_cmd *c)
{
	struct trace_rec *r = ctx;
	r->calls++;
	r->dev = dev;
	r->op = c->cdb[0];
}

static void
test_null_dispatch_and_trace(void **state)
{
	struct odf_dev *dev = NULL;
	const struct odf_dev_info *info;
	struct odf_cmd c;
	struct odf_diag d;
	struct trace_rec r = { 0 };
	const uint8_t inq[6] = { 0x12, 0, 0, 0, 36, 0 };
	uint8_t buf[36];
	struct odf_ctx *ctx = odf_ctx_new();
	(void)state;

	odf_ctx_set_trace(ctx, trace, &r);
	assert_int_equal(odf_dev_open_ctx(ctx, "null:anything", ODF_OPEN_WRITE,
					  &dev, NULL), 0);
	assert_non_null(dev);
	info = odf_dev_get_info(dev);
	assert_string_equal(info->backend, "null");
	assert_string_equal(info->name, "null:anything");
	assert_true(info->writable);

	odf_cmd_init(&c, inq, 6, ODF_DIR_IN, buf, sizeof(buf), 0);
	assert_int_equal(odf_dev_exec(dev, &c), ODF_E_UNSUPPORTED);
	assert_int_equal(r.calls, 1);
	assert_ptr_equal(r.dev, dev);
	assert_int_equal(r.op, 0x12);
	/* a runner reports the backend's refusal with the command's name */
	odf_diag_clear(&d);
	{
		struct odf_inquiry q;
		assert_int_equal(odf_inquiry(dev, &q, &d), ODF_E_UNSUPPORTED);
	}
	assert_int_equal(r.calls, 2);
	assert_string_equal(d.step, "INQUIRY");
	assert_true(strncmp(d.msg, "INQUIRY could not be sent", 25) == 0);
	/* malformed records never reach the backend */
	odf_cmd_init(&c, inq, 0, ODF_DIR_NONE, NULL, 0, 0);
	assert_int_equal(odf_dev_exec(dev, &c), ODF_E_USAGE);
	odf_cmd_init(&c, inq, 6, ODF_DIR_IN, NULL, 8, 0);
	assert_int_equal(odf_dev_exec(dev, &c), ODF_E_USAGE);
	odf_cmd_init(&c, inq, 6, ODF_DIR_NONE, buf, 8, 0);
	assert_int_equal(odf_dev_exec(dev, &c), ODF_E_USAGE);
	assert_int_equal(r.calls, 2);
	odf_ctx_free(ctx);
	odf_dev_close(dev);
	odf_dev_close(NULL);
}

static void
test_open_errors(void **state)
{
	struct odf_dev *dev = (void *)1;
	struct odf_diag d;
	(void)state;
	odf_diag_clear(&d);
	assert_int_equal(odf_dev_open("/dev/nonexistent", 0, &dev, &d),
			 ODF_E_NODEV);
	assert_null(dev);
	assert_string_equal(d.msg, "device /dev/nonexistent does not exist");
	assert_int_equal(odf_err_class(d.err), ODF_CLASS_DEVICE);
	odf_diag_clear(&d);
	assert_int_equal(odf_dev_open("/dev/null", 0, &dev, &d),
			 ODF_E_NOTSCSI);
	assert_string_equal(d.msg, "/dev/null is not a SCSI/ATAPI device");
	assert_int_equal(odf_err_class(d.err), ODF_CLASS_DEVICE);
	odf_diag_clear(&d);
	assert_int_equal(odf_dev_open("/dev/null", ODF_OPEN_WRITE, &dev, &d),
			 ODF_E_NOTSCSI);
	assert_int_equal(odf_dev_open("", 0, &dev, NULL), ODF_E_USAGE);
	assert_int_equal(odf_dev_open(NULL, 0, &dev, NULL), ODF_E_USAGE);
	assert_int_equal(odf_dev_open("null:x", 0x80, &dev, NULL),
			 ODF_E_USAGE);
	odf_diag_clear(&d);
	assert_int_equal(odf_dev_open("emu:", 0, &dev, &d), ODF_E_USAGE);
	assert_true(strstr(d.msg, "state file") != NULL);
	assert_null(dev);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cmd_init),
		cmocka_unit_test(test_category),
		cmocka_unit_test(test_bus_names),
		cmocka_unit_test(test_null_dispatch_and_trace),
		cmocka_unit_test(test_open_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
