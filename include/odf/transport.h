/* odflash: the transport layer — a device handle and a command record.
 *
 * struct odf_cmd is the one record every layer and every backend speaks:
 * the CDB with its explicit length, the direction, a caller-owned data
 * buffer, a timeout, and on return the status triple, up to 252 bytes of
 * sense, the residual and the duration.  Backends: "linux" (SG_IO through
 * Debian's libsgutils2 sg_pt), "emu" (an emulated drive in-process, device
 * name "emu:PATH"), "null" (always fails; for builds without an OS path).
 */
#ifndef ODF_TRANSPORT_H
#define ODF_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "odf/error.h"

#define ODF_CDB_MAX 16
#define ODF_SENSE_MAX 252

enum odf_dir { ODF_DIR_NONE = 0, ODF_DIR_IN, ODF_DIR_OUT };

/* Result category, highest applicable first (after sg3_utils'
 * get_scsi_pt_result_category). */
enum odf_cat {
	ODF_CAT_OK = 0,		/* GOOD status, no error anywhere */
	ODF_CAT_OS,		/* the OS refused the request (os_err set) */
	ODF_CAT_TRANSPORT,	/* host/driver status (timeout, no connect) */
	ODF_CAT_SENSE,		/* CHECK CONDITION with sense data */
	ODF_CAT_STATUS,		/* another non-GOOD status (BUSY, ...) */
};

/* SCSI status values (SAM). */
#define ODF_SAM_GOOD 0x00
#define ODF_SAM_CHECK_CONDITION 0x02
#define ODF_SAM_BUSY 0x08
/* Linux host status values used by backends (scsi.h DID_*). */
#define ODF_HOST_OK 0x00
#define ODF_HOST_NO_CONNECT 0x01
#define ODF_HOST_BUS_BUSY 0x02
#define ODF_HOST_TIME_OUT 0x03
#define ODF_HOST_ERROR 0x07
#define ODF_HOST_RESET 0x08

struct odf_cmd {
	/* in */
	uint8_t cdb[ODF_CDB_MAX];
	size_t cdb_len;
	enum odf_dir dir;
	uint8_t *buf;		/* caller-owned; NULL iff len == 0 */
	size_t len;
	unsigned timeout_ms;	/* 0 = backend default (60 s) */
	/* out */
	uint8_t scsi_status;
	uint16_t host_status;
	uint16_t driver_status;
	int os_err;		/* errno from the OS, 0 if none */
	uint8_t sense[ODF_SENSE_MAX];
	size_t sense_len;	/* bytes of sense actually returned */
	int32_t resid;		/* requested minus transferred */
	uint64_t duration_ns;
};

/* Initialise a command record: zero everything, copy the CDB. */
void odf_cmd_init(struct odf_cmd *c, const uint8_t *cdb, size_t cdb_len,
		  enum odf_dir dir, void *buf, size_t len,
		  unsigned timeout_ms);
enum odf_cat odf_cmd_category(const struct odf_cmd *c);

/* Kind of path between the host and the drive, from sysfs. */
enum odf_bus {
	ODF_BUS_UNKNOWN = 0, ODF_BUS_ATA, ODF_BUS_USB, ODF_BUS_UAS,
	ODF_BUS_SCSI, ODF_BUS_FIREWIRE, ODF_BUS_VIRTUAL, ODF_BUS_EMU,
};
const char *odf_bus_name(enum odf_bus b);	/* "sata/pata", "usb", ... */

struct odf_dev_info {
	char name[256];		/* what the user gave */
	char sg_path[64];	/* "/dev/sg3" or "" */
	char block_path[64];	/* "/dev/sr0" or "" */
	char hctl[32];		/* "2:0:0:0" or "" */
	char sysfs[256];	/* /sys/class/scsi_device/H:C:T:L/device */
	char backend[16];	/* "linux", "emu", "null" */
	enum odf_bus bus;
	size_t max_transfer;	/* bytes per command the path carries;
				   0 = unknown */
	unsigned max_segments;	/* 0 = unknown */
	bool writable;		/* opened for writing (exclusive, sg node) */
};

struct odf_dev;
struct odf_ctx;

/* Open flags. */
#define ODF_OPEN_READ 0x0	/* read-type commands; shared; sr ok */
#define ODF_OPEN_WRITE 0x1	/* exclusive, sg node (UAs not eaten) */

/* Open a device by any accepted name: /dev/srN, /dev/sgN, by-id/by-path
 * links, H:C:T:L, emu:PATH.  Returns 0 and *out, or ODF_E_NODEV,
 * ODF_E_ACCESS (reason device-permission: the cdrom group / root),
 * ODF_E_NOTSCSI,
 * ODF_E_OPEN. */
int odf_dev_open(const char *name, unsigned flags, struct odf_dev **out,
		 struct odf_diag *d);
/* The same, logging and tracing through ctx (odf/ctx.h; NULL = none). */
int odf_dev_open_ctx(const struct odf_ctx *ctx, const char *name,
		     unsigned flags, struct odf_dev **out, struct odf_diag *d);
/* The context the device was opened with (NULL = none). */
const struct odf_ctx *odf_dev_ctx(const struct odf_dev *dev);
void odf_dev_close(struct odf_dev *dev);
/* Close the connection and open the same name again with the same flags
 * and context, keeping the handle: a drive that left the bus (it
 * rebooted after a flash and re-enumerated) is found again while whoever
 * holds the handle keeps it.  On failure the handle stays valid but
 * closed: every command returns ODF_E_NODEV until a reopen succeeds, and
 * odf_dev_close still frees it. */
int odf_dev_reopen(struct odf_dev *dev, struct odf_diag *d);
const struct odf_dev_info *odf_dev_get_info(const struct odf_dev *dev);

/* Backends from outside libodf, by name prefix (as libusb's backend
 * ops): libodemu registers "emu:" (odemu_transport_register), so libodf
 * itself never links the emulator.  open fills *priv and *info (except
 * name and backend); exec returns 0 when the command was carried out,
 * whatever its status.  The ops must stay valid for the program's life.
 * Returns 0, ODF_E_USAGE for a malformed ops or a prefix taken by another
 * backend, ODF_E_NOMEM when the table (8 entries) is full; registering
 * the same ops again is a no-op. */
struct odf_backend_ops {
	const char *name;	/* "emu" */
	const char *prefix;	/* "emu:" */
	int (*open)(void **priv, const char *name, unsigned flags,
		    struct odf_dev_info *info, struct odf_diag *d);
	int (*exec)(void *priv, struct odf_cmd *c);
	void (*close)(void *priv);
};
int odf_transport_register(const struct odf_backend_ops *ops);

/* Send one command.  Returns 0 when the command was carried out, whatever
 * its status (look at odf_cmd_category), or a negative odf_err when it
 * could not be issued at all.  Every command goes through the trace hook. */
int odf_dev_exec(struct odf_dev *dev, struct odf_cmd *c);

/* Every command goes through the trace hook of the device's context
 * (odf_ctx_set_trace). */

/* One optical drive found by odf_scan. */
struct odf_scan_entry {
	struct odf_dev_info info;
};
/* Enumerate optical drives (peripheral type 5) from sysfs.  The sysfs
 * root is normally "/sys"; tests pass a fake tree.  Caller frees *list
 * with free().  No drive = 0 entries and return 0. */
int odf_scan(const char *sysfs_root, struct odf_scan_entry **list,
	     size_t *n, struct odf_diag *d);

/* Resolve a Linux device name to its sr/sg/hctl/sysfs facts without
 * opening it (uses sysfs_root and dev_root, normally "/sys" and "/dev").
 * ODF_E_NODEV if it does not exist, ODF_E_NOTSCSI if not a SCSI device. */
int odf_resolve_name(const char *sysfs_root, const char *dev_root,
		     const char *name, struct odf_dev_info *info,
		     struct odf_diag *d);

#endif
