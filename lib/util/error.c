/* odflash: error names, exit-code mapping, diagnostics and the log sink. */
#include <stdio.h>
#include <string.h>

#include "odf/error.h"

static const struct {
	int err;
	const char *name;
	const char *text;
	int exit_code;
} errs[] = {
	{ ODF_OK, "ok", "success", ODF_EXIT_OK },
	{ ODF_E_USAGE, "usage", "invalid argument", ODF_EXIT_USAGE },
	{ ODF_E_NODEV, "no-device", "device does not exist", ODF_EXIT_DEVICE },
	{ ODF_E_ACCESS, "permission", "permission denied", ODF_EXIT_DEVICE },
	{ ODF_E_NOTSCSI, "not-scsi", "not a SCSI/ATAPI device",
	  ODF_EXIT_DEVICE },
	{ ODF_E_OPEN, "open", "device cannot be opened", ODF_EXIT_DEVICE },
	{ ODF_E_IO, "io", "the operating system refused the command",
	  ODF_EXIT_REJECTED },
	{ ODF_E_TRANSPORT, "transport", "the path to the drive failed",
	  ODF_EXIT_REJECTED },
	{ ODF_E_SENSE, "sense", "the drive rejected a command",
	  ODF_EXIT_REJECTED },
	{ ODF_E_TIMEOUT, "timeout", "the command timed out", ODF_EXIT_REJECTED },
	{ ODF_E_UNSUPPORTED, "unsupported",
	  "the drive or its protocol cannot do this", ODF_EXIT_REJECTED },
	{ ODF_E_FILE, "file", "firmware file cannot be read",
	  ODF_EXIT_BAD_FILE },
	{ ODF_E_FORMAT, "format", "unknown or malformed firmware file",
	  ODF_EXIT_BAD_FILE },
	{ ODF_E_TRUNCATED, "truncated", "firmware file is truncated",
	  ODF_EXIT_BAD_FILE },
	{ ODF_E_CHECKSUM, "checksum", "firmware checksum is wrong",
	  ODF_EXIT_BAD_FILE },
	{ ODF_E_MISMATCH, "mismatch", "the firmware is for another drive",
	  ODF_EXIT_REFUSED },
	{ ODF_E_SAFETY, "refused", "refused for safety", ODF_EXIT_REFUSED },
	{ ODF_E_NOT_CONFIRMED, "not-confirmed", "not confirmed",
	  ODF_EXIT_REFUSED },
	{ ODF_E_PATH, "path", "the path cannot carry the transfer",
	  ODF_EXIT_REFUSED },
	{ ODF_E_BACKUP, "backup", "the backup failed", ODF_EXIT_REFUSED },
	{ ODF_E_FLASH, "flash-failed",
	  "the flash failed after the drive was changed",
	  ODF_EXIT_FLASH_FAILED },
	{ ODF_E_VERIFY, "verify", "the drive does not hold what was flashed",
	  ODF_EXIT_VERIFY },
	{ ODF_E_NOMEM, "no-memory", "out of memory", ODF_EXIT_INTERNAL },
	{ ODF_E_INTERNAL, "internal", "internal error", ODF_EXIT_INTERNAL },
	{ ODF_E_INTERRUPTED, "interrupted",
	  "interrupted before anything was changed", ODF_EXIT_REFUSED },
	{ ODF_E_BUSY, "busy", "the drive is in use by another program",
	  ODF_EXIT_REFUSED },
	/* One code wherever a dump or backup cannot be had (dump, flash's
	 * backup, --dry-run), whether the protocol has no read-back or the
	 * drive refuses it: odflash refuses, nothing was changed (issue
	 * #12; README "Exit codes" 5). */
	{ ODF_E_NODUMP, "no-dump", "the drive's firmware cannot be read "
	  "back", ODF_EXIT_REFUSED },
};

static size_t
find(int err)
{
	for (size_t i = 0; i < sizeof(errs) / sizeof(errs[0]); i++)
		if (errs[i].err == err)
			return i;
	return SIZE_MAX;
}

const char *
odf_err_name(int err)
{
	size_t i = find(err);
	return i == SIZE_MAX ? "internal" : errs[i].name;
}

const char *
odf_err_str(int err)
{
	size_t i = find(err);
	return i == SIZE_MAX ? "unknown error" : errs[i].text;
}

int
odf_err_exit_code(int err)
{
	size_t i = find(err);
	return i == SIZE_MAX ? ODF_EXIT_INTERNAL : errs[i].exit_code;
}

int
odf_diag_set(struct odf_diag *d, int err, const char *fmt, ...)
{
	if (d) {
		va_list ap;
		d->err = err;
		va_start(ap, fmt);
		vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
		va_end(ap);
	}
	return err;
}

void
odf_diag_hint(struct odf_diag *d, const char *fmt, ...)
{
	if (d) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(d->hint, sizeof(d->hint), fmt, ap);
		va_end(ap);
	}
}

void
odf_diag_clear(struct odf_diag *d)
{
	if (d)
		memset(d, 0, sizeof(*d));
}
