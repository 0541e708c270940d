/* odflash pipeline, internal helpers shared by the files of lib/flash. */
#ifndef ODFI_FLASH_INTERNAL_H
#define ODFI_FLASH_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "odf/flash.h"

/* mkdir -p with mode 0700. */
int odfi_mkdirs(const char *path, struct odf_diag *d);
/* Create path (never overwrite: O_EXCL) and write buf fully, fsync'd;
 * errors are returned as `err`. */
int odfi_write_new_file(const char *path, const uint8_t *buf, size_t len,
			int err, struct odf_diag *d);

#endif
