/* odflash SCSI layer, internal helpers shared by the command files. */
#ifndef ODFI_SCSI_INT_H
#define ODFI_SCSI_INT_H

#include "odf/scsi.h"

/* Default timeouts (ms): identification commands, buffer reads, and
 * WRITE BUFFER (sg3_utils doc/sg_write_buffer.8: 300 s per command). */
#define ODFI_TMO_SHORT 30000u
#define ODFI_TMO_READBUF 60000u
#define ODFI_TMO_WRITEBUF 300000u

/* Classify a completed command record: 0 for GOOD, otherwise a negative
 * odf_err with d filled (message names `what`). */
int odfi_scsi_classify(const struct odf_cmd *c, const char *what,
		       struct odf_diag *d);

/* Run a data-in command; *got = bytes actually transferred. */
int odfi_run_in(struct odf_dev *dev, const uint8_t *cdb, size_t cdb_len,
		void *buf, size_t len, unsigned timeout_ms, const char *what,
		size_t *got, struct odf_diag *d);

/* Copy an ASCII field, stopping at NUL, trimming spaces at both ends.
 * Returns false when it holds a byte outside 20h-7Eh (before any NUL). */
bool odfi_ascii_field(const uint8_t *src, size_t n, char *dst,
		      size_t dst_len);

#endif
