/* odflash vendor layer: the static driver registry and drive
 * identification (odf/vendor.h).  Most specific driver first; the generic
 * SPC driver last. */
#include <stdio.h>
#include <string.h>

#include "odf/ctx.h"
#include "odf/vendor.h"
#include "drivers/drivers_int.h"

static const struct odf_driver *const drivers[] = {
	&odf_driver_nec,
	&odf_driver_ps3,
	&odf_driver_plextor,
	&odf_driver_pioneer,
	&odf_driver_mtkff,
	&odf_driver_sd616,
	&odf_driver_mtk8051,
	&odf_driver_mt1959,
	&odf_driver_btc,
	&odf_driver_lg,
	&odf_driver_spc,
};

const struct odf_driver *const *
odf_drivers(size_t *n)
{
	if (n)
		*n = sizeof(drivers) / sizeof(drivers[0]);
	return drivers;
}

const struct odf_driver *
odf_driver_by_name(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < sizeof(drivers) / sizeof(drivers[0]); i++)
		if (strcmp(drivers[i]->name, name) == 0)
			return drivers[i];
	return NULL;
}

int
odf_identify_drive(struct odf_dev *dev, struct odf_drive_ident *id,
		   const struct odf_driver **drv, struct odf_diag *d)
{
	struct odf_inquiry inq;
	int rc;

	memset(id, 0, sizeof(*id));
	id->mode = ODF_MODE_UNKNOWN;
	if (drv)
		*drv = NULL;
	rc = odf_inquiry(dev, &inq, d);
	if (rc < 0)
		return rc;
	snprintf(id->vendor, sizeof(id->vendor), "%s", inq.vendor);
	snprintf(id->product, sizeof(id->product), "%s", inq.product);
	snprintf(id->revision, sizeof(id->revision), "%s", inq.revision);
	/* VPD 80h is optional: drives without it simply have no serial. */
	if (odf_inquiry_serial(dev, id->serial, sizeof(id->serial), NULL) < 0)
		id->serial[0] = '\0';
	for (size_t i = 0; i < sizeof(drivers) / sizeof(drivers[0]); i++) {
		struct odf_drive_ident probe = *id;
		struct odf_diag pd;

		odf_diag_clear(&pd);
		rc = drivers[i]->probe(dev, &inq, &probe, &pd);
		if (rc < 0) {
			odf_ctx_log(odf_dev_ctx(dev), ODF_LOG_DEBUG, "driver %s: probe failed: %s",
				drivers[i]->name, pd.msg);
			continue;
		}
		if (rc == 1) {
			*id = probe;
			id->family = drivers[i]->family;
			snprintf(id->driver, sizeof(id->driver), "%s",
				 drivers[i]->name);
			if (drv)
				*drv = drivers[i];
			odf_ctx_log(odf_dev_ctx(dev), ODF_LOG_INFO, "%s %s %s: driver %s, mode %s%s%s",
				id->vendor, id->product, id->revision,
				id->driver, odf_mode_name(id->mode),
				id->target[0] ? ", id " : "", id->target);
			return 0;
		}
	}
	if (id->mode == ODF_MODE_UNKNOWN)
		id->mode = ODF_MODE_NORMAL;
	odf_ctx_log(odf_dev_ctx(dev), ODF_LOG_INFO, "%s %s %s: no driver handles this drive",
		id->vendor, id->product, id->revision);
	return 0;
}
