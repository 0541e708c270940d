/* libodemu-preload.so's face of a Linux kernel, called through dlopen:
 * the stat family, names, and each sr/sg ioctl against emulated drives,
 * with the drive's state read back through odemu_get_status.  The
 * expected values come from the sources kernel.c cites (Linux
 * drivers/scsi/scsi_ioctl.c, sr.c, sr_ioctl.c, drivers/cdrom/cdrom.c)
 * and from the emulated drive's own answers (MMC-3 page 2Ah: 1F 13 71 03
 * 29 in bytes 2..6). */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/cdrom.h>
#include <scsi/scsi.h>
#include <scsi/sg.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cmocka.h>

#include "odemu/odemu.h"
#include "helper_tmpdir.h"

static char dir[256], drive_a[300], drive_b[300];
static void *lib;
static int (*p_open)(const char *, int, ...);
static int (*p_close)(int);
static int (*p_ioctl)(int, unsigned long, ...);
static int (*p_stat)(const char *, struct stat *);
static int (*p_lstat)(const char *, struct stat *);
static int (*p_fstat)(int, struct stat *);
static int (*p_fstatat)(int, const char *, struct stat *, int);
static int (*p_statx)(int, const char *, int, unsigned, struct statx *);
static int (*p_access)(const char *, int);
static char *(*p_realpath)(const char *, char *);
static ssize_t (*p_readlink)(const char *, char *, size_t);

#define LOAD(var, name) do { \
		void *p_ = dlsym(lib, name); \
		if (p_ == NULL) \
			return -1; \
		memcpy(&(var), &p_, sizeof(var)); \
	} while (0)

static int
setup(void **st)
{
	char so[PATH_MAX], map[1024];
	const char *bin = getenv("ODF_BIN");

	(void)st;
	if (odf_test_mkdtemp(dir, sizeof(dir), "preload") < 0)
		return -1;
	snprintf(drive_a, sizeof(drive_a), "%s/a", dir);
	snprintf(drive_b, sizeof(drive_b), "%s/b", dir);
	if (odemu_create("spc-generic", drive_a, NULL, NULL) < 0 ||
	    odemu_create("spc-generic", drive_b, NULL, NULL) < 0)
		return -1;
	snprintf(map, sizeof(map), "/dev/sr0=%s,/dev/sg0=%s,/dev/sg3=%s",
		 drive_a, drive_a, drive_b);
	if (setenv("ODEMU_MAP", map, 1) < 0)
		return -1;
	if (bin && bin[0]) {
		snprintf(so, sizeof(so), "%s/libodemu-preload.so", bin);
	} else {
		ssize_t n = readlink("/proc/self/exe", so, sizeof(so) - 40);
		char *slash;
		if (n <= 0)
			return -1;
		so[n] = '\0';
		if ((slash = strrchr(so, '/')) != NULL)
			*slash = '\0';	/* build/tests */
		strcat(so, "/../libodemu-preload.so");
	}
	lib = dlopen(so, RTLD_NOW | RTLD_LOCAL);
	if (lib == NULL) {
		fprintf(stderr, "dlopen %s: %s\n", so, dlerror());
		return -1;
	}
	LOAD(p_open, "open");
	LOAD(p_close, "close");
	LOAD(p_ioctl, "ioctl");
	LOAD(p_stat, "stat");
	LOAD(p_lstat, "lstat");
	LOAD(p_fstat, "fstat");
	LOAD(p_fstatat, "fstatat");
	LOAD(p_statx, "statx");
	LOAD(p_access, "access");
	LOAD(p_realpath, "realpath");
	LOAD(p_readlink, "readlink");
	return 0;
}

static int
teardown(void **st)
{
	(void)st;
	if (lib)
		dlclose(lib);
	odf_test_rmtree(dir);
	return 0;
}

/* The drive's state as odemu show reports it (no descriptor open). */
static void
status_of(const char *path, struct odemu_status *s)
{
	struct odemu *e = NULL;

	assert_int_equal(odemu_open_admin(path, &e, NULL), 0);
	odemu_get_status(e, s);
	odemu_close(e);
}

static void
set_disc(const char *path, bool on)
{
	struct odemu_fault_opts f;
	struct odemu *e = NULL;

	memset(&f, 0, sizeof(f));
	f.set_disc = true;
	f.disc = on;
	assert_int_equal(odemu_open_admin(path, &e, NULL), 0);
	assert_int_equal(odemu_set_faults(e, &f, NULL), 0);
	odemu_close(e);
}

static int
open_node(const char *node)
{
	int fd = p_open(node, O_RDONLY | O_NONBLOCK);

	assert_true(fd >= 0);
	return fd;
}

/* ---- names -------------------------------------------------------------- */
static void
test_stat_nodes(void **st)
{
	struct stat s;
	struct statx sx;
	char buf[PATH_MAX];
	int fd;

	(void)st;
	assert_int_equal(p_stat("/dev/sr0", &s), 0);
	assert_true(S_ISBLK(s.st_mode));
	assert_int_equal(major(s.st_rdev), 11);
	assert_int_equal(minor(s.st_rdev), 0);
	assert_int_equal(p_lstat("/dev/sg3", &s), 0);
	assert_true(S_ISCHR(s.st_mode));
	assert_int_equal(major(s.st_rdev), 21);
	assert_int_equal(minor(s.st_rdev), 3);
	assert_int_equal(p_fstatat(AT_FDCWD, "/dev/sg0", &s, 0), 0);
	assert_true(S_ISCHR(s.st_mode));
	assert_int_equal(p_statx(AT_FDCWD, "/dev/sr0", 0, STATX_BASIC_STATS,
				 &sx), 0);
	assert_true(S_ISBLK(sx.stx_mode));
	assert_int_equal(sx.stx_rdev_major, 11);
	/* an unmapped path is the real one's */
	errno = 0;
	assert_int_equal(p_stat("/dev/sr0-not-mapped", &s), -1);
	assert_int_equal(errno, ENOENT);
	/* a descriptor: fstat and fstatat(AT_EMPTY_PATH) */
	fd = open_node("/dev/sr0");
	assert_int_equal(p_fstat(fd, &s), 0);
	assert_true(S_ISBLK(s.st_mode));
	assert_int_equal(p_fstatat(fd, "", &s, AT_EMPTY_PATH), 0);
	assert_int_equal(major(s.st_rdev), 11);
	assert_int_equal(p_close(fd), 0);
	/* the node exists, is no link, resolves to itself */
	assert_int_equal(p_access("/dev/sg0", R_OK | W_OK), 0);
	assert_string_equal(p_realpath("/dev/sg0", buf), "/dev/sg0");
	errno = 0;
	assert_int_equal(p_readlink("/dev/sg0", buf, sizeof(buf)), -1);
	assert_int_equal(errno, EINVAL);
}

/* ---- addresses and versions -------------------------------------------------- */
struct idlun { int dev_id, host_unique_id; };

static void
test_addresses(void **st)
{
	struct idlun id;
	struct sg_scsi_id sid;
	int sr = open_node("/dev/sr0"), sg = open_node("/dev/sg0");
	int b = open_node("/dev/sg3"), v = 0, bus = -1;

	(void)st;
	assert_int_equal(p_ioctl(sg, SG_GET_VERSION_NUM, &v), 0);
	assert_int_equal(v, 30536);		/* sg.c */
	assert_int_equal(p_ioctl(sr, SG_GET_VERSION_NUM, &v), 0);
	assert_int_equal(v, 30527);		/* scsi_ioctl.c */
	/* dev_id = id | lun << 8 | channel << 16 | host << 24 */
	assert_int_equal(p_ioctl(sr, SCSI_IOCTL_GET_IDLUN, &id), 0);
	assert_int_equal(id.dev_id, 90 << 24);
	assert_int_equal(p_ioctl(b, SCSI_IOCTL_GET_IDLUN, &id), 0);
	assert_int_equal(id.dev_id, 91 << 24);
	assert_int_equal(p_ioctl(sg, SCSI_IOCTL_GET_BUS_NUMBER, &bus), 0);
	assert_int_equal(bus, 90);
	memset(&sid, 0xEE, sizeof(sid));
	assert_int_equal(p_ioctl(sg, SG_GET_SCSI_ID, &sid), 0);
	assert_int_equal(sid.host_no, 90);
	assert_int_equal(sid.scsi_type, 5);
	assert_int_equal(sid.lun, 0);
	errno = 0;			/* sr has no SG_GET_SCSI_ID */
	assert_int_equal(p_ioctl(sr, SG_GET_SCSI_ID, &sid), -1);
	assert_int_equal(errno, ENOTTY);
	errno = 0;			/* sg has no cdrom layer */
	assert_int_equal(p_ioctl(sg, CDROM_DRIVE_STATUS, CDSL_CURRENT), -1);
	assert_int_equal(errno, ENOTTY);
	p_close(sr);
	p_close(sg);
	p_close(b);
}

/* ---- the cdrom layer -------------------------------------------------------- */
static void
test_capability(void **st)
{
	/* SR_CAPABILITIES less what page 2Ah denies: byte 3 bit 5 clear
	 * (no DVD-RAM write) and no changer (CDC_SELECT_DISC) */
	const int all = CDC_CLOSE_TRAY | CDC_OPEN_TRAY | CDC_LOCK |
		CDC_SELECT_SPEED | CDC_SELECT_DISC | CDC_MULTI_SESSION |
		CDC_MCN | CDC_MEDIA_CHANGED | CDC_PLAY_AUDIO | CDC_RESET |
		CDC_DRIVE_STATUS | CDC_CD_R | CDC_CD_RW | CDC_DVD | CDC_DVD_R |
		CDC_DVD_RAM | CDC_GENERIC_PACKET | CDC_MRW | CDC_MRW_W | CDC_RAM;
	int sr = open_node("/dev/sr0");

	(void)st;
	assert_int_equal(p_ioctl(sr, CDROM_GET_CAPABILITY, 0),
			 all & ~(CDC_DVD_RAM | CDC_SELECT_DISC));
	p_close(sr);
}

static void
test_tray_and_status(void **st)
{
	struct odemu_status s;
	int sr = open_node("/dev/sr0");

	(void)st;
	assert_int_equal(p_ioctl(sr, CDROM_DRIVE_STATUS, CDSL_CURRENT),
			 CDS_NO_DISC);
	assert_int_equal(p_ioctl(sr, CDROMEJECT, 0), 0);
	p_close(sr);
	status_of(drive_a, &s);
	assert_true(s.tray_open);
	sr = open_node("/dev/sr0");
	assert_int_equal(p_ioctl(sr, CDROM_DRIVE_STATUS, CDSL_CURRENT),
			 CDS_TRAY_OPEN);
	assert_int_equal(p_ioctl(sr, CDROMCLOSETRAY, 0), 0);
	p_close(sr);
	status_of(drive_a, &s);
	assert_false(s.tray_open);
	set_disc(drive_a, true);
	sr = open_node("/dev/sr0");
	/* the first TUR meets 06/28/00 and is repeated (scsi_test_unit_ready) */
	assert_int_equal(p_ioctl(sr, CDROM_DRIVE_STATUS, CDSL_CURRENT),
			 CDS_DISC_OK);
	p_close(sr);
	set_disc(drive_a, false);
}

static void
test_eject_busy_and_lock(void **st)
{
	struct odemu_status s;
	int sr = open_node("/dev/sr0"), sr2 = open_node("/dev/sr0");

	(void)st;
	/* cdrom_ioctl_eject: another opener of the block device */
	errno = 0;
	assert_int_equal(p_ioctl(sr, CDROMEJECT, 0), -1);
	assert_int_equal(errno, EBUSY);
	p_close(sr2);
	/* keeplocked: locked and kept locked across descriptors */
	assert_int_equal(p_ioctl(sr, CDROM_LOCKDOOR, 1), 0);
	p_close(sr);
	status_of(drive_a, &s);
	assert_int_equal(s.fault[ODEMU_F_TRAY_LOCKED], 1);
	sr = open_node("/dev/sr0");
	errno = 0;
	assert_int_equal(p_ioctl(sr, CDROMEJECT, 0), -1);
	assert_int_equal(errno, EBUSY);
	assert_int_equal(p_ioctl(sr, CDROM_LOCKDOOR, 0), 0);
	p_close(sr);
	status_of(drive_a, &s);
	assert_int_equal(s.fault[ODEMU_F_TRAY_LOCKED], 0);
	assert_false(s.tray_open);
}

static void
test_toc_header(void **st)
{
	struct cdrom_tochdr th = { 0, 0 };
	struct cdrom_tocentry te;
	int sr = open_node("/dev/sr0");

	(void)st;
	errno = 0;			/* READ TOC: 02/3A/01 */
	assert_int_equal(p_ioctl(sr, CDROMREADTOCHDR, &th), -1);
	assert_int_equal(errno, ENOMEDIUM);
	p_close(sr);
	set_disc(drive_a, true);
	sr = open_node("/dev/sr0");
	assert_int_equal(p_ioctl(sr, CDROMREADTOCHDR, &th), 0);
	assert_int_equal(th.cdth_trk0, 1);
	assert_int_equal(th.cdth_trk1, 1);
	memset(&te, 0, sizeof(te));
	te.cdte_track = 1;
	te.cdte_format = CDROM_LBA;
	assert_int_equal(p_ioctl(sr, CDROMREADTOCENTRY, &te), 0);
	assert_int_equal(te.cdte_ctrl, 4);	/* data track */
	assert_int_equal(te.cdte_adr, 1);
	assert_int_equal(te.cdte_addr.lba, 0);
	p_close(sr);
	set_disc(drive_a, false);
}

/* ---- CDROM_SEND_PACKET --------------------------------------------------------- */
static void
test_send_packet(void **st)
{
	struct cdrom_generic_command cgc;
	struct request_sense rs;
	uint8_t buf[96];
	int sg = open_node("/dev/sg0");

	(void)st;
	memset(&cgc, 0, sizeof(cgc));
	memset(buf, 0, sizeof(buf));
	cgc.cmd[0] = 0x12;			/* INQUIRY, 96 bytes */
	cgc.cmd[4] = sizeof(buf);
	cgc.buffer = buf;
	cgc.buflen = sizeof(buf);
	cgc.data_direction = CGC_DATA_READ;
	cgc.stat = -1;
	assert_int_equal(p_ioctl(sg, CDROM_SEND_PACKET, &cgc), 0);
	assert_int_equal(cgc.stat, 0);
	assert_int_equal(buf[0] & 0x1F, 5);
	assert_memory_equal(buf + 8, "ODFLASH ", 8);
	assert_true(cgc.buflen < sizeof(buf));	/* the residual */
	/* TEST UNIT READY: any CHECK CONDITION is EIO, the sense lands in
	 * cgc.sense; first the disc change (06/28/00 after test_toc_header
	 * took the disc out), then no disc (02/3A/01) */
	memset(&cgc, 0, sizeof(cgc));
	memset(&rs, 0, sizeof(rs));
	cgc.sense = &rs;
	cgc.data_direction = CGC_DATA_NONE;
	errno = 0;
	assert_int_equal(p_ioctl(sg, CDROM_SEND_PACKET, &cgc), -1);
	assert_int_equal(errno, EIO);
	assert_int_equal(rs.sense_key, 6);
	assert_int_equal(rs.asc, 0x28);
	memset(&rs, 0, sizeof(rs));
	errno = 0;
	assert_int_equal(p_ioctl(sg, CDROM_SEND_PACKET, &cgc), -1);
	assert_int_equal(errno, EIO);
	assert_int_equal(rs.sense_key, 2);
	assert_int_equal(rs.asc, 0x3A);
	assert_int_equal(rs.ascq, 0x01);
	/* data with no direction: sg_io refuses it */
	memset(&cgc, 0, sizeof(cgc));
	cgc.cmd[0] = 0x12;
	cgc.cmd[4] = 36;
	cgc.buffer = buf;
	cgc.buflen = 36;
	cgc.data_direction = CGC_DATA_NONE;
	errno = 0;
	assert_int_equal(p_ioctl(sg, CDROM_SEND_PACKET, &cgc), -1);
	assert_int_equal(errno, EINVAL);
	p_close(sg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stat_nodes),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_capability),
		cmocka_unit_test(test_tray_and_status),
		cmocka_unit_test(test_eject_busy_and_lock),
		cmocka_unit_test(test_toc_header),
		cmocka_unit_test(test_send_packet),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
