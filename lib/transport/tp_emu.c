/* odflash transport: the "emu:PATH" backend, an emulated drive in-process
 * through the emulator's public API (include/odemu/odemu.h). */
#include <string.h>

#include "odemu/odemu.h"
#include "transport/backend.h"

static int
emu_open(struct odf_dev *dev, const char *path, unsigned flags,
	 struct odf_diag *d)
{
	struct odemu *emu = NULL;
	int rc;

	if (path[0] == '\0') {
		odf_diag_set(d, ODF_E_USAGE,
			     "emu: needs the path of a drive state file");
		odf_diag_hint(d, "create one with `odemu new MODEL STATE` and "
			      "pass emu:STATE");
		return ODF_E_USAGE;
	}
	/* odemu_open reports NODEV/FORMAT/OPEN itself; pass it through. */
	rc = odemu_open(path, &emu, d);
	if (rc < 0)
		return rc;
	if (emu == NULL)
		return odf_diag_set(d, ODF_E_INTERNAL,
				    "odemu_open returned no drive for %s",
				    path);
	dev->priv = emu;
	dev->info.bus = odemu_bus(emu);
	dev->info.max_transfer = odemu_max_transfer(emu);
	dev->info.max_segments = 0;
	dev->info.writable = (flags & ODF_OPEN_WRITE) != 0;
	odfi_strlcpy(dev->info.sysfs, path, sizeof(dev->info.sysfs));
	return 0;
}

static int
emu_exec(struct odf_dev *dev, struct odf_cmd *c)
{
	odemu_exec(dev->priv, c);
	return 0;
}

static void
emu_close(struct odf_dev *dev)
{
	if (dev->priv)
		odemu_close(dev->priv);
	dev->priv = NULL;
}

const struct odfi_backend odfi_backend_emu = {
	.name = "emu",
	.prefix = "emu:",
	.open = emu_open,
	.exec = emu_exec,
	.close = emu_close,
};
