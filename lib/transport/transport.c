/* odflash transport: the command record, result categories, the device
 * handle and backend dispatch, and the trace hook. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "transport/backend.h"

/* Order matters: the first backend whose prefix matches wins; the one
 * without a prefix (linux) takes every other name. */
static const struct odfi_backend *const backends[] = {
	&odfi_backend_null,
	&odfi_backend_os,
};

/* Backends registered from outside (odf_transport_register); they are
 * tried before the built-in ones. */
#define MAX_EXT 8
static const struct odf_backend_ops *ext[MAX_EXT];
static size_t n_ext;

/* The emulator's prefix, known here only to say what is missing when a
 * program was linked without it. */
#define EMU_PREFIX "emu:"

int
odf_transport_register(const struct odf_backend_ops *ops)
{
	if (ops == NULL || ops->name == NULL || ops->prefix == NULL ||
	    ops->prefix[0] == '\0' || ops->open == NULL ||
	    ops->exec == NULL || ops->close == NULL)
		return ODF_E_USAGE;
	for (size_t i = 0; i < n_ext; i++) {
		if (ext[i] == ops)
			return 0;
		if (strcmp(ext[i]->prefix, ops->prefix) == 0)
			return ODF_E_USAGE;
	}
	for (size_t i = 0; i < sizeof(backends) / sizeof(backends[0]); i++)
		if (backends[i]->prefix &&
		    strcmp(backends[i]->prefix, ops->prefix) == 0)
			return ODF_E_USAGE;
	if (n_ext == MAX_EXT)
		return ODF_E_NOMEM;
	ext[n_ext++] = ops;
	return 0;
}


bool
odfi_strlcpy(char *dst, const char *src, size_t size)
{
	size_t n;

	if (size == 0)
		return false;
	n = strlen(src);
	if (n >= size) {
		memcpy(dst, src, size - 1);
		dst[size - 1] = '\0';
		return false;
	}
	memcpy(dst, src, n + 1);
	return true;
}

void
odf_cmd_init(struct odf_cmd *c, const uint8_t *cdb, size_t cdb_len,
	     enum odf_dir dir, void *buf, size_t len, unsigned timeout_ms)
{
	memset(c, 0, sizeof(*c));
	if (cdb_len > ODF_CDB_MAX)
		cdb_len = ODF_CDB_MAX;
	if (cdb && cdb_len)
		memcpy(c->cdb, cdb, cdb_len);
	c->cdb_len = cdb_len;
	c->dir = dir;
	c->buf = buf;
	c->len = len;
	c->timeout_ms = timeout_ms;
}

/* Linux driver_status: the low nibble DRIVER_SENSE (08h) only says that
 * sense was returned and is no error (sg3_utils lib/sg_pt_linux.c,
 * SG_LIB_DRIVER_SENSE; Linux include/scsi/scsi.h DRIVER_*). */
#define DRIVER_SENSE_BIT 0x08

enum odf_cat
odf_cmd_category(const struct odf_cmd *c)
{
	unsigned drv = c->driver_status & 0x0f;

	if (c->os_err != 0)
		return ODF_CAT_OS;
	if (c->host_status != ODF_HOST_OK ||
	    (drv != 0 && drv != DRIVER_SENSE_BIT))
		return ODF_CAT_TRANSPORT;
	if (c->scsi_status == ODF_SAM_CHECK_CONDITION && c->sense_len > 0)
		return ODF_CAT_SENSE;
	if (c->scsi_status != ODF_SAM_GOOD)
		return ODF_CAT_STATUS;
	return ODF_CAT_OK;
}

const char *
odf_bus_name(enum odf_bus b)
{
	switch (b) {
	case ODF_BUS_ATA: return "sata/pata";
	case ODF_BUS_USB: return "usb";
	case ODF_BUS_UAS: return "uas";
	case ODF_BUS_SCSI: return "scsi";
	case ODF_BUS_FIREWIRE: return "firewire";
	case ODF_BUS_VIRTUAL: return "virtual";
	case ODF_BUS_EMU: return "emu";
	case ODF_BUS_UNKNOWN: break;
	}
	return "unknown";
}

int
odf_dev_open(const char *name, unsigned flags, struct odf_dev **out,
	     struct odf_diag *d)
{
	return odf_dev_open_ctx(NULL, name, flags, out, d);
}

int
odf_dev_open_ctx(const struct odf_ctx *ctx, const char *name, unsigned flags,
		 struct odf_dev **out, struct odf_diag *d)
{
	const struct odfi_backend *be = NULL;
	const struct odf_backend_ops *ops = NULL;
	const char *rest = name;
	struct odf_dev *dev;
	int rc;

	if (out)
		*out = NULL;
	if (name == NULL || out == NULL || name[0] == '\0')
		return odf_diag_set(d, ODF_E_USAGE, "no device name given");
	if (flags & ~(unsigned)ODF_OPEN_WRITE)
		return odf_diag_set(d, ODF_E_USAGE,
				    "unknown open flags 0x%x", flags);
	for (size_t i = 0; i < n_ext; i++) {
		const char *p = ext[i]->prefix;
		if (strncmp(name, p, strlen(p)) == 0) {
			ops = ext[i];
			rest = name + strlen(p);
			break;
		}
	}
	if (ops == NULL && strncmp(name, EMU_PREFIX, strlen(EMU_PREFIX)) == 0) {
		odf_diag_set(d, ODF_E_UNSUPPORTED, "%s: this program was built "
			     "without the emulator (libodemu)", name);
		odf_diag_reason(d, ODF_R_BACKEND_MISSING);
		odf_diag_fact_device(d, name);
		return ODF_E_UNSUPPORTED;
	}
	for (size_t i = 0; ops == NULL &&
	     i < sizeof(backends) / sizeof(backends[0]); i++) {
		const char *p = backends[i]->prefix;
		if (p == NULL || strncmp(name, p, strlen(p)) == 0) {
			be = backends[i];
			if (p)
				rest = name + strlen(p);
			break;
		}
	}
	if (be == NULL && ops == NULL)
		return odf_diag_set(d, ODF_E_INTERNAL, "no backend for %s",
				    name);
	dev = calloc(1, sizeof(*dev));
	if (dev == NULL)
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	dev->be = be;
	dev->ops = ops;
	dev->ctx = ctx;
	dev->flags = flags;
	if (!odfi_strlcpy(dev->info.name, name, sizeof(dev->info.name))) {
		free(dev);
		return odf_diag_set(d, ODF_E_USAGE,
				    "device name is too long (%zu bytes)",
				    strlen(name));
	}
	odfi_strlcpy(dev->info.backend, ops ? ops->name : be->name,
		     sizeof(dev->info.backend));
	if (ops)
		rc = ops->open(&dev->priv, rest, flags, &dev->info, d);
	else
		rc = be->open(dev, rest, flags, d);
	if (rc < 0) {
		free(dev);
		return rc;
	}
	odf_ctx_log(ctx, ODF_LOG_DEBUG, "opened %s (backend %s, bus %s, max transfer "
		"%zu)", name, dev->info.backend, odf_bus_name(dev->info.bus),
		dev->info.max_transfer);
	*out = dev;
	return 0;
}

/* The backend's half of a handle: its connection. */
static void
shut(struct odf_dev *dev)
{
	if (dev->closed)
		return;
	if (dev->ops)
		dev->ops->close(dev->priv);
	else
		dev->be->close(dev);
	dev->priv = NULL;
	dev->closed = true;
}

void
odf_dev_close(struct odf_dev *dev)
{
	if (dev == NULL)
		return;
	shut(dev);
	free(dev);
}

int
odf_dev_reopen(struct odf_dev *dev, struct odf_diag *d)
{
	struct odf_dev *n = NULL;
	char name[sizeof(dev->info.name)];
	int rc;

	if (dev == NULL)
		return odf_diag_set(d, ODF_E_USAGE, "no device");
	/* the old connection first: an exclusive open of the same device
	 * would fail while it is held */
	shut(dev);
	memcpy(name, dev->info.name, sizeof(name));
	rc = odf_dev_open_ctx(dev->ctx, name, dev->flags, &n, d);
	if (rc < 0)
		return rc;
	*dev = *n;	/* no backend keeps a pointer to its handle */
	free(n);
	return 0;
}

const struct odf_ctx *
odf_dev_ctx(const struct odf_dev *dev)
{
	return dev ? dev->ctx : NULL;
}

const struct odf_dev_info *
odf_dev_get_info(const struct odf_dev *dev)
{
	return dev ? &dev->info : NULL;
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int
odf_dev_exec(struct odf_dev *dev, struct odf_cmd *c)
{
	uint64_t t0;
	int rc;

	if (dev == NULL || c == NULL)
		return ODF_E_USAGE;
	if (dev->closed)
		return ODF_E_NODEV;
	if (c->cdb_len == 0 || c->cdb_len > ODF_CDB_MAX ||
	    (c->len > 0 && c->buf == NULL) ||
	    (c->len > 0 && c->dir == ODF_DIR_NONE) ||
	    (c->dir != ODF_DIR_NONE && c->dir != ODF_DIR_IN &&
	     c->dir != ODF_DIR_OUT))
		return ODF_E_USAGE;
	/* Fresh outputs: a reused record must not carry old results. */
	c->scsi_status = 0;
	c->host_status = 0;
	c->driver_status = 0;
	c->os_err = 0;
	c->sense_len = 0;
	c->resid = 0;
	c->duration_ns = 0;
	t0 = now_ns();
	rc = dev->ops ? dev->ops->exec(dev->priv, c) : dev->be->exec(dev, c);
	if (c->duration_ns == 0)
		c->duration_ns = now_ns() - t0;
	if (c->sense_len > ODF_SENSE_MAX)
		c->sense_len = ODF_SENSE_MAX;
	odf_ctx_trace(dev->ctx, dev, c);
	return rc;
}
