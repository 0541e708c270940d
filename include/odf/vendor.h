/* odflash: vendor drivers and their static registry.
 *
 * A driver recognises a drive (read-only probe), dumps its firmware and
 * plans flashes; it never flashes by itself: the session (lib/session)
 * runs the plan.  One const table of operations per family
 * (lib/drivers/<family>.c), listed in lib/drivers/registry.c.
 */
#ifndef ODF_VENDOR_H
#define ODF_VENDOR_H

#include <stdbool.h>
#include <stddef.h>

#include "odf/error.h"
#include "odf/ident.h"
#include "odf/plan.h"
#include "odf/scsi.h"
#include "odf/transport.h"

struct odf_driver {
	const char *name;		/* "nec", "spc", ... */
	const char *description;	/* "NEC/Optiarc (binflash protocol)" */
	enum odf_family family;
	/* Read-only probe.  Returns 1 when this driver handles the drive
	 * (id filled: family, mode, target, bootcode...), 0 when not, or a
	 * negative odf_err.  Must send no command that changes the drive. */
	int (*probe)(struct odf_dev *dev, const struct odf_inquiry *inq,
		     struct odf_drive_ident *id, struct odf_diag *d);
	/* Further operations (dump, plan, plan_bootcode, ...) are
	 * declared with the plan in odf/plan.h. */
	const struct odf_driver_ops *ops;
};

/* All drivers, most specific first; the generic SPC driver last. */
const struct odf_driver *const *odf_drivers(size_t *n);
const struct odf_driver *odf_driver_by_name(const char *name);

/* INQUIRY + serial + each driver's probe in order.  Fills *id (always,
 * as far as known) and *drv (NULL when no driver handles the drive:
 * not an error, info still shows the drive). */
int odf_identify_drive(struct odf_dev *dev, struct odf_drive_ident *id,
		       const struct odf_driver **drv, struct odf_diag *d);

/* The drivers, for tests and for forcing one. */
extern const struct odf_driver odf_driver_nec;
extern const struct odf_driver odf_driver_spc;

#endif
