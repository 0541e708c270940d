/* odflash transport: the Linux backend, SG_IO through Debian's
 * libsgutils2 pass-through API (/usr/include/scsi/sg_pt.h:
 * scsi_pt_open_flags, construct_scsi_pt_obj, set_scsi_pt_*, do_scsi_pt,
 * get_scsi_pt_*; timeouts are in seconds).
 *
 * Read-type opens use the node the user named (sr is fine) with
 * O_RDONLY|O_NONBLOCK.  Write opens go to the sg node with
 * O_RDWR|O_EXCL|O_NONBLOCK: the sr driver's media event polling (GET
 * EVENT STATUS NOTIFICATION / TEST UNIT READY on open) consumes unit
 * attentions such as 06/3F/01 that a flasher must see (observed in the
 * odflash rig notes, gotcha 2; Linux drivers/scsi/sr.c sr_check_events).
 */
#ifndef _WIN32
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <scsi/sg.h>
#include <scsi/sg_pt.h>

#include "odf/ctx.h"
#include "transport/backend.h"

#define SR_MAJOR_NUM 11		/* Linux devices.txt: SCSI CD-ROM */
#define SG_MAJOR_NUM 21		/* Linux devices.txt: SCSI generic */

struct lx {
	struct odfi_sgpt sg;	/* first: odfi_sgpt_exec's */
};

/* A node is a SCSI pass-through node when it is sg or sr by major, or
 * when the kernel answers SG_GET_VERSION_NUM on it (Linux
 * include/scsi/sg.h; sd and bsg accept it too). */
static bool
is_scsi_fd(int fd)
{
	struct stat st;
	int ver = 0;

	if (fstat(fd, &st) == 0) {
		if (S_ISCHR(st.st_mode) && major(st.st_rdev) == SG_MAJOR_NUM)
			return true;
		if (S_ISBLK(st.st_mode) && major(st.st_rdev) == SR_MAJOR_NUM)
			return true;
		if (!S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode))
			return false;
	}
	return ioctl(fd, SG_GET_VERSION_NUM, &ver) == 0 && ver > 0;
}

static int
open_error(struct odf_diag *d, const char *name, const char *path, int err)
{
	if (d)
		d->os_errno = err;
	switch (err) {
	case ENOENT:
	case ENXIO:
	case ENODEV:
		odf_diag_set(d, ODF_E_NODEV, "device %s does not exist", name);
		odf_diag_reason(d, ODF_R_NO_SUCH_DEVICE);
		odf_diag_fact_device(d, name);
		return ODF_E_NODEV;
	case EACCES:
	case EPERM:
		odf_diag_set(d, ODF_E_ACCESS, "permission denied opening %s",
			     path);
		odf_diag_reason(d, ODF_R_DEVICE_PERMISSION);
		odf_diag_fact_device(d, name);
		odf_diag_fact_path(d, path);
		return ODF_E_ACCESS;
	case EBUSY:
		odf_diag_set(d, ODF_E_BUSY, "%s is in use by another program",
			     path);
		odf_diag_reason(d, ODF_R_DEVICE_BUSY);
		odf_diag_fact_device(d, name);
		odf_diag_fact_path(d, path);
		return ODF_E_BUSY;
	default:
		odf_diag_set(d, ODF_E_OPEN, "cannot open %s: %s", path,
			     strerror(err));
		return ODF_E_OPEN;
	}
}

static int
lx_open(struct odf_dev *dev, const char *name, unsigned flags,
	struct odf_diag *d)
{
	struct odf_dev_info ri;
	struct lx *p;
	const char *path, *sysfs;
	int rc, fd, oflags;

	/* the sysfs root is the context's (ODF_PATH_SYSFS_ROOT: a test
	 * points it at a fake tree beside an LD_PRELOAD-ed drive) */
	sysfs = odf_ctx_path(odf_dev_ctx(dev), ODF_PATH_SYSFS_ROOT);
	rc = odf_resolve_name(sysfs ? sysfs : "/sys", "/dev", name, &ri, d);
	if (rc < 0 && rc != ODF_E_NOTSCSI)
		return rc;
	if (rc == ODF_E_NOTSCSI) {
		/* Not known to sysfs as SCSI: the kernel has the last word. */
		fd = open(name, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0 || !is_scsi_fd(fd)) {
			if (fd >= 0)
				close(fd);
			return rc;
		}
		close(fd);
		odf_diag_clear(d);
		memset(&ri, 0, sizeof(ri));
		odfi_strlcpy(ri.sg_path, name, sizeof(ri.sg_path));
	}

	if (flags & ODF_OPEN_WRITE) {
		if (ri.sg_path[0] == '\0') {
			odf_diag_set(d, ODF_E_OPEN, "%s has no SCSI generic "
				     "(sg) node to send write commands "
				     "through", name);
			odf_diag_reason(d, ODF_R_SG_MISSING);
			odf_diag_fact_device(d, name);
			return ODF_E_OPEN;
		}
		path = ri.sg_path;
		oflags = O_RDWR | O_EXCL | O_NONBLOCK;
	} else {
		if (ri.hctl[0] && strcmp(name, ri.hctl) == 0)
			path = ri.sg_path[0] ? ri.sg_path : ri.block_path;
		else
			path = name;
		if (path[0] == '\0')
			return open_error(d, name, name, ENOENT);
		oflags = O_RDONLY | O_NONBLOCK;
	}

	fd = scsi_pt_open_flags(path, oflags, 0);
	if (fd < 0)
		return open_error(d, name, path, fd == -1 ? EIO : -fd);
	if (!is_scsi_fd(fd)) {
		scsi_pt_close_device(fd);
		odf_diag_set(d, ODF_E_NOTSCSI, "%s is not a SCSI/ATAPI device",
			     name);
		odf_diag_reason(d, ODF_R_NOT_A_DRIVE);
		odf_diag_fact_device(d, name);
		return ODF_E_NOTSCSI;
	}
	p = odfi_sgpt_new(sizeof(*p), fd);
	if (p == NULL)
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	dev->priv = p;
	memcpy(dev->info.sg_path, ri.sg_path, sizeof(ri.sg_path));
	memcpy(dev->info.block_path, ri.block_path, sizeof(ri.block_path));
	memcpy(dev->info.hctl, ri.hctl, sizeof(ri.hctl));
	memcpy(dev->info.sysfs, ri.sysfs, sizeof(ri.sysfs));
	dev->info.bus = ri.bus;
	dev->info.max_transfer = ri.max_transfer;
	dev->info.max_segments = ri.max_segments;
	dev->info.writable = (flags & ODF_OPEN_WRITE) != 0;
	if (ri.sysfs[0] && odfi_read_type(ri.sysfs) != 5)
		odf_ctx_log(odf_dev_ctx(dev), ODF_LOG_WARN, "%s is a SCSI device of type %d, not an "
			"optical drive", name, odfi_read_type(ri.sysfs));
	return 0;
}

static void
lx_close(struct odf_dev *dev)
{
	struct lx *p = dev->priv;

	if (p == NULL)
		return;
	odfi_sgpt_close(&p->sg);
	free(p);
	dev->priv = NULL;
}

const struct odfi_backend odfi_backend_os = {
	.name = "linux",
	.prefix = NULL,
	.open = lx_open,
	.exec = odfi_sgpt_exec,
	.close = lx_close,
};
#endif /* !_WIN32: lib/transport/tp_win32.c there */
