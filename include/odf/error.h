/* odflash: error model shared by every layer.
 *
 * Library calls return 0 on success or a negative enum odf_err, and fill an
 * optional struct odf_diag (NULL is always accepted) with what happened:
 * errno, sense key/ASC/ASCQ, the step that failed, one factual sentence
 * (msg, like sense text: what went wrong, never what to type), and a
 * stable reason code (enum odf_reason) with the typed facts a front end
 * needs to say what to do (a transfer limit, a file's path, the expected
 * and the actual model).  The library words no advice and knows no
 * command line: a front end turns (err, reason, facts) into its own hint
 * (odflash: cli/common/words.c, with its flag names), and maps the
 * error's class (odf_err_class) to its exit codes (odflash: cli/common).
 * tools/check-lib-words.sh fails on a CLI flag or an odflash command line
 * in a string of lib/.
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
	ODF_E_ANSWER = -27,	/* the drive answered with data that does not
				   parse: a malformed INQUIRY, VPD, mode
				   page, sense (exit 3, like a rejection) */
};

/* What an error means for the drive: the classes a front end maps to its
 * outcomes (odflash: README.md "Exit codes", docs/odflash.1 EXIT STATUS;
 * the map is cli/common's).  DEVICE, REJECTED, FILE and REFUSED all say
 * that nothing was changed; CHANGED says the drive was written and is not
 * known to be whole. */
enum odf_err_class {
	ODF_CLASS_NONE = 0,	/* ODF_OK */
	ODF_CLASS_USAGE,	/* the caller asked for something invalid */
	ODF_CLASS_DEVICE,	/* the device cannot be reached or opened */
	ODF_CLASS_REJECTED,	/* the drive or the path rejected a command */
	ODF_CLASS_FILE,		/* the firmware file is missing or bad */
	ODF_CLASS_REFUSED,	/* refused before any change (safety, confirm) */
	ODF_CLASS_CHANGED,	/* failed after the drive was changed */
	ODF_CLASS_VERIFY,	/* the drive does not hold what was flashed */
	ODF_CLASS_INTERNAL,	/* out of memory, a bug */
};

/* Why an error happened, for a front end to word (reason names are
 * stable kebab-case words: odf_reason_name).  Each reason says which
 * facts of struct odf_diag it fills. */
enum odf_reason {
	ODF_R_NONE = 0,		/* only err is known */
	/* firmware files (path: the file) */
	ODF_R_FILE_MISSING,	/* "file-missing" */
	ODF_R_FILE_PERMISSION,	/* "file-permission" */
	ODF_R_FILE_IS_DIR,	/* "file-is-directory" */
	ODF_R_FILE_EMPTY,	/* "file-empty" */
	ODF_R_FILE_TRUNCATED,	/* "file-truncated": size present, limit
				   the size the format needs */
	ODF_R_MAYBE_TRUNCATED,	/* "maybe-truncated": unknown, but a cut
				   image of `expected` (family) would be
				   limit bytes; size = the file's */
	ODF_R_CHECKSUM_BAD,	/* "checksum-bad" */
	ODF_R_PACKED_UPDATER,	/* "packed-updater": a program, no image */
	ODF_R_NOT_BOOTCODE,	/* "not-bootcode": size = the file's */
	ODF_R_KERNEL_PART,	/* "kernel-part": a Pioneer kernel alone */
	ODF_R_FILE_EXISTS,	/* "file-exists": path, never overwritten */
	ODF_R_BACKUP_EXISTS,	/* "backup-exists": path (the asked backup) */
	/* devices (device: the name given) */
	ODF_R_NO_SUCH_DEVICE,	/* "no-such-device" */
	ODF_R_NOT_A_DRIVE,	/* "not-a-drive" */
	ODF_R_DEVICE_PERMISSION,/* "device-permission" */
	ODF_R_DEVICE_BUSY,	/* "device-busy": another program holds it */
	ODF_R_SG_MISSING,	/* "sg-driver-missing" */
	ODF_R_BACKEND_MISSING,	/* "backend-missing": e.g. emu: unregistered */
	ODF_R_NO_DRIVER,	/* "no-driver": no protocol knows the drive */
	/* commands and the path to the drive */
	ODF_R_BRIDGE_CAP,	/* "bridge-cap": limit = the path's transfer
				   cap (0 = unknown), size = the smallest
				   chunk the protocol can send (0 =
				   unknown) */
	ODF_R_CHUNK_REFUSED,	/* "chunk-refused": size = the chunk asked,
				   limit = the chunk (or unit) the protocol
				   takes */
	ODF_R_VENDOR_BLOCKED,	/* "vendor-commands-blocked": actual = what
				   did not pass */
	ODF_R_COMMAND_UNSUPPORTED, /* "command-unsupported": 05/20 */
	ODF_R_FIELD_REJECTED,	/* "field-rejected": 05/24 */
	ODF_R_UNIT_ATTENTION,	/* "unit-attention": 06/xx */
	ODF_R_BECOMING_READY,	/* "becoming-ready": 02/04 */
	ODF_R_NO_DISC,		/* "no-disc": 02/3A */
	ODF_R_WRITE_ACCESS,	/* "write-access-needed": EPERM on a command */
	ODF_R_DRIVE_GONE,	/* "drive-gone": ENODEV on a command */
	ODF_R_DRIVE_HUNG,	/* "drive-hung": the command timed out */
	ODF_R_PATH_FAILED,	/* "path-failed": host/driver error */
	ODF_R_DRIVE_BUSY,	/* "drive-busy": BUSY status */
	ODF_R_DRIVE_STUCK,	/* "drive-stuck": unit attentions that do
				   not stop */
	ODF_R_CHALLENGE_UNANSWERED, /* "challenge-unanswered": no seed of
				   the Pioneer generator fits the drive's
				   challenge (family) */
	/* what the drive's protocol offers (family) */
	ODF_R_MODEL_UNKNOWN,	/* "model-unknown": actual = the drive's ID */
	ODF_R_NO_DUMP,		/* "no-dump-protocol": no read-back */
	ODF_R_NO_FLASH_PROTOCOL,/* "no-flash-protocol" */
	ODF_R_NO_RECOVERY,	/* "no-recovery-protocol": boot mode */
	ODF_R_NO_BOOTCODE_PROTOCOL, /* "no-bootcode-protocol" */
	ODF_R_WRITE_REJECTED,	/* "write-rejected": the first write command
				   was refused, the drive is unchanged */
	/* compatibility and the drive's state */
	ODF_R_WRONG_MODEL,	/* "wrong-model": expected = the image's
				   target, actual = the drive's; a
				   crossflash may override it */
	ODF_R_INCOMPATIBLE,	/* "incompatible": expected/actual; never
				   overridden */
	ODF_R_RECOVER_FIRST,	/* "recover-first": safe or boot mode;
				   device */
	ODF_R_DISC_IN_TRAY,	/* "disc-in-tray": eject not asked */
	ODF_R_TRAY_LOCKED,	/* "tray-locked": the eject was prevented */
	ODF_R_EJECT_FAILED,	/* "eject-failed" */
	ODF_R_MOUNTED,		/* "mounted": path = the block device */
	ODF_R_ON_BATTERY,	/* "on-battery" */
	ODF_R_NOT_CONFIRMED,	/* "not-confirmed" */
	ODF_R_ASK_AGAIN,	/* "ask-again": what was confirmed is not
				   what would be written */
	ODF_R_DOWNGRADE_GUARDED, /* "downgrade-guarded": expected = the
				   file's version, actual = the drive's */
	ODF_R_BOOTCODE_NOT_CONFIRMED, /* "bootcode-not-confirmed" */
	/* backups and results */
	ODF_R_READS_DIFFER,	/* "reads-differ": two reads of the flash */
	ODF_R_BACKUP_FAILED,	/* "backup-failed" */
	ODF_R_BACKUP_NOT_VALID,	/* "backup-not-valid": path = the dump kept
				   as found, not a backup */
	ODF_R_DUMP_AS_FOUND,	/* "dump-as-found": path = the dump, not a
				   valid image */
	ODF_R_JOURNAL_UNWRITABLE, /* "journal-unwritable": path = the state
				   directory; the write-ahead journal
				   cannot be written */
	ODF_R_IDENTITY_ONLY,	/* "identity-only": actual = "VENDOR MODEL
				   REV", nothing else can be compared */
	ODF_R_FLASH_INCOMPLETE,	/* "flash-incomplete": device, path = the
				   file to recover with */
	ODF_R_FIRMWARE_ERASED,	/* "firmware-erased": after a bootcode
				   write; device */
	ODF_R_BOOTCODE_BROKEN,	/* "bootcode-broken": the boot block write
				   did not complete; device */
	ODF_R_MODE_KEPT,	/* "mode-kept": a read left the drive in its
				   vendor mode (safe), the firmware not
				   written; device */
	/* the state directory and the drive lock (issue #18) */
	ODF_R_STATE_LINK,	/* "state-link": path = a symbolic link (or
				   not a directory) where the state
				   directory or a file in it should be */
	ODF_R_LOCK_UNUSABLE,	/* "lock-unusable": path = the lock file */
	ODF_R_DRIVE_LOCKED,	/* "drive-locked": another odflash works on
				   the drive (busy) */
	ODF_R_READ_ONLY_HANDLE,	/* "read-only-handle": a caller's device
				   opened without ODF_OPEN_WRITE */
	ODF_R_NO_UNIT_DATA,	/* "no-unit-data": a crossflash that must keep
				   the drive's own data and cannot get it;
				   path = the backups folder searched,
				   actual = "VENDOR MODEL serial S" */
	ODF_R_COUNT
};

#define ODF_DIAG_MSG_MAX 512

struct odf_diag {
	int err;		/* enum odf_err, 0 when nothing failed */
	int os_errno;		/* errno, 0 if none */
	int sense_valid;	/* 1 when key/asc/ascq below are meaningful */
	uint8_t sense_key, asc, ascq;
	char step[64];		/* pipeline step or command, e.g. "erase block 3" */
	char msg[ODF_DIAG_MSG_MAX];	/* what went wrong, for a person */
	/* Advice worded by a front end or the emulator that filled this
	 * diag (odemu's own hints); libodf never fills it: it sets reason
	 * and the facts below, which a front end words. */
	char hint[ODF_DIAG_MSG_MAX];
	int reason;		/* enum odf_reason, ODF_R_NONE if none */
	/* The facts a reason names (enum odf_reason says which), "" or 0
	 * when not known: */
	int family;		/* enum odf_family (odf/ident.h) concerned */
	uint64_t size;		/* bytes measured: a file, a chunk */
	uint64_t limit;		/* bytes allowed or wanted: a path's cap */
	char expected[64];	/* what was wanted: a model, a target */
	char actual[64];	/* what was found */
	char device[256];	/* the device concerned */
	char path[1024];	/* the file concerned */
};

/* Short, stable name of an error ("sense", "no-device", ...). */
const char *odf_err_name(int err);
/* One generic sentence for an error code, used when diag->msg is empty. */
const char *odf_err_str(int err);
/* What an error means for the drive (ODF_CLASS_NONE for ODF_OK,
 * ODF_CLASS_INTERNAL for an unknown code). */
enum odf_err_class odf_err_class(int err);
/* Stable kebab-case name of a reason ("bridge-cap", "disc-in-tray"),
 * "none" for ODF_R_NONE and an unknown value. */
const char *odf_reason_name(int reason);

/* Fill diag (if not NULL): set err, format msg; returns err so callers can
 * write `return odf_diag_set(d, ODF_E_FILE, "cannot open %s", path);`.
 * Does not touch step/sense/reason/fact fields. */
int odf_diag_set(struct odf_diag *d, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Say why (if d is not NULL): set reason and clear the facts an earlier
 * reason left.  Then fill the facts the reason names: */
void odf_diag_reason(struct odf_diag *d, enum odf_reason reason);
void odf_diag_fact_path(struct odf_diag *d, const char *path);
void odf_diag_fact_device(struct odf_diag *d, const char *device);
void odf_diag_fact_bytes(struct odf_diag *d, uint64_t size, uint64_t limit);
void odf_diag_fact_model(struct odf_diag *d, const char *expected,
			 const char *actual);
void odf_diag_fact_family(struct odf_diag *d, int family);
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
