/* The command runners end to end on an emulated drive (emu:STATE made
 * with $ODF_BIN/odemu), including the error paths: no disc, a bridge
 * that caps transfers, an unknown buffer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "odf/scsi.h"
#include "util/platform.h"

static char dir[64], state_path[128], devname[160];

static int
odemu(const char *args)
{
	char cmd[512];
	const char *bin = getenv("ODF_BIN");
	snprintf(cmd, sizeof(cmd), "'%s/odemu' %s >/dev/null 2>&1",
		 bin ? bin : "build", args);
	return system(cmd);
}

static int
setup(void **state)
{
	char args[256];
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/odf-runners-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(state_path, sizeof(state_path), "%s/drive", dir);
	snprintf(devname, sizeof(devname), "emu:%s", state_path);
	snprintf(args, sizeof(args), "new spc-generic '%s' --serial SN0042",
		 state_path);
	return odemu(args) == 0 ? 0 : -1;
}

static int
teardown(void **state)
{
	char cmd[160];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
test_identify(void **state)
{
	struct odf_dev *dev;
	struct odf_inquiry q;
	struct odf_config cf;
	struct odf_caps caps;
	struct odf_diag d;
	char serial[32];
	(void)state;
	odf_diag_clear(&d);
	assert_int_equal(odf_dev_open(devname, 0, &dev, &d), 0);
	assert_string_equal(odf_dev_get_info(dev)->backend, "emu");
	assert_int_equal(odf_dev_get_info(dev)->bus, ODF_BUS_EMU);
	assert_int_equal(odf_drain_unit_attention(dev, 5, &d), 0);
	assert_int_equal(odf_inquiry(dev, &q, &d), 0);
	assert_int_equal(q.pdt, 5);
	assert_string_equal(q.vendor, "ODFLASH");
	assert_string_equal(q.product, "GENERIC DVD-RW");
	assert_string_equal(q.revision, "1.00");
	assert_int_equal(odf_inquiry_serial(dev, serial, sizeof(serial), &d),
			 0);
	assert_string_equal(serial, "SN0042");
	assert_int_equal(odf_get_configuration(dev, &cf, &d), 0);
	assert_true(cf.n_profiles > 0);
	assert_true(cf.microcode_upgrade);
	assert_int_equal(odf_mode_sense_caps(dev, &caps, &d), 0);
	assert_true(caps.cdr_read);
	odf_dev_close(dev);
}

static void
test_no_disc(void **state)
{
	struct odf_dev *dev;
	struct odf_sense s;
	struct odf_media_status m;
	struct odf_diag d;
	(void)state;
	assert_int_equal(odf_dev_open(devname, 0, &dev, NULL), 0);
	odf_drain_unit_attention(dev, 5, NULL);
	odf_diag_clear(&d);
	assert_int_equal(odf_test_unit_ready(dev, &s, &d), ODF_E_SENSE);
	assert_true(s.valid);
	assert_int_equal(s.key, ODF_SK_NOT_READY);
	assert_int_equal(s.asc, 0x3a);
	assert_int_equal(d.sense_key, 2);
	assert_int_equal(d.asc, 0x3a);
	assert_true(strstr(d.msg, "TEST UNIT READY failed: Not Ready: Medium "
			   "not present") == d.msg);
	assert_int_equal(odf_get_media_status(dev, &m, NULL), 0);
	assert_false(m.media_present);
	odf_dev_close(dev);
}

static void
test_bridge_cap(void **state)
{
	struct odf_dev *dev;
	struct odf_diag d;
	char args[256];
	static uint8_t buf[65536];
	(void)state;
	snprintf(args, sizeof(args), "fault '%s' --max-transfer 4096",
		 state_path);
	assert_int_equal(odemu(args), 0);
	assert_int_equal(odf_dev_open(devname, 0, &dev, NULL), 0);
	assert_int_equal(odf_dev_get_info(dev)->max_transfer, 4096);
	odf_drain_unit_attention(dev, 5, NULL);
	odf_diag_clear(&d);
	assert_int_equal(odf_read_buffer(dev, ODF_RB_MODE_DATA, 0, 0, buf,
					 sizeof(buf), &d), ODF_E_IO);
	assert_string_equal(d.step, "READ BUFFER");
	assert_string_equal(d.msg, "READ BUFFER failed: the operating system "
			    "refused a 65536-byte transfer (Invalid argument); "
			    "the path to the drive may not carry transfers "
			    "that large");
	odf_dev_close(dev);
	snprintf(args, sizeof(args), "fault '%s' --clear", state_path);
	assert_int_equal(odemu(args), 0);
}

static void
test_open_missing(void **state)
{
	struct odf_dev *dev;
	struct odf_diag d;
	char name[200];
	(void)state;
	snprintf(name, sizeof(name), "emu:%s/nothing-here", dir);
	odf_diag_clear(&d);
	assert_int_equal(odf_dev_open(name, 0, &dev, &d), ODF_E_NODEV);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identify),
		cmocka_unit_test(test_no_disc),
		cmocka_unit_test(test_bridge_cap),
		cmocka_unit_test(test_open_missing),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
