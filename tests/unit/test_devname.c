/* Device names and scan against a fake sysfs + /dev tree built in a
 * mktemp directory. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "odf/transport.h"

static char root[256], sys[300], dev[300];

/* snprintf through a wrapper: test paths are short, truncation fails. */
static void __attribute__((format(printf, 3, 4)))
fmtp(char *out, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;
	va_start(ap, fmt);
	n = vsnprintf(out, size, fmt, ap);
	va_end(ap);
	assert_true(n >= 0 && (size_t)n < size);
}

static void
mkdirs(const char *path)
{
	char tmp[1024];
	fmtp(tmp, sizeof(tmp), "%s", path);
	for (char *p = tmp + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(tmp, 0755);
			*p = '/';
		}
	mkdir(tmp, 0755);
}

static void __attribute__((format(printf, 2, 3)))
writef(const char *path, const char *fmt, ...)
{
	va_list ap;
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fclose(f);
}

static void
link_to(const char *target, const char *linkpath)
{
	assert_int_equal(symlink(target, linkpath), 0);
}

/* One SCSI device at sys/<devpath> with optional sr/sg nodes. */
static void
add_device(const char *hctl, const char *devpath, int type, const char *sr,
	   const char *sg, unsigned max_kb, unsigned max_seg)
{
	char d[1024], p[1024];

	fmtp(d, sizeof(d), "%s/%s", sys, devpath);
	mkdirs(d);
	fmtp(p, sizeof(p), "%s/type", d);
	writef(p, "%d\n", type);
	fmtp(p, sizeof(p), "%s/class/scsi_device/%s", sys, hctl);
	mkdirs(p);
	strcat(p, "/device");
	link_to(d, p);
	if (sr) {
		fmtp(p, sizeof(p), "%s/block/%s", d, sr);
		mkdirs(p);
		fmtp(p, sizeof(p), "%s/block/%s/queue", sys, sr);
		mkdirs(p);
		fmtp(p, sizeof(p), "%s/block/%s/queue/max_hw_sectors_kb",
			 sys, sr);
		writef(p, "%u\n", max_kb);
		fmtp(p, sizeof(p), "%s/block/%s/queue/max_segments", sys,
			 sr);
		writef(p, "%u\n", max_seg);
		fmtp(p, sizeof(p), "%s/block/%s/device", sys, sr);
		link_to(d, p);
		fmtp(p, sizeof(p), "%s/%s", dev, sr);
		writef(p, "%s", "");
	}
	if (sg) {
		fmtp(p, sizeof(p), "%s/scsi_generic/%s", d, sg);
		mkdirs(p);
		fmtp(p, sizeof(p), "%s/class/scsi_generic/%s", sys, sg);
		mkdirs(p);
		strcat(p, "/device");
		link_to(d, p);
		fmtp(p, sizeof(p), "%s/%s", dev, sg);
		writef(p, "%s", "");
	}
}

static void
bind_driver(const char *devpath, const char *driver)
{
	char d[1024], p[1024];
	fmtp(d, sizeof(d), "%s/bus/usb/drivers/%s", sys, driver);
	mkdirs(d);
	fmtp(p, sizeof(p), "%s/%s/driver", sys, devpath);
	link_to(d, p);
}

#define ATA_DEV "devices/pci0000:00/0000:00:1f.2/ata3/host2/target2:0:0/2:0:0:0"
#define USB_IF "devices/pci0000:00/0000:00:14.0/usb2/2-1/2-1:1.0"
#define USB_DEV USB_IF "/host6/target6:0:0/6:0:0:0"
#define UAS_IF "devices/pci0000:00/0000:00:14.0/usb3/3-2/3-2:1.0"
#define UAS_DEV UAS_IF "/host7/target7:0:0/7:0:0:0"
#define DISK_DEV "devices/pci0000:00/0000:00:1f.2/ata1/host0/target0:0:0/0:0:0:0"
#define DEBUG_DEV "devices/pseudo_0/adapter0/host9/target9:0:0/9:0:0:0"

static int
setup(void **state)
{
	char p[1024];
	(void)state;
	fmtp(root, sizeof(root), "/tmp/odf-devname-XXXXXX");
	if (mkdtemp(root) == NULL)
		return -1;
	fmtp(sys, sizeof(sys), "%s/sys", root);
	fmtp(dev, sizeof(dev), "%s/dev", root);
	mkdirs(sys);
	mkdirs(dev);
	add_device("2:0:0:0", ATA_DEV, 5, "sr0", "sg1", 120, 168);
	add_device("6:0:0:0", USB_DEV, 5, "sr1", "sg3", 120, 2048);
	bind_driver(USB_IF, "usb-storage");
	add_device("7:0:0:0", UAS_DEV, 5, "sr2", "sg4", 512, 128);
	bind_driver(UAS_IF, "uas");
	add_device("0:0:0:0", DISK_DEV, 0, NULL, "sg0", 0, 0);
	add_device("9:0:0:0", DEBUG_DEV, 5, NULL, "sg9", 0, 0);
	fmtp(p, sizeof(p), "%s/disk/by-id", dev);
	mkdirs(p);
	strcat(p, "/ata-HL-DT-ST_DVDRAM_GH24NSD1_K1234");
	link_to("../../sr0", p);
	fmtp(p, sizeof(p), "%s/disk/by-path", dev);
	mkdirs(p);
	strcat(p, "/pci-0000:00:14.0-usb-0:1:1.0-scsi-0:0:0:0");
	link_to("../../sr1", p);
	fmtp(p, sizeof(p), "%s/null", dev);
	writef(p, "%s", "");
	return 0;
}

static int
teardown(void **state)
{
	char cmd[600];
	(void)state;
	fmtp(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : -1;
}

static void
expect_ata(const struct odf_dev_info *i, const char *name)
{
	char p[1024];
	assert_string_equal(i->name, name);
	assert_string_equal(i->hctl, "2:0:0:0");
	fmtp(p, sizeof(p), "%s/sg1", dev);
	assert_string_equal(i->sg_path, p);
	fmtp(p, sizeof(p), "%s/sr0", dev);
	assert_string_equal(i->block_path, p);
	fmtp(p, sizeof(p), "%s/class/scsi_device/2:0:0:0/device", sys);
	assert_string_equal(i->sysfs, p);
	assert_int_equal(i->bus, ODF_BUS_ATA);
	assert_int_equal(i->max_transfer, 120 * 1024);
	assert_int_equal(i->max_segments, 168);
}

static void
test_sr_sg_names(void **state)
{
	struct odf_dev_info i;
	struct odf_diag d;
	(void)state;
	odf_diag_clear(&d);
	assert_int_equal(odf_resolve_name(sys, dev, "/dev/sr0", &i, &d), 0);
	expect_ata(&i, "/dev/sr0");
	assert_int_equal(odf_resolve_name(sys, dev, "/dev/sg1", &i, &d), 0);
	expect_ata(&i, "/dev/sg1");
	assert_int_equal(odf_resolve_name(sys, dev, "sr0", &i, &d), 0);
	expect_ata(&i, "sr0");
	assert_int_equal(d.err, 0);
}

static void
test_links_and_hctl(void **state)
{
	struct odf_dev_info i;
	char p[1024];
	(void)state;
	assert_int_equal(odf_resolve_name(sys, dev, "/dev/disk/by-id/"
		"ata-HL-DT-ST_DVDRAM_GH24NSD1_K1234", &i, NULL), 0);
	assert_string_equal(i.hctl, "2:0:0:0");
	assert_int_equal(i.bus, ODF_BUS_ATA);
	assert_int_equal(odf_resolve_name(sys, dev, "/dev/disk/by-path/"
		"pci-0000:00:14.0-usb-0:1:1.0-scsi-0:0:0:0", &i, NULL), 0);
	assert_string_equal(i.hctl, "6:0:0:0");
	fmtp(p, sizeof(p), "%s/sr1", dev);
	assert_string_equal(i.block_path, p);
	assert_int_equal(odf_resolve_name(sys, dev, "2:0:0:0", &i, NULL), 0);
	expect_ata(&i, "2:0:0:0");
	/* a device without sr: sg only, no transfer cap known */
	assert_int_equal(odf_resolve_name(sys, dev, "0:0:0:0", &i, NULL), 0);
	assert_string_equal(i.block_path, "");
	fmtp(p, sizeof(p), "%s/sg0", dev);
	assert_string_equal(i.sg_path, p);
	assert_int_equal(i.max_transfer, 0);
}

static void
test_errors(void **state)
{
	struct odf_dev_info i;
	struct odf_diag d;
	(void)state;
	odf_diag_clear(&d);
	assert_int_equal(odf_resolve_name(sys, dev, "/dev/sr9", &i, &d),
			 ODF_E_NODEV);
	assert_int_equal(d.err, ODF_E_NODEV);
	assert_string_equal(d.msg, "device /dev/sr9 does not exist");
	assert_int_equal(d.reason, ODF_R_NO_SUCH_DEVICE);
	assert_string_equal(d.device, "/dev/sr9");
	odf_diag_clear(&d);
	assert_int_equal(odf_resolve_name(sys, dev, "/dev/null", &i, &d),
			 ODF_E_NOTSCSI);
	assert_string_equal(d.msg, "/dev/null is not a SCSI/ATAPI device");
	odf_diag_clear(&d);
	assert_int_equal(odf_resolve_name(sys, dev, "9:9:9:9", &i, &d),
			 ODF_E_NODEV);
	assert_string_equal(d.msg, "no SCSI device at 9:9:9:9");
	assert_int_equal(odf_resolve_name(sys, dev, "", &i, NULL),
			 ODF_E_USAGE);
	/* an sr name that sysfs does not know and that is no block device */
	{
		char p[1024];
		fmtp(p, sizeof(p), "%s/sr7", dev);
		writef(p, "%s", "");
		assert_int_equal(odf_resolve_name(sys, dev, "/dev/sr7", &i,
						  NULL), ODF_E_NOTSCSI);
		unlink(p);
	}
}

static void
test_bus_kinds(void **state)
{
	struct odf_dev_info i;
	(void)state;
	assert_int_equal(odf_resolve_name(sys, dev, "/dev/sr1", &i, NULL), 0);
	assert_int_equal(i.bus, ODF_BUS_USB);
	assert_int_equal(i.max_transfer, 120 * 1024);
	assert_int_equal(i.max_segments, 2048);
	assert_int_equal(odf_resolve_name(sys, dev, "/dev/sr2", &i, NULL), 0);
	assert_int_equal(i.bus, ODF_BUS_UAS);
	assert_int_equal(i.max_transfer, 512 * 1024);
	assert_int_equal(odf_resolve_name(sys, dev, "/dev/sg9", &i, NULL), 0);
	assert_int_equal(i.bus, ODF_BUS_VIRTUAL);
	assert_string_equal(odf_bus_name(ODF_BUS_UAS), "uas");
}

static void
test_scan(void **state)
{
	struct odf_scan_entry *l = NULL;
	size_t n = 99;
	char empty[600];
	(void)state;
	assert_int_equal(odf_scan(sys, &l, &n, NULL), 0);
	assert_int_equal(n, 4);	/* the type-0 disk is skipped */
	assert_string_equal(l[0].info.hctl, "2:0:0:0");
	assert_string_equal(l[0].info.name, "/dev/sr0");
	assert_string_equal(l[0].info.block_path, "/dev/sr0");
	assert_string_equal(l[0].info.sg_path, "/dev/sg1");
	assert_string_equal(l[0].info.backend, "linux");
	assert_int_equal(l[0].info.bus, ODF_BUS_ATA);
	assert_int_equal(l[0].info.max_transfer, 120 * 1024);
	assert_string_equal(l[1].info.hctl, "6:0:0:0");
	assert_int_equal(l[1].info.bus, ODF_BUS_USB);
	assert_string_equal(l[2].info.hctl, "7:0:0:0");
	assert_int_equal(l[2].info.bus, ODF_BUS_UAS);
	assert_string_equal(l[3].info.hctl, "9:0:0:0");
	assert_string_equal(l[3].info.name, "/dev/sg9");
	free(l);

	/* no SCSI devices at all: zero entries, success */
	fmtp(empty, sizeof(empty), "%s/empty-sys", root);
	mkdirs(empty);
	l = (void *)1;
	assert_int_equal(odf_scan(empty, &l, &n, NULL), 0);
	assert_int_equal(n, 0);
	assert_null(l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sr_sg_names),
		cmocka_unit_test(test_links_and_hctl),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_bus_kinds),
		cmocka_unit_test(test_scan),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
