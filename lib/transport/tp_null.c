/* odflash transport: the "null:" backend.  Every open succeeds only to
 * let tests exercise the dispatch; every command fails with
 * ODF_E_UNSUPPORTED without touching anything. */
#include "transport/backend.h"

static int
null_open(struct odf_dev *dev, const char *name, unsigned flags,
	  struct odf_diag *d)
{
	(void)d;
	(void)name;
	dev->priv = NULL;
	dev->info.bus = ODF_BUS_UNKNOWN;
	dev->info.writable = (flags & ODF_OPEN_WRITE) != 0;
	return 0;
}

static int
null_exec(struct odf_dev *dev, struct odf_cmd *c)
{
	(void)dev;
	(void)c;
	return ODF_E_UNSUPPORTED;
}

static void
null_close(struct odf_dev *dev)
{
	(void)dev;
}

const struct odfi_backend odfi_backend_null = {
	.name = "null",
	.prefix = "null:",
	.open = null_open,
	.exec = null_exec,
	.close = null_close,
};
