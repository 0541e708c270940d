/* odflash: error names and classes, reason names, diagnostics. */
#include <stdio.h>
#include <string.h>

#include "odf/error.h"

static const struct {
	int err;
	const char *name;
	const char *text;
	enum odf_err_class cls;
} errs[] = {
	{ ODF_OK, "ok", "success", ODF_CLASS_NONE },
	{ ODF_E_USAGE, "usage", "invalid argument", ODF_CLASS_USAGE },
	{ ODF_E_NODEV, "no-device", "device does not exist", ODF_CLASS_DEVICE },
	{ ODF_E_ACCESS, "permission", "permission denied", ODF_CLASS_DEVICE },
	{ ODF_E_NOTSCSI, "not-scsi", "not a SCSI/ATAPI device",
	  ODF_CLASS_DEVICE },
	{ ODF_E_OPEN, "open", "device cannot be opened", ODF_CLASS_DEVICE },
	{ ODF_E_IO, "io", "the operating system refused the command",
	  ODF_CLASS_REJECTED },
	{ ODF_E_TRANSPORT, "transport", "the path to the drive failed",
	  ODF_CLASS_REJECTED },
	{ ODF_E_SENSE, "sense", "the drive rejected a command",
	  ODF_CLASS_REJECTED },
	{ ODF_E_TIMEOUT, "timeout", "the command timed out", ODF_CLASS_REJECTED },
	{ ODF_E_UNSUPPORTED, "unsupported",
	  "the drive or its protocol cannot do this", ODF_CLASS_REJECTED },
	{ ODF_E_FILE, "file", "firmware file cannot be read",
	  ODF_CLASS_FILE },
	{ ODF_E_FORMAT, "format", "unknown or malformed firmware file",
	  ODF_CLASS_FILE },
	{ ODF_E_TRUNCATED, "truncated", "firmware file is truncated",
	  ODF_CLASS_FILE },
	{ ODF_E_CHECKSUM, "checksum", "firmware checksum is wrong",
	  ODF_CLASS_FILE },
	{ ODF_E_MISMATCH, "mismatch", "the firmware is for another drive",
	  ODF_CLASS_REFUSED },
	{ ODF_E_SAFETY, "refused", "refused for safety", ODF_CLASS_REFUSED },
	{ ODF_E_NOT_CONFIRMED, "not-confirmed", "not confirmed",
	  ODF_CLASS_REFUSED },
	{ ODF_E_PATH, "path", "the path cannot carry the transfer",
	  ODF_CLASS_REFUSED },
	{ ODF_E_BACKUP, "backup", "the backup failed", ODF_CLASS_REFUSED },
	{ ODF_E_FLASH, "flash-failed",
	  "the flash failed after the drive was changed",
	  ODF_CLASS_CHANGED },
	{ ODF_E_VERIFY, "verify", "the drive does not hold what was flashed",
	  ODF_CLASS_VERIFY },
	{ ODF_E_NOMEM, "no-memory", "out of memory", ODF_CLASS_INTERNAL },
	{ ODF_E_INTERNAL, "internal", "internal error", ODF_CLASS_INTERNAL },
	{ ODF_E_INTERRUPTED, "interrupted",
	  "interrupted before anything was changed", ODF_CLASS_REFUSED },
	{ ODF_E_BUSY, "busy", "the drive is in use by another program",
	  ODF_CLASS_REFUSED },
	/* One code wherever a dump or backup cannot be had (dump, flash's
	 * backup, --dry-run), whether the protocol has no read-back or the
	 * drive refuses it: odflash refuses, nothing was changed (issue
	 * #12; README "Exit codes" 5). */
	{ ODF_E_NODUMP, "no-dump", "the drive's firmware cannot be read "
	  "back", ODF_CLASS_REFUSED },
	/* A drive (or a bridge) that answers with bytes that do not parse
	 * is a device fault, not a bad firmware file (issue #18, a lying
	 * drive): the REJECTED class, README "Exit codes" 3. */
	{ ODF_E_ANSWER, "bad-answer", "the drive's answer is malformed",
	  ODF_CLASS_REJECTED },
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

enum odf_err_class
odf_err_class(int err)
{
	size_t i = find(err);
	return i == SIZE_MAX ? ODF_CLASS_INTERNAL : errs[i].cls;
}

static const char *const reasons[ODF_R_COUNT] = {
	[ODF_R_NONE] = "none",
	[ODF_R_FILE_MISSING] = "file-missing",
	[ODF_R_FILE_PERMISSION] = "file-permission",
	[ODF_R_FILE_IS_DIR] = "file-is-directory",
	[ODF_R_FILE_EMPTY] = "file-empty",
	[ODF_R_FILE_TRUNCATED] = "file-truncated",
	[ODF_R_MAYBE_TRUNCATED] = "maybe-truncated",
	[ODF_R_CHECKSUM_BAD] = "checksum-bad",
	[ODF_R_PACKED_UPDATER] = "packed-updater",
	[ODF_R_NOT_BOOTCODE] = "not-bootcode",
	[ODF_R_KERNEL_PART] = "kernel-part",
	[ODF_R_FILE_EXISTS] = "file-exists",
	[ODF_R_BACKUP_EXISTS] = "backup-exists",
	[ODF_R_NO_SUCH_DEVICE] = "no-such-device",
	[ODF_R_NOT_A_DRIVE] = "not-a-drive",
	[ODF_R_DEVICE_PERMISSION] = "device-permission",
	[ODF_R_DEVICE_BUSY] = "device-busy",
	[ODF_R_SG_MISSING] = "sg-driver-missing",
	[ODF_R_BACKEND_MISSING] = "backend-missing",
	[ODF_R_NO_DRIVER] = "no-driver",
	[ODF_R_BRIDGE_CAP] = "bridge-cap",
	[ODF_R_CHUNK_REFUSED] = "chunk-refused",
	[ODF_R_VENDOR_BLOCKED] = "vendor-commands-blocked",
	[ODF_R_COMMAND_UNSUPPORTED] = "command-unsupported",
	[ODF_R_FIELD_REJECTED] = "field-rejected",
	[ODF_R_UNIT_ATTENTION] = "unit-attention",
	[ODF_R_BECOMING_READY] = "becoming-ready",
	[ODF_R_NO_DISC] = "no-disc",
	[ODF_R_WRITE_ACCESS] = "write-access-needed",
	[ODF_R_DRIVE_GONE] = "drive-gone",
	[ODF_R_DRIVE_HUNG] = "drive-hung",
	[ODF_R_PATH_FAILED] = "path-failed",
	[ODF_R_DRIVE_BUSY] = "drive-busy",
	[ODF_R_DRIVE_STUCK] = "drive-stuck",
	[ODF_R_CHALLENGE_UNANSWERED] = "challenge-unanswered",
	[ODF_R_MODEL_UNKNOWN] = "model-unknown",
	[ODF_R_NO_DUMP] = "no-dump-protocol",
	[ODF_R_NO_FLASH_PROTOCOL] = "no-flash-protocol",
	[ODF_R_NO_RECOVERY] = "no-recovery-protocol",
	[ODF_R_NO_BOOTCODE_PROTOCOL] = "no-bootcode-protocol",
	[ODF_R_WRITE_REJECTED] = "write-rejected",
	[ODF_R_WRONG_MODEL] = "wrong-model",
	[ODF_R_INCOMPATIBLE] = "incompatible",
	[ODF_R_RECOVER_FIRST] = "recover-first",
	[ODF_R_DISC_IN_TRAY] = "disc-in-tray",
	[ODF_R_TRAY_LOCKED] = "tray-locked",
	[ODF_R_EJECT_FAILED] = "eject-failed",
	[ODF_R_MOUNTED] = "mounted",
	[ODF_R_ON_BATTERY] = "on-battery",
	[ODF_R_NOT_CONFIRMED] = "not-confirmed",
	[ODF_R_ASK_AGAIN] = "ask-again",
	[ODF_R_DOWNGRADE_GUARDED] = "downgrade-guarded",
	[ODF_R_BOOTCODE_NOT_CONFIRMED] = "bootcode-not-confirmed",
	[ODF_R_READS_DIFFER] = "reads-differ",
	[ODF_R_BACKUP_FAILED] = "backup-failed",
	[ODF_R_BACKUP_NOT_VALID] = "backup-not-valid",
	[ODF_R_DUMP_AS_FOUND] = "dump-as-found",
	[ODF_R_JOURNAL_UNWRITABLE] = "journal-unwritable",
	[ODF_R_IDENTITY_ONLY] = "identity-only",
	[ODF_R_FLASH_INCOMPLETE] = "flash-incomplete",
	[ODF_R_FIRMWARE_ERASED] = "firmware-erased",
	[ODF_R_BOOTCODE_BROKEN] = "bootcode-broken",
	[ODF_R_STATE_LINK] = "state-link",
	[ODF_R_LOCK_UNUSABLE] = "lock-unusable",
	[ODF_R_DRIVE_LOCKED] = "drive-locked",
	[ODF_R_READ_ONLY_HANDLE] = "read-only-handle",
	[ODF_R_NO_UNIT_DATA] = "no-unit-data",
	[ODF_R_MODE_KEPT] = "mode-kept",
};

const char *
odf_reason_name(int reason)
{
	if (reason <= 0 || reason >= ODF_R_COUNT || reasons[reason] == NULL)
		return "none";
	return reasons[reason];
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
odf_diag_reason(struct odf_diag *d, enum odf_reason reason)
{
	if (!d)
		return;
	d->reason = (int)reason;
	d->family = 0;
	d->size = d->limit = 0;
	d->expected[0] = d->actual[0] = d->device[0] = d->path[0] = '\0';
}

void
odf_diag_fact_path(struct odf_diag *d, const char *path)
{
	if (d)
		snprintf(d->path, sizeof(d->path), "%s", path ? path : "");
}

void
odf_diag_fact_device(struct odf_diag *d, const char *device)
{
	if (d)
		snprintf(d->device, sizeof(d->device), "%s",
			 device ? device : "");
}

void
odf_diag_fact_bytes(struct odf_diag *d, uint64_t size, uint64_t limit)
{
	if (d) {
		d->size = size;
		d->limit = limit;
	}
}

void
odf_diag_fact_model(struct odf_diag *d, const char *expected,
		    const char *actual)
{
	if (d) {
		snprintf(d->expected, sizeof(d->expected), "%s",
			 expected ? expected : "");
		snprintf(d->actual, sizeof(d->actual), "%s",
			 actual ? actual : "");
	}
}

void
odf_diag_fact_family(struct odf_diag *d, int family)
{
	if (d)
		d->family = family;
}

void
odf_diag_clear(struct odf_diag *d)
{
	if (d)
		memset(d, 0, sizeof(*d));
}
