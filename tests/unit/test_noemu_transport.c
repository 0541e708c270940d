/* A program linked without libodemu (this binary: libodf only, see the
 * Makefile) given emu:PATH gets a clear error, not a crash; and the
 * backend registration API refuses what it must. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "odf/transport.h"

static void
test_emu_without_libodemu(void **st)
{
	struct odf_dev *dev = (struct odf_dev *)&dev;
	struct odf_diag d;

	(void)st;
	odf_diag_clear(&d);
	assert_int_equal(odf_dev_open("emu:/nonexistent.state", 0, &dev, &d),
			 ODF_E_UNSUPPORTED);
	assert_null(dev);
	assert_non_null(strstr(d.msg, "without the emulator (libodemu)"));
}

static int
fake_open(void **priv, const char *name, unsigned flags,
	  struct odf_dev_info *info, struct odf_diag *d)
{
	(void)flags;
	(void)d;
	*priv = (void *)name;
	info->bus = ODF_BUS_EMU;
	info->max_transfer = 4096;
	return 0;
}

static int n_exec, n_close;

static int
fake_exec(void *priv, struct odf_cmd *c)
{
	(void)priv;
	c->scsi_status = 2;
	n_exec++;
	return 0;
}

static void
fake_close(void *priv)
{
	(void)priv;
	n_close++;
}

static void
test_register(void **st)
{
	static const struct odf_backend_ops fake = {
		"fake", "fake:", fake_open, fake_exec, fake_close };
	static const struct odf_backend_ops clash = {
		"clash", "null:", fake_open, fake_exec, fake_close };
	static const struct odf_backend_ops bad = {
		"bad", "", fake_open, fake_exec, fake_close };
	static const uint8_t tur[6] = { 0 };
	struct odf_dev *dev = NULL;
	struct odf_cmd c;

	(void)st;
	assert_int_equal(odf_transport_register(NULL), ODF_E_USAGE);
	assert_int_equal(odf_transport_register(&bad), ODF_E_USAGE);
	assert_int_equal(odf_transport_register(&clash), ODF_E_USAGE);
	assert_int_equal(odf_transport_register(&fake), 0);
	assert_int_equal(odf_transport_register(&fake), 0);	/* again */
	assert_int_equal(odf_dev_open("fake:x", 0, &dev, NULL), 0);
	assert_string_equal(odf_dev_get_info(dev)->backend, "fake");
	assert_string_equal(odf_dev_get_info(dev)->name, "fake:x");
	assert_int_equal(odf_dev_get_info(dev)->max_transfer, 4096);
	odf_cmd_init(&c, tur, 6, ODF_DIR_NONE, NULL, 0, 1000);
	assert_int_equal(odf_dev_exec(dev, &c), 0);
	assert_int_equal(c.scsi_status, 2);
	assert_int_equal(n_exec, 1);
	odf_dev_close(dev);
	assert_int_equal(n_close, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_emu_without_libodemu),
		cmocka_unit_test(test_register),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
