/* odflash transport: Linux device names and sysfs.
 *
 * Any accepted name (/dev/srN, /dev/sgN, /dev/disk/by-{id,path}/ links,
 * H:C:T:L, any other block/char node whose sysfs entry is a SCSI device)
 * is mapped to its SCSI device directory, from which the sr and sg nodes,
 * the peripheral type, the transfer cap and the kind of bus are read.
 * Sysfs layout (Linux Documentation/ABI/testing/sysfs-class-scsi_device,
 * drivers/scsi/sg.c and sr.c, and what `lsscsi -g` shows):
 *   /sys/class/scsi_device/H:C:T:L/device -> .../hostH/targetH:C:T/H:C:T:L
 *   <scsi device>/type                      peripheral device type (5 = CD/DVD)
 *   <scsi device>/block/srN, scsi_generic/sgN   (older kernels:
 *                                           block:srN, scsi_generic:sgN links)
 *   /sys/block/srN/device, /sys/class/scsi_generic/sgN/device
 *   /sys/block/srN/queue/max_hw_sectors_kb, max_segments (the block layer
 *   refuses SG_IO transfers above max_hw_sectors: Linux
 *   block/scsi_ioctl.c / drivers/scsi/scsi_ioctl.c sg_io()).
 *   /sys/dev/{block,char}/MAJ:MIN/device    for other nodes (e.g. /dev/sda)
 * Device majors: 11 = SCSI CD-ROM (sr), 21 = SCSI generic (sg), from
 * Linux Documentation/admin-guide/devices.txt.
 */
#ifndef _WIN32
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "transport/backend.h"

#define PATHMAX 4096

/* snprintf that reports truncation (a truncated path is no path). */
static bool __attribute__((format(printf, 3, 4)))
pfmt(char *out, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out, size, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size) {
		if (size)
			out[0] = '\0';
		return false;
	}
	return true;
}

static bool
pjoin(char *out, size_t size, const char *a, const char *b)
{
	return pfmt(out, size, "%s/%s", a, b);
}

/* Read a one-line sysfs attribute without its newline. */
static bool
read_attr(const char *dir, const char *attr, char *buf, size_t size)
{
	char p[PATHMAX];
	FILE *f;
	size_t n;

	if (size == 0 || !pjoin(p, sizeof(p), dir, attr))
		return false;
	f = fopen(p, "re");
	if (f == NULL)
		return false;
	n = fread(buf, 1, size - 1, f);
	fclose(f);
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return n > 0;
}

static bool
read_ulong(const char *dir, const char *attr, unsigned long *v)
{
	char buf[64], *end;

	if (!read_attr(dir, attr, buf, sizeof(buf)))
		return false;
	errno = 0;
	*v = strtoul(buf, &end, 10);
	return errno == 0 && end != buf && *end == '\0';
}

int
odfi_read_type(const char *scsi_dev_dir)
{
	unsigned long t;

	if (!read_ulong(scsi_dev_dir, "type", &t) || t > 0x1f)
		return -1;
	return (int)t;
}

static bool
parse_hctl(const char *s, unsigned v[4])
{
	int n = -1;

	if (sscanf(s, "%u:%u:%u:%u%n", &v[0], &v[1], &v[2], &v[3], &n) != 4)
		return false;
	return n > 0 && s[n] == '\0' && s[0] >= '0' && s[0] <= '9';
}

/* "sr12" with prefix "sr" -> true */
static bool
is_node_name(const char *base, const char *prefix)
{
	size_t pl = strlen(prefix);
	const char *p = base + pl;

	if (strncmp(base, prefix, pl) != 0 || *p == '\0')
		return false;
	for (; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

/* Find the child node name of a SCSI device: <dir>/<sub>/NAME (current
 * kernels) or a <dir>/<sub>:NAME link (old ones). */
static bool
find_child(const char *dir, const char *sub, const char *prefix, char *out,
	   size_t size)
{
	char p[PATHMAX];
	DIR *dp;
	struct dirent *e;
	bool found = false;
	size_t sl = strlen(sub);

	if (pjoin(p, sizeof(p), dir, sub) && (dp = opendir(p)) != NULL) {
		while ((e = readdir(dp)) != NULL)
			if (is_node_name(e->d_name, prefix)) {
				found = odfi_strlcpy(out, e->d_name, size);
				break;
			}
		closedir(dp);
		if (found)
			return true;
	}
	dp = opendir(dir);
	if (dp == NULL)
		return false;
	while ((e = readdir(dp)) != NULL)
		if (strncmp(e->d_name, sub, sl) == 0 && e->d_name[sl] == ':' &&
		    is_node_name(e->d_name + sl + 1, prefix)) {
			found = odfi_strlcpy(out, e->d_name + sl + 1, size);
			break;
		}
	closedir(dp);
	return found;
}

/* Does one path component start with `word` followed by a digit (usb1,
 * ata3, fw0)? */
static bool
has_component(const char *path, const char *word)
{
	size_t wl = strlen(word);
	const char *p = path;

	while ((p = strchr(p, '/')) != NULL) {
		p++;
		if (strncmp(p, word, wl) == 0 && p[wl] >= '0' && p[wl] <= '9')
			return true;
	}
	return false;
}

/* The driver bound to a sysfs device directory, "" if none. */
static void
driver_of(const char *dir, char *out, size_t size)
{
	char p[PATHMAX], link[PATHMAX];
	ssize_t n;
	const char *b;

	out[0] = '\0';
	if (!pjoin(p, sizeof(p), dir, "driver"))
		return;
	n = readlink(p, link, sizeof(link) - 1);
	if (n <= 0)
		return;
	link[n] = '\0';
	b = strrchr(link, '/');
	odfi_strlcpy(out, b ? b + 1 : link, size);
}

/* Kind of bus, from the resolved device path.  USB mass storage shows a
 * usbN component (Linux drivers/usb/core: devices are named usbN, N-P,
 * N-P:C.I); when the interface is bound to "uas" it is UAS
 * (drivers/usb/storage/uas.c), otherwise usb-storage (BOT).  libata
 * devices have an ataN component (drivers/ata/libata-transport.c).
 * FireWire: fwN components (drivers/firewire/core-device.c) or the
 * sbp2/firewire_sbp2 driver.  Software targets are VIRTUAL: scsi_debug
 * hangs under pseudo_N/adapterN (drivers/scsi/scsi_debug.c), tcm_loop
 * under tcm_loop_N (drivers/target/loopback/tcm_loop.c) and virtio-scsi
 * under virtioN (a hypervisor's emulation, even when it passes a real
 * drive through, the path and its limits are the hypervisor's).
 * Anything else (a parallel/SAS HBA) is SCSI. */
static enum odf_bus
classify_bus(const char *sysfs_root, const char *real)
{
	char anc[PATHMAX], drv[64];
	size_t rootlen = strlen(sysfs_root);
	bool usb = has_component(real, "usb");
	char *slash;

	if (!odfi_strlcpy(anc, real, sizeof(anc)))
		return ODF_BUS_UNKNOWN;
	while ((slash = strrchr(anc, '/')) != NULL &&
	       (size_t)(slash - anc) > rootlen) {
		driver_of(anc, drv, sizeof(drv));
		if (usb && strcmp(drv, "uas") == 0)
			return ODF_BUS_UAS;
		if (strcmp(drv, "sbp2") == 0 ||
		    strcmp(drv, "firewire_sbp2") == 0)
			return ODF_BUS_FIREWIRE;
		*slash = '\0';
	}
	if (usb)
		return ODF_BUS_USB;
	if (has_component(real, "fw") || strstr(real, "/firewire") != NULL)
		return ODF_BUS_FIREWIRE;
	if (has_component(real, "ata"))
		return ODF_BUS_ATA;
	if (has_component(real, "pseudo_") || has_component(real, "tcm_loop_") ||
	    has_component(real, "virtio"))
		return ODF_BUS_VIRTUAL;
	return ODF_BUS_SCSI;
}

/* Fill info from the SCSI device directory link `devlink`.  Returns 0 or
 * ODF_E_NODEV when the link does not resolve. */
static int
fill_from_scsi_dir(const char *sysfs_root, const char *dev_root,
		   const char *devlink, struct odf_dev_info *info)
{
	char real[PATHMAX], node[64], q[PATHMAX];
	const char *hctl;
	unsigned long v;

	if (realpath(devlink, real) == NULL)
		return ODF_E_NODEV;
	hctl = strrchr(real, '/');
	hctl = hctl ? hctl + 1 : real;
	odfi_strlcpy(info->hctl, hctl, sizeof(info->hctl));
	pfmt(info->sysfs, sizeof(info->sysfs),
		 "%s/class/scsi_device/%s/device", sysfs_root, info->hctl);
	info->sg_path[0] = '\0';
	info->block_path[0] = '\0';
	if (find_child(real, "scsi_generic", "sg", node, sizeof(node)))
		pfmt(info->sg_path, sizeof(info->sg_path), "%s/%s",
			 dev_root, node);
	info->max_transfer = 0;
	info->max_segments = 0;
	if (find_child(real, "block", "sr", node, sizeof(node))) {
		pfmt(info->block_path, sizeof(info->block_path), "%s/%s",
			 dev_root, node);
		if (pfmt(q, sizeof(q), "%s/block/%s/queue", sysfs_root,
			 node)) {
			if (read_ulong(q, "max_hw_sectors_kb", &v) &&
			    v <= SIZE_MAX / 1024)
				info->max_transfer = (size_t)v * 1024;
			if (read_ulong(q, "max_segments", &v) && v <= UINT_MAX)
				info->max_segments = (unsigned)v;
		}
	}
	info->bus = classify_bus(sysfs_root, real);
	return 0;
}

static int
not_found(struct odf_diag *d, const char *name)
{
	odf_diag_set(d, ODF_E_NODEV, "device %s does not exist", name);
	odf_diag_reason(d, ODF_R_NO_SUCH_DEVICE);
	odf_diag_fact_device(d, name);
	return ODF_E_NODEV;
}

static int
not_scsi(struct odf_diag *d, const char *name)
{
	odf_diag_set(d, ODF_E_NOTSCSI, "%s is not a SCSI/ATAPI device", name);
	odf_diag_reason(d, ODF_R_NOT_A_DRIVE);
	odf_diag_fact_device(d, name);
	return ODF_E_NOTSCSI;
}

int
odf_resolve_name(const char *sysfs_root, const char *dev_root,
		 const char *name, struct odf_dev_info *info,
		 struct odf_diag *d)
{
	char local[PATHMAX], real[PATHMAX], link[PATHMAX];
	const char *base;
	unsigned h[4];
	struct stat st;
	bool ok;

	if (!sysfs_root || !dev_root || !name || !info || !name[0])
		return odf_diag_set(d, ODF_E_USAGE, "no device name given");
	memset(info, 0, sizeof(*info));
	if (!odfi_strlcpy(info->name, name, sizeof(info->name)))
		return odf_diag_set(d, ODF_E_USAGE, "device name too long");

	if (parse_hctl(name, h)) {
		pfmt(link, sizeof(link), "%s/class/scsi_device/%u:%u:%u:%u"
			 "/device", sysfs_root, h[0], h[1], h[2], h[3]);
		if (fill_from_scsi_dir(sysfs_root, dev_root, link, info) < 0) {
			odf_diag_set(d, ODF_E_NODEV, "no SCSI device at %s",
				     name);
			odf_diag_reason(d, ODF_R_NO_SUCH_DEVICE);
			odf_diag_fact_device(d, name);
			return ODF_E_NODEV;
		}
		return 0;
	}

	/* /dev/... names live under dev_root (a fake tree in tests). */
	if (strncmp(name, "/dev/", 5) == 0)
		ok = pfmt(local, sizeof(local), "%s/%s", dev_root, name + 5);
	else if (strchr(name, '/') == NULL)
		ok = pfmt(local, sizeof(local), "%s/%s", dev_root, name);
	else
		ok = pfmt(local, sizeof(local), "%s", name);
	if (!ok)
		return odf_diag_set(d, ODF_E_USAGE, "device name too long");
	if (stat(local, &st) != 0 || realpath(local, real) == NULL) {
		if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP)
			return not_found(d, name);
		if (errno == EACCES || errno == EPERM) {
			odf_diag_set(d, ODF_E_ACCESS, "cannot look at %s: %s",
				     name, strerror(errno));
			return ODF_E_ACCESS;
		}
		odf_diag_set(d, ODF_E_OPEN, "cannot look at %s: %s", name,
			     strerror(errno));
		return ODF_E_OPEN;
	}
	base = strrchr(real, '/');
	base = base ? base + 1 : real;

	if (is_node_name(base, "sr") || is_node_name(base, "sg")) {
		bool sr = base[1] == 'r';
		if (sr)
			pfmt(link, sizeof(link), "%s/block/%s/device",
				 sysfs_root, base);
		else
			pfmt(link, sizeof(link),
				 "%s/class/scsi_generic/%s/device",
				 sysfs_root, base);
		if (fill_from_scsi_dir(sysfs_root, dev_root, link, info) == 0)
			return 0;
		/* No sysfs (a container): trust the device major. */
		if ((sr && S_ISBLK(st.st_mode) && major(st.st_rdev) == 11) ||
		    (!sr && S_ISCHR(st.st_mode) && major(st.st_rdev) == 21)) {
			pfmt(sr ? info->block_path : info->sg_path,
				 sizeof(info->sg_path), "%s/%s", dev_root,
				 base);
			info->bus = ODF_BUS_UNKNOWN;
			return 0;
		}
		return not_scsi(d, name);
	}
	if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
		char sd[PATHMAX];
		struct stat st2;
		pfmt(link, sizeof(link), "%s/dev/%s/%u:%u/device",
			 sysfs_root, S_ISCHR(st.st_mode) ? "char" : "block",
			 major(st.st_rdev), minor(st.st_rdev));
		if (pjoin(sd, sizeof(sd), link, "scsi_device") &&
		    stat(sd, &st2) == 0 &&
		    fill_from_scsi_dir(sysfs_root, dev_root, link, info) == 0)
			return 0;
	}
	return not_scsi(d, name);
}

static int
cmp_entry(const void *a, const void *b)
{
	const struct odf_scan_entry *x = a, *y = b;
	unsigned hx[4] = {0}, hy[4] = {0};

	parse_hctl(x->info.hctl, hx);
	parse_hctl(y->info.hctl, hy);
	for (int i = 0; i < 4; i++)
		if (hx[i] != hy[i])
			return hx[i] < hy[i] ? -1 : 1;
	return strcmp(x->info.hctl, y->info.hctl);
}

int
odf_scan(const char *sysfs_root, struct odf_scan_entry **list, size_t *n,
	 struct odf_diag *d)
{
	char dir[PATHMAX], link[PATHMAX];
	struct odf_scan_entry *v = NULL, *nv;
	size_t cnt = 0, cap = 0;
	struct dirent *e;
	DIR *dp;
	unsigned h[4];

	if (list == NULL || n == NULL || sysfs_root == NULL)
		return odf_diag_set(d, ODF_E_USAGE, "odf_scan: bad arguments");
	*list = NULL;
	*n = 0;
	if (!pjoin(dir, sizeof(dir), sysfs_root, "class/scsi_device"))
		return odf_diag_set(d, ODF_E_USAGE, "sysfs root too long");
	dp = opendir(dir);
	if (dp == NULL) {
		int e0 = errno;
		if (e0 == ENOENT)
			return 0;	/* no SCSI devices at all */
		return odf_diag_set(d, e0 == EACCES ? ODF_E_ACCESS : ODF_E_IO,
				    "cannot list %s: %s", dir, strerror(e0));
	}
	while ((e = readdir(dp)) != NULL) {
		struct odf_dev_info info;
		if (!parse_hctl(e->d_name, h))
			continue;
		if (!pfmt(link, sizeof(link), "%s/%s/device", dir, e->d_name) ||
		    odfi_read_type(link) != 5)
			continue;
		memset(&info, 0, sizeof(info));
		if (fill_from_scsi_dir(sysfs_root, "/dev", link, &info) < 0)
			continue;
		odfi_strlcpy(info.name, info.block_path[0] ? info.block_path :
			     info.sg_path[0] ? info.sg_path : info.hctl,
			     sizeof(info.name));
		odfi_strlcpy(info.backend, "linux", sizeof(info.backend));
		if (cnt == cap) {
			cap = cap ? cap * 2 : 4;
			nv = realloc(v, cap * sizeof(*v));
			if (nv == NULL) {
				closedir(dp);
				free(v);
				return odf_diag_set(d, ODF_E_NOMEM,
						    "out of memory");
			}
			v = nv;
		}
		v[cnt++].info = info;
	}
	closedir(dp);
	if (cnt > 1)
		qsort(v, cnt, sizeof(*v), cmp_entry);
	*list = v;
	*n = cnt;
	return 0;
}
#endif /* !_WIN32: lib/transport/tp_win32.c there */
