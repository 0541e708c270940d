/* odflash: error model shared by every layer.
 *
 * Library calls return 0 on success or a negative enum odf_err, and fill an
 * optional struct odf_diag (NULL is always accepted) with the details a
 * person needs: errno, sense key/ASC/ASCQ, the step that failed, one
 * sentence saying what went wrong and one saying what to do.  The library
 * never prints; the CLI maps odf_err to exit codes in one place
 * (odf_err_exit_code).
 */
#ifndef ODF_ERROR_H
#define ODF_ERROR_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

enum odf_err {
	ODF_OK = 0,
	ODF_E_USAGE = -1,	/* bad argument from the caller (exit 1) */
	ODF_E_NODEV = -2,	/* device does not exist (exit 2) */
	ODF_E_ACCESS = -3,	/* permission denied (exit 2) */
	ODF_E_NOTSCSI = -4,	/* exists, but is not a SCSI/ATAPI device (2) */
	ODF_E_OPEN = -5,	/* cannot be opened: busy, vanished (exit 2) */
	ODF_E_IO = -6,		/* OS error while sending a command (exit 3) */
	ODF_E_TRANSPORT = -7,	/* host/driver/bridge error (exit 3) */
	ODF_E_SENSE = -8,	/* drive answered CHECK CONDITION (exit 3) */
	ODF_E_TIMEOUT = -9,	/* command timed out (exit 3) */
	ODF_E_UNSUPPORTED = -10,/* drive/protocol cannot do this (exit 3) */
	ODF_E_FILE = -11,	/* firmware file unreadable/missing (exit 4) */
	ODF_E_FORMAT = -12,	/* unknown or malformed firmware (exit 4) */
	ODF_E_TRUNCATED = -13,	/* firmware file too short (exit 4) */
	ODF_E_CHECKSUM = -14,	/* firmware checksum wrong (exit 4) */
	ODF_E_MISMATCH = -15,	/* image is for another drive (exit 5) */
	ODF_E_SAFETY = -16,	/* refused for safety (exit 5) */
	ODF_E_NOT_CONFIRMED = -17, /* user did not confirm (exit 5) */
	ODF_E_PATH = -18,	/* path cannot carry the transfer (exit 5) */
	ODF_E_BACKUP = -19,	/* backup failed or would overwrite (exit 5) */
	ODF_E_FLASH = -20,	/* failed after the drive was changed (6) */
	ODF_E_VERIFY = -21,	/* drive does not hold what was flashed (7) */
	ODF_E_NOMEM = -22,	/* out of memory (exit 10) */
	ODF_E_INTERNAL = -23,	/* bug or impossible state (exit 10) */
	ODF_E_INTERRUPTED = -24,/* stopped by a signal before any change (5) */
	ODF_E_BUSY = -25,	/* another program holds the drive (exit 5) */
	ODF_E_NODUMP = -26,	/* no dump/backup possible: the protocol has
				   no read-back or the drive refuses it (5) */
};

/* Process exit codes of the user-facing contract (README.md "Exit codes",
 * docs/odflash.1 EXIT STATUS). */
enum odf_exit {
	ODF_EXIT_OK = 0,
	ODF_EXIT_USAGE = 1,
	ODF_EXIT_DEVICE = 2,
	ODF_EXIT_REJECTED = 3,
	ODF_EXIT_BAD_FILE = 4,
	ODF_EXIT_REFUSED = 5,
	ODF_EXIT_FLASH_FAILED = 6,
	ODF_EXIT_VERIFY = 7,
	ODF_EXIT_INTERNAL = 10,
};

#define ODF_DIAG_MSG_MAX 512

struct odf_diag {
	int err;		/* enum odf_err, 0 when nothing failed */
	int os_errno;		/* errno, 0 if none */
	int sense_valid;	/* 1 when key/asc/ascq below are meaningful */
	uint8_t sense_key, asc, ascq;
	char step[64];		/* pipeline step or command, e.g. "erase block 3" */
	char msg[ODF_DIAG_MSG_MAX];	/* what went wrong, for a person */
	char hint[ODF_DIAG_MSG_MAX];	/* what to do about it, may be "" */
};

/* Short, stable name of an error ("sense", "no-device", ...). */
const char *odf_err_name(int err);
/* One generic sentence for an error code, used when diag->msg is empty. */
const char *odf_err_str(int err);
/* The documented exit code for an error (0 for ODF_OK). */
int odf_err_exit_code(int err);

/* Fill diag (if not NULL): set err, format msg; returns err so callers can
 * write `return odf_diag_set(d, ODF_E_FILE, "cannot open %s", path);`.
 * Does not touch step/hint/sense fields. */
int odf_diag_set(struct odf_diag *d, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Set the hint sentence (if d is not NULL). */
void odf_diag_hint(struct odf_diag *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Reset a diag to "no error". */
void odf_diag_clear(struct odf_diag *d);

/* Logging: the library reports progress and details through one callback.
 * level: ODF_LOG_ERR < WARN < INFO < DEBUG < TRACE (TRACE = every CDB). */
enum odf_log_level {
	ODF_LOG_ERR = 0, ODF_LOG_WARN, ODF_LOG_INFO, ODF_LOG_DEBUG, ODF_LOG_TRACE
};
typedef void (*odf_log_fn)(void *ctx, int level, const char *msg);
/* The sink and its threshold belong to a context: odf/ctx.h. */

#endif
