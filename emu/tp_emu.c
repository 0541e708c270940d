/* The "emu:PATH" transport backend: an emulated drive in-process, given
 * to libodf through odf_transport_register (include/odf/transport.h), so
 * libodf never links the emulator; programs that link libodemu call
 * odemu_transport_register() once. */
#include <stdio.h>

#include "odemu/odemu.h"

static int
emu_open(void **priv, const char *path, unsigned flags,
	 struct odf_dev_info *info, struct odf_diag *d)
{
	struct odemu *emu = NULL;
	int rc;

	if (path[0] == '\0') {
		odf_diag_set(d, ODF_E_USAGE,
			     "emu: needs the path of a drive state file");
		odemu_diag_hint(d, "create one with `odemu new MODEL STATE` and "
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
	*priv = emu;
	info->bus = odemu_bus(emu);
	info->max_transfer = odemu_max_transfer(emu);
	info->max_segments = 0;
	info->writable = (flags & ODF_OPEN_WRITE) != 0;
	snprintf(info->sysfs, sizeof(info->sysfs), "%s", path);
	return 0;
}

static int
emu_exec(void *priv, struct odf_cmd *c)
{
	odemu_exec(priv, c);
	return 0;
}

static void
emu_close(void *priv)
{
	if (priv)
		odemu_close(priv);
}

static const struct odf_backend_ops emu_ops = {
	.name = "emu",
	.prefix = "emu:",
	.open = emu_open,
	.exec = emu_exec,
	.close = emu_close,
};

int
odemu_transport_register(void)
{
	return odf_transport_register(&emu_ops);
}
