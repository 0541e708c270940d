/* odflash: the one place that turns what the library reports (an error,
 * its reason code and facts: odf/error.h) into the command line's words
 * (the hint sentence with odflash's own flags and commands), and errors
 * into exit codes (README.md "Exit codes", docs/odflash.1 EXIT STATUS).
 * The library knows no flag and no command line
 * (tools/check-lib-words.sh). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "os_words.h"
#include "odf/flash.h"
#include "odf/ident.h"
#include "odf/scsi.h"

int
cli_exit_code(int err)
{
	switch (odf_err_class(err)) {
	case ODF_CLASS_NONE: return CLI_EXIT_OK;
	case ODF_CLASS_USAGE: return CLI_EXIT_USAGE;
	case ODF_CLASS_DEVICE: return CLI_EXIT_DEVICE;
	case ODF_CLASS_REJECTED: return CLI_EXIT_REJECTED;
	case ODF_CLASS_FILE: return CLI_EXIT_BAD_FILE;
	case ODF_CLASS_REFUSED: return CLI_EXIT_REFUSED;
	case ODF_CLASS_CHANGED: return CLI_EXIT_FLASH_FAILED;
	case ODF_CLASS_VERIFY: return CLI_EXIT_VERIFY;
	default: return CLI_EXIT_INTERNAL;
	}
}

struct json_object *
cli_error_json(const struct odf_diag *d, int err,
	       const struct odf_flash_result *r)
{
	struct json_object *e = json_object_new_object();
	char hint[2600], msg[ODF_DIAG_MSG_MAX + 160];
	const char *m;

	if (err == 0 && d != NULL)
		err = d->err;
	m = d != NULL && d->msg[0] ? d->msg : odf_err_str(err);
	if (d != NULL && d->step[0])
		snprintf(msg, sizeof(msg), "%s: %s", d->step, m);
	else
		snprintf(msg, sizeof(msg), "%s", m);
	cli_json_str(e, "code", cli_error_code(d, err));
	cli_json_str(e, "message", msg);
	cli_json_str(e, "hint", cli_hint_for(d, r, hint, sizeof(hint)));
	cli_json_int(e, "exit_code", cli_exit_code(err));
	cli_json_bool(e, "changed", r != NULL && r->changed);
	cli_json_str(e, "state", r != NULL ? r->state : NULL);
	if (d != NULL && d->sense_valid) {
		char txt[128], sense[160];

		odf_sense_text(d->sense_key, d->asc, d->ascq, txt, sizeof(txt));
		snprintf(sense, sizeof(sense), "%02X/%02X/%02X %s",
			 d->sense_key, d->asc, d->ascq, txt);
		cli_json_str(e, "sense", sense);
	}
	return e;
}

const char *
cli_error_code(const struct odf_diag *d, int err)
{
	if (d != NULL && d->reason != ODF_R_NONE)
		return odf_reason_name(d->reason);
	return odf_err_name(err);
}

static const char *
or_word(const char *s, const char *word)
{
	return s != NULL && s[0] != '\0' ? s : word;
}

/* "odflash recover DEV FILE"; "FIRMWARE" when the file is not known;
 * " --crossflash" when the file is another model's; no file when only
 * the vendor mode is to be left (file NULL: odf_session_leave_mode). */
static const char *
recover_line(const char *device, const char *file, bool cross, char *buf,
	     size_t len)
{
	if (file == NULL)
		snprintf(buf, len, "odflash recover %s",
			 or_word(device, "DEVICE"));
	else
		snprintf(buf, len, "odflash recover %s %s%s",
			 or_word(device, "DEVICE"), or_word(file, "FIRMWARE"),
			 cross ? " --crossflash" : "");
	return buf;
}

const char *
cli_recover_cmd(const struct odf_flash_result *r, char *buf, size_t len)
{
	if (len > 0)
		buf[0] = '\0';
	if (r == NULL || !r->needs_recover)
		return buf;
	return recover_line(r->device, r->recover_leave ? NULL :
			    r->recover_file, r->recover_crossflash, buf, len);
}

/* "H:C:T:L" as lsscsi prints it */
static bool
is_hctl(const char *s)
{
	unsigned h, c, t, l;
	char end;

	return sscanf(s, "%u:%u:%u:%u%c", &h, &c, &t, &l, &end) == 4;
}

static const char *
say(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static const char *
say(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return buf;
}

/* The sentences that need the command the user ran. */
static bool
in_cmd(const char *cmd)
{
	return cli_g.cmd != NULL && strcmp(cli_g.cmd, cmd) == 0;
}

/* What to do after a failed write: the drive's state (r) first. */
static const char *
after_write(const struct odf_diag *d, const struct odf_flash_result *r,
	    char *buf, size_t len)
{
	const char *dev = or_word(d->device, "DEVICE");
	char cmd[1400], st[600] = "";

	/* mode-kept: nothing written, the mode only to be left, no file */
	recover_line(d->device, d->reason == ODF_R_MODE_KEPT ? NULL : d->path,
		     r != NULL && r->recover_crossflash, cmd, sizeof(cmd));
	if (r != NULL && r->state[0] != '\0')
		snprintf(st, sizeof(st), "%s. ", r->state);
	switch (d->reason) {
	case ODF_R_BOOTCODE_BROKEN:
		return say(buf, len, "%sPower the drive off and on once: if "
			   "`odflash info %s` then answers in safe mode "
			   "(revision 0.NN), the bootcode survived and `%s` "
			   "(the firmware for that bootcode) brings it back; if "
			   "nothing answers, the drive cannot be revived by "
			   "software", st, dev, cmd);
	case ODF_R_FIRMWARE_ERASED:
		return say(buf, len, "%sDo not power off or unplug the drive; "
			   "run: %s (FIRMWARE = the firmware for the drive's "
			   "bootcode)", st, cmd);
	case ODF_R_MODE_KEPT:
		return say(buf, len, "%sIts firmware was not written; run: %s "
			   "(it leaves the mode)", st, cmd);
	default:
		return say(buf, len, "%sDo not power off or unplug the drive; "
			   "run: %s", st, cmd);
	}
}

/* The reasons whose advice needs no fact. */
static const char *const plain[ODF_R_COUNT] = {
	[ODF_R_ASK_AGAIN] =
		"run the command again: the question then names that part",
	[ODF_R_MODEL_UNKNOWN] =
		"nothing was changed; docs/supported-drives.md lists the "
		"drives odflash knows",
	[ODF_R_FILE_MISSING] =
		"check the file name and directory",
	[ODF_R_FILE_PERMISSION] =
		"check the file's permissions (chmod u+r)",
	[ODF_R_FILE_IS_DIR] =
		"give the firmware file inside it",
	[ODF_R_FILE_EMPTY] =
		"the file is empty: download it again",
	[ODF_R_FILE_TRUNCATED] =
		"the download is incomplete: get the file "
		"again",
	[ODF_R_CHECKSUM_BAD] =
		"the file is damaged or was patched without "
		"fixing its checksum; download it again",
	[ODF_R_PACKED_UPDATER] =
		"extract the firmware with the vendor's "
		"tool, or give the .bin file itself",
	[ODF_R_NOT_BOOTCODE] =
		"a bootcode file is the raw boot block "
		"(16384 or 32768 bytes, as binflash's bootdump saves "
		"it); a firmware file is flashed without --bootcode",
	[ODF_R_KERNEL_PART] =
		"flash the normal part (\"Normal\" at "
		"0x110); the kernel part rarely changes",
	[ODF_R_BACKUP_EXISTS] =
		"odflash never overwrites a backup: choose "
		"another --backup file",
	[ODF_R_NOT_A_DRIVE] = OS_HINT_NOT_A_DRIVE,
	[ODF_R_DEVICE_PERMISSION] = OS_HINT_PERMISSION,
	[ODF_R_DEVICE_BUSY] = OS_HINT_BUSY,
	[ODF_R_SG_MISSING] =
		"load the sg driver (sudo modprobe sg) and "
		"try again",
	[ODF_R_BACKEND_MISSING] =
		"use odflash or odemu, which include it",
	[ODF_R_CHUNK_REFUSED] =
		"leave --chunk out: odflash then sends "
		"what this drive takes",
	[ODF_R_COMMAND_UNSUPPORTED] =
		"the drive (or a USB bridge in front of it) "
		"does not support this command",
	[ODF_R_FIELD_REJECTED] =
		"the drive rejected a field of the command; "
		"it may need another protocol",
	[ODF_R_UNIT_ATTENTION] =
		"the drive was reset or its state changed; "
		"trying again usually works",
	[ODF_R_BECOMING_READY] =
		"the drive is becoming ready; wait a few "
		"seconds and try again",
	[ODF_R_NO_DISC] =
		"there is no disc in the drive",
	[ODF_R_WRITE_ACCESS] =
		"the kernel allows this command only on a "
		"device opened for writing, as root or a member of "
		"the cdrom group",
	[ODF_R_DRIVE_GONE] =
		"the drive disappeared; check its cable or "
		"power and run `odflash scan`",
	[ODF_R_DRIVE_HUNG] =
		"the drive may be busy or hung; power-cycle "
		"it if it stays unresponsive",
	[ODF_R_PATH_FAILED] =
		"check the cable or USB bridge; some "
		"bridges do not pass every command",
	[ODF_R_DRIVE_BUSY] =
		"the drive is busy; wait and try again",
	[ODF_R_DRIVE_STUCK] =
		"power-cycle the drive and try again",
	[ODF_R_CHALLENGE_UNANSWERED] =
		"no 16-bit seed of DVRFlash's generator "
		"gives the first 4 bytes the drive sent (READ BUFFER "
		"01/F2): power-cycle the drive and try again",
	[ODF_R_NO_FLASH_PROTOCOL] =
		"use the drive maker's own updater, or "
		"DosFlash/MTKFlash with the drive on an IDE or "
		"legacy-mode (not AHCI) SATA controller -- not "
		"through USB; `odflash identify FILE` checks and "
		"rebanks the files",
	[ODF_R_NO_BOOTCODE_PROTOCOL] =
		"nothing was changed; only NEC/Optiarc "
		"drives (binflash Bootflash) are supported",
	[ODF_R_WRITE_REJECTED] =
		"the drive is unchanged; it needs its "
		"maker's own update tool, if any",
	[ODF_R_WRONG_MODEL] =
		"if you really mean to crossflash, add "
		"--crossflash: the drive then runs firmware made for "
		"another model, which can make it misbehave, lose "
		"its OEM identity or refuse later updates",
	[ODF_R_INCOMPATIBLE] =
		"use the firmware made for this drive "
		"model; this cannot be overridden",
	[ODF_R_DISC_IN_TRAY] =
		"remove the disc and close the tray, or "
		"pass --eject to let odflash open the tray",
	[ODF_R_TRAY_LOCKED] =
		"remove the disc (close the program that "
		"locks the tray, or use the emergency eject hole), "
		"close the tray and run the command again",
	[ODF_R_EJECT_FAILED] =
		"remove the disc, close the tray and try "
		"again",
	[ODF_R_ON_BATTERY] =
		"connect the mains adapter and try again",
	[ODF_R_BOOTCODE_NOT_CONFIRMED] =
		"nothing was changed; from a script a "
		"bootcode flash needs both --yes and --yes-bootcode",
	[ODF_R_READS_DIFFER] =
		"check the cable/bridge; nothing was "
		"changed",
	[ODF_R_BACKUP_FAILED] =
		"nothing was changed; add --no-backup only "
		"if you have another backup",
	[ODF_R_BACKUP_NOT_VALID] =
		"nothing was changed; the drive or the path returns wrong "
		"data: check the connection, or add --no-backup only if you "
		"have another backup",
	[ODF_R_JOURNAL_UNWRITABLE] =
		"nothing was changed; the journal records a flash before it "
		"starts so that an interrupted one can be recovered: make the "
		"state directory writable",
	[ODF_R_STATE_LINK] =
		"remove it (odflash made no such link; what it points to was "
		"not touched) or set ODFLASH_STATE_DIR to a directory of "
		"your own",
	[ODF_R_LOCK_UNUSABLE] =
		"nothing was changed; the state directory must be the "
		"user's own",
	[ODF_R_DRIVE_LOCKED] =
		"nothing was changed (the drive was at most identified); wait "
		"for the other run to finish: two writers on one drive "
		"would interleave their commands",
	[ODF_R_READ_ONLY_HANDLE] =
		"open it with ODF_OPEN_WRITE to write to it",
	[ODF_R_NO_UNIT_DATA] =
		"nothing was changed; put a full copy of this drive's "
		"flash (read with a flash programmer) in that backups "
		"folder as NAME.bin with a sidecar NAME.bin.json giving "
		"its vendor, model, serial, sha256 and \"valid\": true "
		"(odflash(1), CROSSFLASH), then run the crossflash again",
};

const char *
cli_hint_for(const struct odf_diag *d, const struct odf_flash_result *r,
	     char *buf, size_t len)
{
	const char *dev;

	if (len > 0)
		buf[0] = '\0';
	if (d == NULL)
		return buf;
	dev = or_word(d->device, "DEVICE");
	if (d->reason > 0 && d->reason < ODF_R_COUNT && plain[d->reason])
		return say(buf, len, "%s", plain[d->reason]);
	switch ((enum odf_reason)d->reason) {
	/* firmware files */
	case ODF_R_MAYBE_TRUNCATED:
		return say(buf, len, "if this should be a %s image, %llu bytes "
			   "are missing: those are %llu bytes and identify "
			   "themselves in their last bytes",
			   or_word(d->expected, "known"),
			   (unsigned long long)(d->limit - d->size),
			   (unsigned long long)d->limit);
	case ODF_R_FILE_EXISTS:
		return say(buf, len, "odflash never overwrites a file: choose "
			   "another %s", in_cmd("dump") ? "-o" : "file name");
	/* devices */
	case ODF_R_NO_SUCH_DEVICE:
		return say(buf, len, "run `odflash scan`%s to list drives",
			   is_hctl(d->device) ? " (or lsscsi)" : "");
	case ODF_R_NO_DRIVER:
		return say(buf, len, "nothing was changed; `odflash info %s` "
			   "shows what the drive reports", dev);
	/* commands and the path */
	case ODF_R_BRIDGE_CAP:
		if (d->size == 0)
			return say(buf, len, "use smaller transfers (--chunk "
				   "4096) or connect the drive directly (SATA "
				   "instead of a USB bridge)");
		return say(buf, len, "this drive's protocol cannot send less "
			   "than %llu bytes per command: connect the drive "
			   "directly (SATA/IDE) or through a bridge that "
			   "carries %llu bytes", (unsigned long long)d->size,
			   (unsigned long long)d->size);
	case ODF_R_VENDOR_BLOCKED:
		return say(buf, len, "the path to the drive (USB/FireWire "
			   "bridge?) does not pass %s; connect the drive "
			   "directly", or_word(d->actual, "vendor commands"));
	/* what the protocol offers */
	case ODF_R_NO_DUMP:
		if (in_cmd("dump"))
			return say(buf, len, "keep the vendor's firmware file "
				   "as your backup; after a flash, `odflash "
				   "verify %s FILE` checks the drive by "
				   "re-identifying it (model and revision), and "
				   "`odflash flash` needs --no-backup for this "
				   "drive", dev);
		return say(buf, len, "nothing was changed; the drive does not "
			   "give its firmware back, so --no-backup is the only "
			   "way to try flashing it");
	case ODF_R_DUMP_AS_FOUND:
		return say(buf, len, "do not use it as a backup; it shows what "
			   "the drive holds now (%s.json says so too)",
			   or_word(d->path, "its sidecar"));
	case ODF_R_NO_RECOVERY:
		if (d->family == ODF_FAMILY_PS3)
			return say(buf, len, "a service centre or a "
				   "replacement board is the remaining option");
		return say(buf, len, "the drive maker's own updater is the "
			   "only option");
	/* compatibility and the drive's state */
	case ODF_R_RECOVER_FIRST:
		return say(buf, len, "a drive stuck in safe or boot mode is "
			   "brought back with `odflash recover %s FILE`", dev);
	case ODF_R_MOUNTED:
		return say(buf, len, "unmount it first (umount %s)",
			   or_word(d->path, dev));
	case ODF_R_DOWNGRADE_GUARDED:
		return say(buf, len, "if you mean to go back to %s, add "
			   "--allow-downgrade: odflash then answers the drive's "
			   "protection as DVRFlash does",
			   or_word(d->expected, "that version"));
	case ODF_R_NOT_CONFIRMED:
		return say(buf, len, "nothing was changed; add --yes to %s from "
			   "a script", in_cmd("recover") ? "recover" :
			   in_cmd("flash") ? "flash" : "confirm");
	/* backups and results */
	case ODF_R_IDENTITY_ONLY:
		return say(buf, len, "the drive's identity (%s) is all that can "
			   "be checked", or_word(d->actual, "model and revision"));
	case ODF_R_MODE_KEPT:
	case ODF_R_FLASH_INCOMPLETE:
	case ODF_R_FIRMWARE_ERASED:
	case ODF_R_BOOTCODE_BROKEN:
		return after_write(d, r, buf, len);
	default:
		/* no reason: advice the emulator worded, or none */
		return say(buf, len, "%s", d->hint);
	}
}
