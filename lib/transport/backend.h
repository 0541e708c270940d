/* odflash transport layer, internal: the backend table and the device
 * handle.  Each backend keeps its own private state behind dev->priv; no
 * file descriptors live in globals. */
#ifndef ODFI_TRANSPORT_BACKEND_H
#define ODFI_TRANSPORT_BACKEND_H

#include "odf/ctx.h"
#include "odf/transport.h"

struct odf_dev;

struct odfi_backend {
	const char *name;	/* "linux", "emu", "null" */
	const char *prefix;	/* "emu:", "null:"; NULL = default backend */
	/* Open `name` (the part after the prefix), fill dev->info (except
	 * name and backend, set by the caller) and dev->priv. */
	int (*open)(struct odf_dev *dev, const char *name, unsigned flags,
		    struct odf_diag *d);
	/* Carry out one command; 0 when carried out, whatever its status. */
	int (*exec)(struct odf_dev *dev, struct odf_cmd *c);
	void (*close)(struct odf_dev *dev);
};

struct odf_dev {
	const struct odf_ctx *ctx;	/* log, trace; NULL = none */
	const struct odfi_backend *be;
	const struct odf_backend_ops *ops;	/* registered; NULL = be */
	void *priv;
	struct odf_dev_info info;
	unsigned flags;			/* ODF_OPEN_*, for odf_dev_reopen */
	bool closed;			/* odf_dev_reopen failed: no backend */
};

/* The operating system's pass-through: tp_linux.c (SG_IO) or
 * tp_win32.c (SPTI), whichever the platform builds. */
extern const struct odfi_backend odfi_backend_os;
extern const struct odfi_backend odfi_backend_null;

/* Bounded string copy that always NUL-terminates; returns false when the
 * source did not fit. */
bool odfi_strlcpy(char *dst, const char *src, size_t size);

/* Peripheral device type from <scsi device dir>/type, -1 if unknown. */
int odfi_read_type(const char *scsi_dev_dir);

/* A Windows device name (D:, \\.\D:, CdRom0, \\.\CdRom0) as the
 * device path CreateFile takes ("\\.\D:", "\\.\CdRom0"); *letter is
 * the drive letter when the name gave one, else '\0'.  -1 when the name
 * is none of these (winname.c). */
int odfi_win_devpath(const char *name, char *path, size_t size,
		     char *letter);

/* A libsgutils2 pass-through object on an open device (sgpt.c), the
 * first member of the Linux and the Windows backends' private data. */
struct sg_pt_base;
struct odfi_sgpt {
	int fd;
	struct sg_pt_base *pt;
};

/* A backend's private data of size bytes (zeroed) starting with a
 * struct odfi_sgpt on fd (from scsi_pt_open_flags); NULL, with fd
 * closed, when out of memory. */
void *odfi_sgpt_new(size_t size, int fd);
/* The backends' exec: one command through the struct odfi_sgpt at the
 * start of dev->priv; 0 when carried out, whatever its status. */
int odfi_sgpt_exec(struct odf_dev *dev, struct odf_cmd *c);
/* Frees the object and closes its device. */
void odfi_sgpt_close(struct odfi_sgpt *s);

#endif
