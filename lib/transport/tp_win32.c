/* odflash transport: the Windows backend, SPTI through Debian's
 * libsgutils2 built for Windows (sg3_utils lib/sg_pt_win32.c:
 * IOCTL_SCSI_PASS_THROUGH_DIRECT on a handle from
 * scsi_pt_open_flags("\\.\D:")), the same sg_pt calls as on Linux
 * (sgpt.c).  Built on every platform; empty but on Windows.
 *
 * Beside libsgutils2's handle the backend keeps one of its own on the
 * same device for the storage IOCTLs (Microsoft docs, each cited where
 * it is used):
 * - IOCTL_STORAGE_QUERY_PROPERTY, StorageAdapterProperty: the adapter
 *   descriptor's BusType (the kind of path: USB bridge, SATA/ATAPI,
 *   1394) and MaximumTransferLength / MaximumPhysicalPages (the cap of
 *   one command), so the bridge-safe rules hold as on Linux;
 * - IOCTL_STORAGE_GET_DEVICE_NUMBER: CdRomN of a drive letter, for scan;
 * - a write open locks the volume (FSCTL_LOCK_VOLUME) and dismounts it
 *   (FSCTL_DISMOUNT_VOLUME) so no file system or other program sends the
 *   drive commands while its firmware is written; the lock lasts until
 *   the handle is closed.
 * CreateFile on a device needs an administrator (Microsoft docs,
 * CreateFileA, "Physical Disks and Volumes": the caller must have
 * administrative privileges): ERROR_ACCESS_DENIED is the privilege
 * error (ODF_R_DEVICE_PERMISSION; odflash words it "run as
 * administrator"). */
#ifdef _WIN32
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <windows.h>
#include <winioctl.h>

#include <scsi/sg_pt.h>

#include "odf/ctx.h"
#include "transport/backend.h"

struct win {
	struct odfi_sgpt sg;	/* first: odfi_sgpt_exec's (libsgutils2's fd) */
	HANDLE h;		/* ours: storage IOCTLs, the volume lock */
};

static int
win_error(struct odf_diag *d, const char *name, const char *path,
	  DWORD e)
{
	switch (e) {
	case ERROR_FILE_NOT_FOUND:
	case ERROR_PATH_NOT_FOUND:
	case ERROR_INVALID_NAME:
	case ERROR_NOT_READY:
		odf_diag_set(d, ODF_E_NODEV, "device %s does not exist", name);
		odf_diag_reason(d, ODF_R_NO_SUCH_DEVICE);
		odf_diag_fact_device(d, name);
		return ODF_E_NODEV;
	case ERROR_ACCESS_DENIED:
		odf_diag_set(d, ODF_E_ACCESS, "permission denied opening %s "
			     "(Windows error %lu)", path, (unsigned long)e);
		odf_diag_reason(d, ODF_R_DEVICE_PERMISSION);
		odf_diag_fact_device(d, name);
		odf_diag_fact_path(d, path);
		return ODF_E_ACCESS;
	case ERROR_SHARING_VIOLATION:
	case ERROR_LOCK_VIOLATION:
		odf_diag_set(d, ODF_E_BUSY, "%s is in use by another program",
			     path);
		odf_diag_reason(d, ODF_R_DEVICE_BUSY);
		odf_diag_fact_device(d, name);
		odf_diag_fact_path(d, path);
		return ODF_E_BUSY;
	default:
		odf_diag_set(d, ODF_E_OPEN, "cannot open %s: Windows error %lu",
			     path, (unsigned long)e);
		return ODF_E_OPEN;
	}
}

static int
bad_name(const char *name, struct odf_diag *d)
{
	odf_diag_set(d, ODF_E_NODEV, "%s is not a Windows optical drive name "
		     "(D:, \\\\.\\D:, CdRom0)", name);
	odf_diag_reason(d, ODF_R_NO_SUCH_DEVICE);
	odf_diag_fact_device(d, name);
	return ODF_E_NODEV;
}

/* IOCTL_STORAGE_QUERY_PROPERTY with STORAGE_PROPERTY_QUERY {
 * StorageAdapterProperty, PropertyStandardQuery } answers a
 * STORAGE_ADAPTER_DESCRIPTOR (Microsoft docs, winioctl.h:
 * IOCTL_STORAGE_QUERY_PROPERTY, STORAGE_ADAPTER_DESCRIPTOR: BusType is a
 * STORAGE_BUS_TYPE, MaximumTransferLength in bytes,
 * MaximumPhysicalPages). */
static void
query_adapter(HANDLE h, struct odf_dev_info *info)
{
	STORAGE_PROPERTY_QUERY q;
	STORAGE_ADAPTER_DESCRIPTOR a;
	DWORD got = 0;

	memset(&q, 0, sizeof(q));
	memset(&a, 0, sizeof(a));
	q.PropertyId = StorageAdapterProperty;
	q.QueryType = PropertyStandardQuery;
	if (!DeviceIoControl(h, IOCTL_STORAGE_QUERY_PROPERTY, &q, sizeof(q),
			     &a, sizeof(a), &got, NULL) ||
	    got < offsetof(STORAGE_ADAPTER_DESCRIPTOR, BusType) +
		  sizeof(a.BusType))
		return;
	switch (a.BusType) {
	case BusTypeAtapi:
	case BusTypeAta:
	case BusTypeSata:
		info->bus = ODF_BUS_ATA;
		break;
	case BusTypeUsb:
		info->bus = ODF_BUS_USB;
		break;
	case BusType1394:
		info->bus = ODF_BUS_FIREWIRE;
		break;
	case BusTypeScsi:
	case BusTypeSas:
	case BusTypeFibre:
	case BusTypeiScsi:
		info->bus = ODF_BUS_SCSI;
		break;
	case BusTypeVirtual:
	case BusTypeFileBackedVirtual:
		info->bus = ODF_BUS_VIRTUAL;
		break;
	default:
		info->bus = ODF_BUS_UNKNOWN;
		break;
	}
	info->max_transfer = a.MaximumTransferLength;
	info->max_segments = a.MaximumPhysicalPages;
}

/* FSCTL_LOCK_VOLUME then FSCTL_DISMOUNT_VOLUME on the volume handle
 * (Microsoft docs, winioctl.h: FSCTL_LOCK_VOLUME fails with
 * ERROR_ACCESS_DENIED while files on the volume are open, e.g. Explorer
 * showing the disc or a burning program holding it; FSCTL_DISMOUNT_VOLUME
 * makes the file system let go of the volume; both last until the
 * handle is closed).  INFERRED: that SPTI on libsgutils2's second handle
 * still reaches the drive while ours holds the lock (the lock keeps out
 * file-system opens of the volume); not checked on Windows yet. */
static int
lock_volume(HANDLE h, const char *name, const char *path,
	    struct odf_diag *d)
{
	DWORD got = 0;

	if (!DeviceIoControl(h, FSCTL_LOCK_VOLUME, NULL, 0, NULL, 0, &got,
			     NULL)) {
		DWORD e = GetLastError();

		if (e == ERROR_ACCESS_DENIED || e == ERROR_SHARING_VIOLATION)
			e = ERROR_LOCK_VIOLATION;	/* held, not a privilege */
		return win_error(d, name, path, e);
	}
	(void)DeviceIoControl(h, FSCTL_DISMOUNT_VOLUME, NULL, 0, NULL, 0,
			      &got, NULL);
	return 0;
}

static int
win_open(struct odf_dev *dev, const char *name, unsigned flags,
	 struct odf_diag *d)
{
	char path[64], letter;
	struct win *p;
	HANDLE h;
	int rc, fd;

	if (odfi_win_devpath(name, path, sizeof(path), &letter) < 0)
		return bad_name(name, d);
	if (letter) {
		char root[4] = { letter, ':', '\\', '\0' };

		/* GetDriveTypeA (Microsoft docs, fileapi.h): DRIVE_CDROM;
		 * DRIVE_NO_ROOT_DIR: no such drive letter */
		UINT t = GetDriveTypeA(root);

		if (t == DRIVE_NO_ROOT_DIR || t == DRIVE_UNKNOWN)
			return win_error(d, name, path, ERROR_FILE_NOT_FOUND);
		if (t != DRIVE_CDROM) {
			odf_diag_set(d, ODF_E_NOTSCSI, "%s is not an optical "
				     "drive", name);
			odf_diag_reason(d, ODF_R_NOT_A_DRIVE);
			odf_diag_fact_device(d, name);
			return ODF_E_NOTSCSI;
		}
	}
	h = CreateFileA(path, GENERIC_READ | GENERIC_WRITE,
			FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
			OPEN_EXISTING, 0, NULL);
	if (h == INVALID_HANDLE_VALUE)
		return win_error(d, name, path, GetLastError());
	query_adapter(h, &dev->info);
	if ((flags & ODF_OPEN_WRITE) && letter &&
	    (rc = lock_volume(h, name, path, d)) < 0) {
		CloseHandle(h);
		return rc;
	}
	fd = scsi_pt_open_flags(path, O_RDWR, 0);
	if (fd < 0) {
		CloseHandle(h);
		return win_error(d, name, path, ERROR_SHARING_VIOLATION);
	}
	p = odfi_sgpt_new(sizeof(*p), fd);
	if (p == NULL) {
		CloseHandle(h);
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	}
	p->h = h;
	dev->priv = p;
	odfi_strlcpy(dev->info.block_path, path, sizeof(dev->info.block_path));
	dev->info.writable = (flags & ODF_OPEN_WRITE) != 0;
	return 0;
}

static void
win_close(struct odf_dev *dev)
{
	struct win *p = dev->priv;

	if (p == NULL)
		return;
	odfi_sgpt_close(&p->sg);
	CloseHandle(p->h);	/* ends the volume lock */
	free(p);
	dev->priv = NULL;
}

const struct odfi_backend odfi_backend_os = {
	.name = "spti",
	.prefix = NULL,
	.open = win_open,
	.exec = odfi_sgpt_exec,
	.close = win_close,
};

/* scan: every drive letter GetLogicalDrives reports whose GetDriveTypeA
 * is DRIVE_CDROM (Microsoft docs, fileapi.h), with its CdRomN from
 * IOCTL_STORAGE_GET_DEVICE_NUMBER (STORAGE_DEVICE_NUMBER.DeviceNumber of
 * a FILE_DEVICE_CD_ROM) and the adapter facts.  The sysfs root is not
 * used on Windows. */
int
odf_scan(const char *sysfs_root, struct odf_scan_entry **list, size_t *n,
	 struct odf_diag *d)
{
	struct odf_scan_entry *v = NULL;
	DWORD mask = GetLogicalDrives();
	size_t cnt = 0;

	(void)sysfs_root;
	if (list == NULL || n == NULL)
		return odf_diag_set(d, ODF_E_USAGE, "odf_scan: bad arguments");
	*list = NULL;
	*n = 0;
	v = calloc(26, sizeof(*v));
	if (v == NULL)
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	for (int i = 0; i < 26; i++) {
		char root[4] = { (char)('A' + i), ':', '\\', '\0' };
		char path[8] = { '\\', '\\', '.', '\\', (char)('A' + i), ':',
				 '\0' };
		struct odf_dev_info *info = &v[cnt].info;
		STORAGE_DEVICE_NUMBER sdn;
		DWORD got = 0;
		HANDLE h;

		if (!(mask & (1u << i)) || GetDriveTypeA(root) != DRIVE_CDROM)
			continue;
		memset(info, 0, sizeof(*info));
		snprintf(info->name, sizeof(info->name), "%c:", 'A' + i);
		odfi_strlcpy(info->block_path, path, sizeof(info->block_path));
		odfi_strlcpy(info->backend, "spti", sizeof(info->backend));
		/* no access needed for these two queries (Microsoft docs,
		 * IOCTL_STORAGE_GET_DEVICE_NUMBER: "dwDesiredAccess can be
		 * zero") */
		h = CreateFileA(path, 0, FILE_SHARE_READ | FILE_SHARE_WRITE,
				NULL, OPEN_EXISTING, 0, NULL);
		if (h != INVALID_HANDLE_VALUE) {
			if (DeviceIoControl(h, IOCTL_STORAGE_GET_DEVICE_NUMBER,
					    NULL, 0, &sdn, sizeof(sdn), &got,
					    NULL) &&
			    sdn.DeviceType == FILE_DEVICE_CD_ROM)
				snprintf(info->sg_path, sizeof(info->sg_path),
					 "\\\\.\\CdRom%lu",
					 (unsigned long)sdn.DeviceNumber);
			query_adapter(h, info);
			CloseHandle(h);
		}
		cnt++;
	}
	*list = v;
	*n = cnt;
	return 0;
}

int
odf_resolve_name(const char *sysfs_root, const char *dev_root,
		 const char *name, struct odf_dev_info *info,
		 struct odf_diag *d)
{
	char path[64], letter;

	(void)sysfs_root;
	(void)dev_root;
	memset(info, 0, sizeof(*info));
	if (odfi_win_devpath(name, path, sizeof(path), &letter) < 0)
		return bad_name(name, d);
	odfi_strlcpy(info->name, name, sizeof(info->name));
	odfi_strlcpy(info->block_path, path, sizeof(info->block_path));
	return 0;
}
#endif /* _WIN32 */
