/* odflash: the safe flashing pipeline (odf/flash.h).  Each stage is its
 * own function and logs what it does.
 *
 * Public facts the stages rest on (research notes, "failure modes"):
 *  - every flasher requires "no medium" 02/3A/00 before flashing
 *    (binflash IsUnitReady loop, DVRFlash, pxfw);
 *  - transfer caps: Linux usb-storage 120 KiB / 32 KiB quirk
 *    (drivers/usb/storage/scsiglue.c); SG_IO larger than max_hw_sectors
 *    fails (sg_write_buffer man page): chunk to the path's cap;
 *  - bridges drop vendor opcodes (binflash README): one harmless vendor
 *    read before anything is written;
 *  - the last command of a commit may "fail" because the drive reboots
 *    (pxfw, coastermelt, redumper): treat as unknown, come back, re-ID;
 *  - drives re-enumerate after a flash (DVRFlash FIXME, OmniDrive #25):
 *    reopen by identity with bounded retries;
 *  - unit attentions 06/29, 06/3F/01, 06/3F/16 after a change
 *    (drivers/scsi/scsi_debug.c): drain them;
 *  - NEC tools use 300 s timeouts (binflash drive.cpp);
 *  - binflash tries to leave safe mode on every failure (globals sm0/sm1
 *    in necinterface.cpp FlashFirmware).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "flash/internal.h"
#include "odf/image.h"
#include "odf/scsi.h"
#include "odf/transport.h"
#include "odf/vendor.h"

enum op { OP_FLASH, OP_RECOVER, OP_VERIFY, OP_DUMP, OP_BOOTCODE };

static const char *const op_names[] = { "flash", "recover", "verify", "dump",
					"bootcode" };

struct run {
	const struct odf_flash_opts *o;
	struct odf_flash_result *r;
	enum op op;
	struct odf_image *img;
	size_t part;
	bool generic_img;	/* loaded as opaque SPC bytes */
	struct odf_diag img_err;	/* why detection failed */
	struct odf_dev *dev;
	const struct odf_driver *drv;
	struct odf_drive_ident id;
	struct odf_path_limits lim;
	struct odf_plan plan;
	uint8_t *boot;		/* OP_BOOTCODE: the bootcode file */
	size_t boot_len;
	unsigned fail_flags;	/* flags of the step that failed */
	char state_dir[4096];
	char sysfs[4096];
	const char *mounts;
};

/* ---- signals -------------------------------------------------------------- */
static volatile sig_atomic_t g_signal;
static const int held_signals[] = { SIGINT, SIGTERM, SIGHUP };
static struct sigaction g_old[3];

static void
on_signal(int sig)
{
	g_signal = sig;
}

static void
signals_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	g_signal = 0;
	for (size_t i = 0; i < 3; i++)
		sigaction(held_signals[i], &sa, &g_old[i]);
}

static void
signals_restore(void)
{
	for (size_t i = 0; i < 3; i++)
		sigaction(held_signals[i], &g_old[i], NULL);
}

static void
sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static void
notice(struct run *R, const char *msg)
{
	odf_log(ODF_LOG_WARN, "%s", msg);
	if (R->o->ui.notice)
		R->o->ui.notice(R->o->ui.notice_ctx, msg);
}

/* A rejection: the command failed with sense saying the drive refused it
 * before acting on it (odf_sense_class ODF_SC_REFUSED). Seen in the rig
 * (research rig.md; tests/rig): QEMU ide-cd answers READ/WRITE BUFFER
 * 05/20/00, QEMU scsi-cd with an empty tray 02/3A/00. */
static bool
rejected(const struct odf_diag *d)
{
	return d && d->err == ODF_E_SENSE &&
	       (odf_diag_sense_class(d) & ODF_SC_REFUSED);
}

/* ---- stage 1: the file ------------------------------------------------------ */
static int
stage_load_image(struct run *R, struct odf_diag *d)
{
	int rc;

	odf_log(ODF_LOG_INFO, "stage: read and check %s", R->o->file);
	odf_diag_clear(&R->img_err);
	rc = odf_image_load(R->o->file, ODF_FAMILY_UNKNOWN, &R->img,
			    &R->img_err);
	if (rc == ODF_E_FORMAT) {
		/* Not a known vendor format: it may still be an opaque image
		 * for the standard path; decided once the driver is known. */
		rc = odf_image_load(R->o->file, ODF_FAMILY_SPC, &R->img, d);
		if (rc < 0) {
			if (d)
				*d = R->img_err;
			return ODF_E_FORMAT;
		}
		R->generic_img = true;
		return 0;
	}
	if (rc < 0) {
		if (d)
			*d = R->img_err;
		return rc;
	}
	/* Every part must be sound; a bad checksum is refused here, before
	 * any device is opened. */
	for (size_t p = 0; p < odf_image_parts(R->img); p++) {
		rc = odf_image_validate(R->img, p, d);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- stage 2: open, identify ------------------------------------------------ */
static int
stage_open_identify(struct run *R, struct odf_diag *d)
{
	int rc;

	odf_log(ODF_LOG_INFO, "stage: open %s exclusively and identify",
		R->o->device);
	rc = odf_dev_open(R->o->device, ODF_OPEN_WRITE, &R->dev, d);
	if (rc < 0)
		return rc;
	rc = odf_identify_drive(R->dev, &R->id, &R->drv, d);
	if (rc < 0)
		return rc;
	R->r->before = R->id;
	if (!R->drv) {
		odf_diag_set(d, ODF_E_UNSUPPORTED, "%s %s %s: this drive does "
			     "not accept firmware over the standard path, and "
			     "no vendor driver knows it", R->id.vendor,
			     R->id.product, R->id.revision);
		odf_diag_hint(d, "nothing was changed; `odflash info %s` shows "
			      "what the drive reports", R->o->device);
		return ODF_E_UNSUPPORTED;
	}
	snprintf(R->r->driver, sizeof(R->r->driver), "%s", R->drv->name);
	return 0;
}

static int reopen(struct run *R, struct odf_diag *d);
static bool is_gone(int rc);

/* After a momentary safe-mode visit the drive restarts (leaving safe
 * mode reboots it) and may re-enumerate (protocols.md §4.5): find it
 * again by identity before going on. */
static int
still_there(struct run *R, struct odf_diag *d)
{
	struct odf_sense s;
	int rc;

	memset(&s, 0, sizeof(s));
	rc = odf_test_unit_ready(R->dev, &s, NULL);
	if (!is_gone(rc))
		return 0;
	odf_log(ODF_LOG_INFO, "the drive left the bus after leaving safe "
		"mode: finding it again");
	return reopen(R, d);
}

/* ---- stage 3: compatibility --------------------------------------------------- */
static int
stage_compat(struct run *R, bool read_bootcode, struct odf_diag *d)
{
	const struct odf_image_info *info;
	struct odf_compat c;
	int rc;

	odf_log(ODF_LOG_INFO, "stage: compatibility of image and drive");
	if (R->generic_img && R->drv->family != ODF_FAMILY_SPC) {
		if (d)
			*d = R->img_err;
		return ODF_E_FORMAT;
	}
	if (read_bootcode && R->drv->ops->read_bootcode &&
	    R->id.mode == ODF_MODE_NORMAL && !R->id.bootcode[0]) {
		/* Enter safe mode, INQUIRY, leave: changes nothing stored
		 * (binflash RetrieveBootcodeVersion does it before every
		 * flash and dump). */
		struct odf_diag bd;

		odf_diag_clear(&bd);
		if (R->drv->ops->read_bootcode(R->dev, &R->id, &bd) < 0)
			odf_log(ODF_LOG_WARN, "bootcode version not read: %s",
				bd.msg);
		R->r->before = R->id;
		rc = still_there(R, d);
		if (rc < 0)
			return rc;
	}
	/* A drive in boot mode may not tell its ID: the file names it. */
	R->part = odf_image_select(R->img, &R->id);
	info = odf_image_info(R->img, R->part);
	if (!info)
		return odf_diag_set(d, ODF_E_INTERNAL, "image has no part");
	if (!R->id.target[0] && R->op == OP_RECOVER) {
		snprintf(R->id.target, sizeof(R->id.target), "%s", info->target);
		odf_log(ODF_LOG_WARN, "the drive does not tell its ID: "
			"trusting the file's (%s)", info->target);
	}
	snprintf(R->r->sha256, sizeof(R->r->sha256), "%s",
		 odf_image_sha256(R->img, R->part));
	R->r->size = info->size;
	rc = odf_image_check_compat(info, &R->id, &c);
	if (rc == 0)
		return 0;
	for (size_t i = 0; i < c.n; i++) {
		if (!c.reason[i].overridable) {
			odf_diag_set(d, ODF_E_MISMATCH, "the image does not fit "
				     "this drive: %s", c.reason[i].text);
			odf_diag_hint(d, "use the firmware made for this drive "
				      "model; this cannot be overridden");
			return ODF_E_MISMATCH;
		}
	}
	if (!R->o->crossflash) {
		odf_diag_set(d, ODF_E_MISMATCH, "the image is for another "
			     "drive: %s", c.reason[0].text);
		odf_diag_hint(d, "if you really mean to crossflash, add "
			      "--crossflash: the drive then runs firmware made "
			      "for another model, which can make it misbehave, "
			      "lose its OEM identity or refuse later updates");
		return ODF_E_MISMATCH;
	}
	for (size_t i = 0; i < c.n; i++)
		odf_log(ODF_LOG_WARN, "--crossflash: %s; the drive will run "
			"firmware made for another model (risk: wrong "
			"write strategies, lost OEM identity)",
			c.reason[i].text);
	return 0;
}

/* ---- stage 4: preflight ----------------------------------------------------------- */
/* An MMC drive reports the disc it holds as a non-zero current profile in
 * GET CONFIGURATION's header (MMC-6 5.3.1, "Current Profile"; 0000h = no
 * medium).  A unit that does not answer GET CONFIGURATION at all (Linux
 * scsi_debug, research rig.md) has no disc to report. */
static bool
mmc_medium_present(struct odf_dev *dev)
{
	struct odf_config c;

	memset(&c, 0, sizeof(c));
	if (odf_get_configuration(dev, &c, NULL) != 0)
		return false;
	return c.current_profile != 0;
}

static int
check_no_disc(struct run *R, struct odf_diag *d)
{
	struct odf_sense s;
	struct odf_diag ej;
	bool locked = false;
	bool ejected;
	int rc;

	odf_drain_unit_attention(R->dev, 8, NULL);
	memset(&s, 0, sizeof(s));
	rc = odf_test_unit_ready(R->dev, &s, NULL);
	if (rc == ODF_E_SENSE && (odf_sense_class(&s) & ODF_SC_NO_MEDIUM))
		return 0;
	if (rc != 0 && rc != ODF_E_SENSE)
		return odf_diag_set(d, rc, "TEST UNIT READY failed: the drive "
				    "does not answer");
	odf_log(ODF_LOG_INFO, "a disc may be in the drive (TUR %s): "
		"ejecting", rc == 0 ? "GOOD" : "not 02/3A");
	odf_diag_clear(&ej);
	ejected = odf_start_stop(R->dev, false, true, &ej) == 0;
	if (ejected)
		sleep_ms(200);
	else
		locked = (odf_diag_sense_class(&ej) & ODF_SC_TRAY_LOCKED) != 0;
	odf_drain_unit_attention(R->dev, 8, NULL);
	memset(&s, 0, sizeof(s));
	rc = odf_test_unit_ready(R->dev, &s, NULL);
	if (rc == ODF_E_SENSE && (odf_sense_class(&s) & ODF_SC_NO_MEDIUM))
		return 0;
	if (ejected && rc == ODF_E_SENSE &&
	    (odf_sense_class(&s) & ODF_SC_STOPPED) &&
	    !mmc_medium_present(R->dev)) {
		/* The eject was taken and left the unit stopped, and it is
		 * not an MMC drive reporting a disc: it reads nothing during
		 * the flash, which is what "no disc" is for. */
		odf_log(ODF_LOG_WARN, "the drive stopped but does not report "
			"\"no medium\" (02/04/02, its medium cannot be "
			"unloaded): going on with the drive stopped");
		return 0;
	}
	if (locked) {
		/* 53/02 MEDIUM REMOVAL PREVENTED (or 53/00 load/eject
		 * failed): another program holds the tray, or it is stuck */
		odf_diag_set(d, ODF_E_SAFETY, "a disc is in the drive and the "
			     "tray will not open (%s); nothing was changed",
			     ej.ascq == 0x02 ? "medium removal is prevented, "
			     "e.g. by a program using the disc" :
			     "the eject failed");
		odf_diag_hint(d, "remove the disc (close the program that "
			      "locks the tray, or use the emergency eject "
			      "hole), close the tray and run the command "
			      "again");
	} else {
		odf_diag_set(d, ODF_E_SAFETY, "a disc is in the drive, or the "
			     "drive is busy, and it could not be ejected; "
			     "nothing was changed");
		odf_diag_hint(d, "remove the disc, close the tray and try "
			      "again");
	}
	odf_diag_set_sense(d, &s);
	return ODF_E_SAFETY;
}

static int
stage_preflight(struct run *R, struct odf_diag *d)
{
	const struct odf_dev_info *in = odf_dev_get_info(R->dev);
	int rc;

	odf_log(ODF_LOG_INFO, "stage: preflight (mode, mounts, power, disc)");
	if (R->op == OP_FLASH && R->id.mode != ODF_MODE_NORMAL) {
		odf_diag_set(d, ODF_E_SAFETY, "the drive is in %s mode, not "
			     "normal mode", odf_mode_name(R->id.mode));
		odf_diag_hint(d, "a drive stuck in safe or boot mode is "
			      "brought back with `odflash recover %s FILE`",
			      R->o->device);
		return ODF_E_SAFETY;
	}
	if (in && odf_preflight_mounted(R->mounts, in->block_path)) {
		odf_diag_set(d, ODF_E_SAFETY, "%s is mounted", in->block_path);
		odf_diag_hint(d, "unmount it first (umount %s)", in->block_path);
		return ODF_E_SAFETY;
	}
	rc = odf_preflight_power(R->sysfs, d);
	if (rc < 0)
		return rc;
	if (R->o->dry_run)
		return 0;	/* no START STOP UNIT in a dry run */
	rc = check_no_disc(R, d);
	if (rc < 0 && R->op == OP_RECOVER && R->id.mode != ODF_MODE_NORMAL) {
		odf_log(ODF_LOG_WARN, "drive in %s mode does not report "
			"\"no medium\"; going on with the recovery",
			odf_mode_name(R->id.mode));
		odf_diag_clear(d);
		return 0;
	}
	return rc;
}

/* ---- stage 5: path and plan ----------------------------------------------------- */
static int
stage_path_plan(struct run *R, struct odf_diag *d)
{
	const struct odf_dev_info *in = odf_dev_get_info(R->dev);
	int rc;

	odf_log(ODF_LOG_INFO, "stage: path check and plan");
	memset(&R->lim, 0, sizeof(R->lim));
	R->lim.max_transfer = in ? in->max_transfer : 0;
	R->lim.forced_chunk = R->o->chunk;
	if (R->drv->ops->path_probe) {
		rc = R->drv->ops->path_probe(R->dev, &R->id, &R->lim, d);
		if (rc < 0)
			return rc;
	}
	if (R->op == OP_RECOVER)
		rc = R->drv->ops->plan_recover(&R->id, R->img, R->part,
					       &R->lim, &R->plan, d);
	else
		rc = R->drv->ops->plan_flash(&R->id, R->img, R->part, &R->lim,
					     &R->plan, d);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < R->plan.n; i++) {
		const struct odf_plan_step *s = &R->plan.steps[i];

		if (s->kind == ODF_STEP_CMD && R->lim.max_transfer &&
		    s->data_len > R->lim.max_transfer)
			return odf_diag_set(d, ODF_E_PATH, "step %zu (%s) moves "
					    "%zu bytes, the path carries %zu",
					    i + 1, s->label, s->data_len,
					    R->lim.max_transfer);
	}
	rc = odf_plan_check(&R->plan, d);
	if (rc < 0)
		return rc;
	R->r->plan_steps = R->plan.n;
	odf_log(ODF_LOG_INFO, "plan: %s; %zu steps, %zu commands, chunk %zu "
		"bytes, path cap %zu", R->plan.what, R->plan.n,
		odf_plan_commands(&R->plan), R->plan.chunk,
		R->lim.max_transfer);
	return 0;
}

/* ---- stage 6: backup ---------------------------------------------------------------- */
static void
now_iso(char *buf, size_t len, bool compact)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, compact ? "%Y%m%dT%H%M%SZ" : "%Y-%m-%dT%H:%M:%SZ",
		 &tm);
}

static void
safe_name(char *dst, size_t len, const char *src)
{
	size_t o = 0;

	for (; *src && o + 1 < len; src++)
		dst[o++] = (char)((*src >= 'a' && *src <= 'z') ||
				  (*src >= 'A' && *src <= 'Z') ||
				  (*src >= '0' && *src <= '9') || *src == '.' ||
				  *src == '-' ? *src : '_');
	dst[o] = '\0';
}

static int
dump_twice(struct run *R, uint8_t **out, size_t *len, struct odf_diag *d)
{
	struct odf_dump_req req = { R->o->raw, R->o->ui.progress,
				    R->o->ui.progress_ctx };
	uint8_t *a = NULL, *b = NULL;
	size_t la = 0, lb = 0;
	int rc;

	rc = R->drv->ops->dump(R->dev, &R->id, &req, &a, &la, d);
	if (rc < 0)
		return rc;
	rc = R->drv->ops->dump(R->dev, &R->id, &req, &b, &lb, d);
	if (rc < 0) {
		free(a);
		return rc;
	}
	if (la != lb || memcmp(a, b, la) != 0) {
		free(a);
		free(b);
		odf_diag_set(d, ODF_E_BACKUP, "two reads of the firmware "
			     "differ: the path or the drive is unreliable");
		odf_diag_hint(d, "check the cable/bridge; nothing was changed");
		return ODF_E_BACKUP;
	}
	free(b);
	*out = a;
	*len = la;
	return 0;
}

static int
write_sidecar(const char *path, const struct run *R, const char *sha,
	      size_t len, struct odf_diag *d)
{
	char side[4200], t[32];
	struct json_object *o = json_object_new_object();
	const char *s;
	int rc;

	if (!o)
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	now_iso(t, sizeof(t), false);
	snprintf(side, sizeof(side), "%s.json", path);
	json_object_object_add(o, "device", json_object_new_string(R->o->device));
	json_object_object_add(o, "vendor", json_object_new_string(R->id.vendor));
	json_object_object_add(o, "model", json_object_new_string(R->id.product));
	json_object_object_add(o, "revision", json_object_new_string(R->id.revision));
	json_object_object_add(o, "serial", json_object_new_string(R->id.serial));
	json_object_object_add(o, "target", json_object_new_string(R->id.target));
	json_object_object_add(o, "bootcode", json_object_new_string(R->id.bootcode));
	json_object_object_add(o, "driver", json_object_new_string(R->drv->name));
	json_object_object_add(o, "sha256", json_object_new_string(sha));
	json_object_object_add(o, "size", json_object_new_int64((int64_t)len));
	json_object_object_add(o, "time", json_object_new_string(t));
	json_object_object_add(o, "format", json_object_new_string(
		R->o->raw ? "raw flash" : odf_family_name(R->drv->family)));
	s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY);
	rc = odfi_write_new_file(side, (const uint8_t *)s, strlen(s),
				 ODF_E_BACKUP, d);
	json_object_put(o);
	return rc;
}

static int
stage_backup(struct run *R, struct odf_diag *d)
{
	char path[4096], dir[4200], v[32], p[32], rv[16], t[32];
	uint8_t *buf = NULL;
	size_t len = 0;
	char sha[65];
	int rc;

	if (R->o->no_backup || R->op == OP_RECOVER) {
		odf_log(ODF_LOG_INFO, "stage: backup skipped (%s)",
			R->op == OP_RECOVER ? "recovery" : "--no-backup");
		return 0;
	}
	odf_log(ODF_LOG_INFO, "stage: backup (dump twice and compare)");
	if (!R->drv->ops->can_dump || !R->drv->ops->dump) {
		odf_diag_set(d, ODF_E_BACKUP, "the %s driver cannot read this "
			     "drive's firmware back", R->drv->name);
		odf_diag_hint(d, "add --no-backup to flash without a backup");
		return ODF_E_BACKUP;
	}
	if (R->o->backup_path) {
		snprintf(path, sizeof(path), "%s", R->o->backup_path);
		if (access(path, F_OK) == 0) {
			odf_diag_set(d, ODF_E_BACKUP, "backup file %s already "
				     "exists", path);
			odf_diag_hint(d, "odflash never overwrites a backup: "
				      "choose another --backup file");
			return ODF_E_BACKUP;
		}
	} else {
		snprintf(dir, sizeof(dir), "%s/backups", R->state_dir);
		rc = odfi_mkdirs(dir, d);
		if (rc < 0)
			return rc;
		safe_name(v, sizeof(v), R->id.vendor);
		safe_name(p, sizeof(p), R->id.product);
		safe_name(rv, sizeof(rv), R->id.revision);
		now_iso(t, sizeof(t), true);
		for (int k = 0; k < 100; k++) {
			int n = snprintf(path, sizeof(path), "%s/%s_%s_%s_%s%s%.0d%s",
					 dir, v, p, rv, t, k ? "-" : "", k,
					 R->drv->ops->dump_ext ?
					 R->drv->ops->dump_ext : ".bin");
			if (n < 0 || (size_t)n >= sizeof(path))
				return odf_diag_set(d, ODF_E_BACKUP,
						    "backup path too long");
			if (access(path, F_OK) != 0)
				break;
		}
	}
	rc = dump_twice(R, &buf, &len, d);
	if (rc == ODF_E_UNSUPPORTED &&
	    (odf_diag_sense_class(d) & ODF_SC_REFUSED)) {
		/* The drive refused the read itself (QEMU's drives answer
		 * READ BUFFER 05/20/00: research rig.md): the drive rejected
		 * a command and nothing was changed, exit 3 (cli.md). */
		char m[ODF_DIAG_MSG_MAX];

		snprintf(m, sizeof(m), "%s", d->msg);
		odf_diag_set(d, ODF_E_UNSUPPORTED, "no backup possible: %s",
			     m);
		odf_diag_hint(d, "nothing was changed; the drive does not give "
			      "its firmware back, so --no-backup is the only "
			      "way to try flashing it");
		return ODF_E_UNSUPPORTED;
	}
	if (rc < 0) {
		if (rc != ODF_E_BACKUP) {
			char m[ODF_DIAG_MSG_MAX];

			snprintf(m, sizeof(m), "%s", d ? d->msg : "");
			odf_diag_set(d, ODF_E_BACKUP, "backup failed: %s", m);
			odf_diag_hint(d, "nothing was changed; add --no-backup "
				      "only if you have another backup");
		}
		return ODF_E_BACKUP;
	}
	odf_sha256_hex(buf, len, sha);
	rc = odfi_write_new_file(path, buf, len, ODF_E_BACKUP, d);
	free(buf);
	if (rc < 0)
		return rc;
	rc = write_sidecar(path, R, sha, len, d);
	if (rc < 0)
		return rc;
	snprintf(R->r->backup, sizeof(R->r->backup), "%s", path);
	odf_log(ODF_LOG_INFO, "backup: %s (%zu bytes, sha256 %s)", path, len,
		sha);
	return 0;
}

/* ---- stage 7: confirm ------------------------------------------------------------ */
static int
stage_confirm(struct run *R, struct odf_diag *d)
{
	const struct odf_image_info *info = odf_image_info(R->img, R->part);
	char q[1024];
	int a;

	snprintf(q, sizeof(q), "%s %s %s %s (%s) with %s%s%s%s? A failure can "
		 "make the drive unusable.",
		 R->op == OP_RECOVER ? "Recover" : "Flash",
		 R->id.vendor, R->id.product, R->id.revision,
		 R->id.target[0] ? R->id.target : R->drv->name, R->o->file,
		 info && info->version[0] ? " (version " : "",
		 info && info->version[0] ? info->version : "",
		 info && info->version[0] ? ")" : "");
	a = R->o->ui.confirm ? R->o->ui.confirm(R->o->ui.confirm_ctx, q) : -1;
	if (a == 1)
		return 0;
	odf_diag_set(d, ODF_E_NOT_CONFIRMED, a < 0 ?
		     "not confirmed: no terminal to ask on" :
		     "not confirmed");
	odf_diag_hint(d, "nothing was changed; pass --yes to flash from a "
		      "script");
	return ODF_E_NOT_CONFIRMED;
}

/* ---- stage 8: run the plan ----------------------------------------------------------- */
static bool
is_gone(int rc)
{
	return rc == ODF_E_TRANSPORT || rc == ODF_E_IO ||
	       rc == ODF_E_TIMEOUT || rc == ODF_E_NODEV || rc == ODF_E_OPEN;
}

static int
reopen(struct run *R, struct odf_diag *d)
{
	unsigned tries = R->o->reopen_tries ? R->o->reopen_tries : 30;
	unsigned delay = R->o->reopen_delay_ms;
	const char *e = getenv("ODF_REOPEN_DELAY_MS");
	int rc = ODF_E_NODEV;

	if (!delay)
		delay = e ? (unsigned)strtoul(e, NULL, 10) : 500;
	if (R->dev) {
		odf_dev_close(R->dev);
		R->dev = NULL;
	}
	for (unsigned i = 0; i < tries; i++) {
		struct odf_drive_ident nid;
		const struct odf_driver *nd;

		rc = odf_dev_open(R->o->device, ODF_OPEN_WRITE, &R->dev, d);
		if (rc == 0) {
			/* The same drive?  Serial when known, else model. */
			if (odf_identify_drive(R->dev, &nid, &nd, NULL) == 0 &&
			    (!R->id.serial[0] || !nid.serial[0] ||
			     strcmp(nid.serial, R->id.serial) == 0) &&
			    strcmp(nid.product, R->id.product) == 0) {
				odf_log(ODF_LOG_INFO, "drive found again after "
					"%u tries", i + 1);
				return 0;
			}
			odf_dev_close(R->dev);
			R->dev = NULL;
			rc = ODF_E_NODEV;
		}
		sleep_ms(delay);
	}
	return odf_diag_set(d, rc, "the drive did not come back at %s after "
			    "%u tries", R->o->device, tries);
}

static int
exec_cmd_step(struct run *R, const struct odf_plan_step *s, struct odf_diag *d)
{
	struct odf_cmd c;
	uint8_t *inbuf = NULL;
	void *buf = NULL;
	int rc;

	if (s->dir == ODF_DIR_OUT) {
		buf = R->plan.data + s->data_off;
		if (s->fill) {
			/* computed data-out (odf/plan.h): from what the
			 * source step kept, just before sending; a failure
			 * sends nothing */
			const struct odf_plan_step *src =
				&R->plan.steps[s->src_step];

			rc = s->fill(R->plan.data + src->data_off,
				     src->data_len, buf, s->data_len, d);
			if (rc < 0)
				return rc;
		}
	} else if (s->dir == ODF_DIR_IN && (s->flags & ODF_STEP_KEEP_IN)) {
		buf = R->plan.data + s->data_off;
	} else if (s->dir == ODF_DIR_IN && s->data_len) {
		inbuf = malloc(s->data_len);
		if (!inbuf)
			return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
		buf = inbuf;
	}
	odf_cmd_init(&c, s->cdb, s->cdb_len, s->dir, buf,
		     s->dir == ODF_DIR_NONE ? 0 : s->data_len, s->timeout_ms);
	rc = odf_scsi_run(R->dev, &c, s->label, d);
	R->r->commands++;
	free(inbuf);
	return rc;
}

/* Pause between TEST UNIT READY polls while a drive commits: 250 ms, or
 * ODF_POLL_MS (1..1000; tests on emulated drives, which count polls, not
 * time). */
static unsigned
poll_interval_ms(void)
{
	const char *e = getenv("ODF_POLL_MS");
	char *end = NULL;
	unsigned long v;

	if (!e || !e[0])
		return 250;
	v = strtoul(e, &end, 10);
	return (end && *end) || v < 1 || v > 1000 ? 250 : (unsigned)v;
}

static int
poll_ready(struct run *R, unsigned budget_ms, unsigned flags,
	   struct odf_diag *d)
{
	unsigned waited = 0;

	for (;;) {
		struct odf_sense s;
		int rc;

		memset(&s, 0, sizeof(s));
		if (!R->dev) {
			rc = reopen(R, d);
			if (rc < 0)
				return rc;
		}
		rc = odf_test_unit_ready(R->dev, &s, NULL);
		if (rc == 0 || (rc == ODF_E_SENSE &&
				(odf_sense_class(&s) & (ODF_SC_NO_MEDIUM |
							ODF_SC_STOPPED |
							ODF_SC_UA)))) {
			odf_drain_unit_attention(R->dev, 16, NULL);
			return 0;
		}
		if (is_gone(rc)) {
			rc = reopen(R, d);
			if (rc < 0)
				return rc;
			continue;
		}
		if ((flags & ODF_STEP_FATAL_SENSE) && rc == ODF_E_SENSE &&
		    (odf_sense_class(&s) & ODF_SC_FATAL)) {
			char t[128];

			odf_diag_set(d, ODF_E_SENSE, "the drive reports that "
				     "the update failed: %s (%02X/%02X/%02X)",
				     odf_sense_text(s.key, s.asc, s.ascq, t,
						    sizeof(t)),
				     s.key, s.asc, s.ascq);
			odf_diag_set_sense(d, &s);
			return ODF_E_SENSE;
		}
		if (waited >= budget_ms)
			return odf_diag_set(d, ODF_E_TIMEOUT, "the drive did not "
					    "become ready in %u s",
					    budget_ms / 1000);
		sleep_ms(poll_interval_ms());
		waited += poll_interval_ms();
	}
}

/* ODF_WAIT_MAX_MS caps every fixed WAIT step of a plan (tests on
 * emulated drives, which need no pause); unset = the plan's waits. */
static unsigned
wait_cap(unsigned ms)
{
	const char *e = getenv("ODF_WAIT_MAX_MS");
	char *end = NULL;
	unsigned long v;

	if (!e || !e[0])
		return ms;
	v = strtoul(e, &end, 10);
	if (end && *end)
		return ms;
	return v < ms ? (unsigned)v : ms;
}

static int
run_step(struct run *R, const struct odf_plan_step *s, struct odf_diag *d)
{
	unsigned ua_left = 8;
	int rc = 0;

	for (unsigned attempt = 0; attempt <= s->retries; attempt++) {
		if (attempt) {
			odf_log(ODF_LOG_WARN, "%s failed (%s): retry %u of %u",
				s->label, d ? d->msg : "", attempt, s->retries);
			sleep_ms(s->wait_ms);
		}
		odf_diag_clear(d);
		switch (s->kind) {
		case ODF_STEP_CMD:
			rc = exec_cmd_step(R, s, d);
			while (rc == ODF_E_SENSE &&
			       (odf_diag_sense_class(d) & ODF_SC_UA) && ua_left--) {
				/* A UA answered instead of our command: the
				 * command was not executed; drain, resend. */
				odf_log(ODF_LOG_INFO, "%s: unit attention "
					"%02X/%02X/%02X, draining and resending",
					s->label, d->sense_key, d->asc, d->ascq);
				odf_drain_unit_attention(R->dev, 16, NULL);
				odf_diag_clear(d);
				rc = exec_cmd_step(R, s, d);
			}
			break;
		case ODF_STEP_WAIT:
			sleep_ms(wait_cap(s->wait_ms));
			rc = 0;
			break;
		case ODF_STEP_POLL_READY:
			rc = poll_ready(R, s->timeout_ms ? s->timeout_ms : 60000,
					s->flags, d);
			break;
		case ODF_STEP_REOPEN:
			rc = reopen(R, d);
			break;
		case ODF_STEP_DRAIN_UA:
			rc = odf_drain_unit_attention(R->dev, 16, d);
			break;
		}
		if (rc == 0)
			return 0;
		if (d)
			snprintf(d->step, sizeof(d->step), "%s", s->label);
		if ((s->flags & ODF_STEP_REJECT_SAFE) && rejected(d))
			return rc;	/* a rejection does not go away */
		if (is_gone(rc) && (s->flags & ODF_STEP_MAY_REBOOT))
			return rc;	/* handled by the caller: come back */
		if (is_gone(rc) && R->dev) {
			/* The drive may have dropped off the bus: find it
			 * again before retrying. */
			struct odf_diag rd;

			odf_diag_clear(&rd);
			if (reopen(R, &rd) < 0)
				return rc;
		}
	}
	return rc;
}

static void
describe_state(struct run *R)
{
	struct odf_inquiry inq;

	if (R->op == OP_BOOTCODE && (R->fail_flags & ODF_STEP_BOOTBLOCK)) {
		/* The boot block write itself did not complete: nothing the
		 * drive answers now can be trusted to mean it will start. */
		snprintf(R->r->state, sizeof(R->r->state), "the bootcode write "
			 "was interrupted: the boot block is probably "
			 "incomplete, and a drive whose bootcode is broken runs "
			 "no code at all, so no software (odflash, binflash, "
			 "the maker's flasher) can repair it, only an external "
			 "flash programmer");
		return;
	}
	if (R->op == OP_BOOTCODE) {
		snprintf(R->r->state, sizeof(R->r->state), "the old bootcode "
			 "is intact but the firmware area is erased or half "
			 "erased: the drive starts in safe/boot mode and needs "
			 "its firmware flashed");
		return;
	}

	if (!R->dev && reopen(R, NULL) < 0) {
		snprintf(R->r->state, sizeof(R->r->state), "the drive does not "
			 "answer (powered off or gone from the bus)");
		return;
	}
	if (odf_inquiry(R->dev, &inq, NULL) < 0) {
		snprintf(R->r->state, sizeof(R->r->state), "the drive does not "
			 "answer INQUIRY");
		return;
	}
	snprintf(R->r->state, sizeof(R->r->state), "the drive reports "
		 "revision '%s'%s", inq.revision, inq.revision[0] == '0' ?
		 " (safe/boot mode: its firmware is incomplete)" : "");
}

static void
run_cleanup(struct run *R, size_t from)
{
	for (size_t i = from; i < R->plan.n; i++) {
		const struct odf_plan_step *s = &R->plan.steps[i];
		struct odf_diag cd;

		if (!(s->flags & ODF_STEP_CLEANUP) || !R->dev)
			continue;
		odf_diag_clear(&cd);
		if (run_step(R, s, &cd) < 0)
			odf_log(ODF_LOG_WARN, "cleanup step '%s' failed: %s",
				s->label, cd.msg);
		else
			odf_log(ODF_LOG_INFO, "cleanup: %s", s->label);
	}
}

static int
stage_run_plan(struct run *R, struct odf_diag *d)
{
	size_t ponr = odf_plan_ponr(&R->plan);
	uint64_t total = odf_plan_total_weight(&R->plan), done = 0;
	bool unsafe = false, told = false, rebooted = false;
	int rc = 0;

	odf_log(ODF_LOG_INFO, "stage: run the plan (%zu steps; point of no "
		"return at step %zu)", R->plan.n, ponr + 1);
	for (size_t i = 0; i < R->plan.n; i++) {
		const struct odf_plan_step *s = &R->plan.steps[i];

		if (g_signal && !unsafe) {
			R->r->signal = g_signal;
			odf_log(ODF_LOG_WARN, "signal %d before the point of no "
				"return: stopping, nothing changed", g_signal);
			run_cleanup(R, i);
			odf_diag_set(d, ODF_E_INTERRUPTED, "stopped by signal %d "
				     "before anything was written; the drive "
				     "is unchanged", R->r->signal);
			return ODF_E_INTERRUPTED;
		}
		if (g_signal && unsafe && !told) {
			char m[300];

			R->r->signal = g_signal;
			snprintf(m, sizeof(m), "signal %d received while the "
				 "drive's flash is half written: odflash does not "
				 "stop now, because that would leave the drive "
				 "unbootable; it stops once the drive is safe",
				 g_signal);
			notice(R, m);
			told = true;
		}
		if (s->flags & ODF_STEP_FAILURE_ONLY)
			continue;	/* run by run_cleanup after a failure */
		if (i == ponr) {
			unsafe = true;
			R->r->changed = true;
		}
		odf_log(ODF_LOG_DEBUG, "step %zu/%zu: %s", i + 1, R->plan.n,
			s->label);
		rc = run_step(R, s, d);
		if (rc < 0 && (s->flags & ODF_STEP_MAY_REBOOT) && is_gone(rc)) {
			odf_log(ODF_LOG_WARN, "%s: %s -- the drive may be "
				"rebooting; checking", s->label,
				d ? d->msg : "");
			rebooted = true;
			if (s->flags & ODF_STEP_BOOTBLOCK)
				/* did the boot block write complete? only
				 * coming back and reading it will tell */
				R->fail_flags = s->flags;
			odf_diag_clear(d);
			rc = 0;
		}
		if (rc < 0 && i == ponr && (s->flags & ODF_STEP_REJECT_SAFE) &&
		    rejected(d)) {
			/* The first command that would change the drive was
			 * rejected before the drive acted on it. */
			char txt[96];

			unsafe = false;
			R->r->changed = false;
			run_cleanup(R, i + 1);
			odf_sense_text(d->sense_key, d->asc, d->ascq, txt,
				       sizeof(txt));
			odf_diag_set(d, ODF_E_UNSUPPORTED, "the drive rejected "
				     "the first write command, %s, with %s "
				     "(%02X/%02X/%02X): it does not take "
				     "firmware this way; nothing was written",
				     s->label, txt, d->sense_key, d->asc,
				     d->ascq);
			odf_diag_hint(d, "the drive is unchanged; it needs its "
				      "maker's own update tool, if any");
			return ODF_E_UNSUPPORTED;
		}
		if (rc < 0 && (s->flags & ODF_STEP_CLEANUP) && !unsafe) {
			odf_log(ODF_LOG_WARN, "%s failed: %s", s->label,
				d ? d->msg : "");
			rc = 0;
		}
		if (rc < 0) {
			char m[ODF_DIAG_MSG_MAX];

			R->fail_flags = s->flags;
			snprintf(m, sizeof(m), "%s", d ? d->msg : "");
			run_cleanup(R, i + 1);
			if (!unsafe)
				return rc;	/* nothing written: exit 3 */
			describe_state(R);
			odf_diag_set(d, ODF_E_FLASH, "flash failed at '%s' "
				     "after the drive was changed: %s",
				     s->label, m);
			return ODF_E_FLASH;
		}
		if (s->flags & ODF_STEP_SAFE)
			unsafe = false;
		done += s->weight;
		if (R->o->ui.progress)
			R->o->ui.progress(R->o->ui.progress_ctx, "flash", done,
					  total);
	}
	(void)rebooted;
	return 0;
}

/* ---- stage 9: come back ------------------------------------------------------------- */
static int
stage_come_back(struct run *R, struct odf_diag *d)
{
	odf_log(ODF_LOG_INFO, "stage: wait for the drive to come back");
	return poll_ready(R, 120000, 0, d);
}

/* ---- stage 10: verify ------------------------------------------------------------------ */
static const char *
image_revision(const struct odf_image_info *info)
{
	if (info->revision[0])
		return info->revision;
	return info->version;
}

static int
stage_verify(struct run *R, bool readback, struct odf_diag *d)
{
	const struct odf_image_info *info = odf_image_info(R->img, R->part);
	const char *want = image_revision(info);
	const struct odf_driver *nd = NULL;
	int rc;

	odf_log(ODF_LOG_INFO, "stage: verify (re-identify%s)",
		readback ? " and read back" : "");
	rc = odf_identify_drive(R->dev, &R->r->after, &nd, d);
	if (rc < 0)
		return rc;
	if (R->r->after.mode != ODF_MODE_NORMAL) {
		odf_diag_set(d, ODF_E_VERIFY, "the drive is in %s mode "
			     "(revision '%s'), not running the new firmware",
			     odf_mode_name(R->r->after.mode),
			     R->r->after.revision);
		return ODF_E_VERIFY;
	}
	if (want[0] && strncmp(R->r->after.revision, want, 4) != 0) {
		odf_diag_set(d, ODF_E_VERIFY, "the drive reports revision "
			     "'%s', the image is '%s'", R->r->after.revision,
			     want);
		return ODF_E_VERIFY;
	}
	if (!readback || !R->drv->ops->verify)
		return 0;
	{
		struct odf_drive_ident vid = R->r->after;

		rc = R->drv->ops->verify(R->dev, &vid, R->img, R->part, d);
	}
	if (rc == ODF_E_UNSUPPORTED) {
		odf_log(ODF_LOG_INFO, "the drive cannot be read back: verified "
			"by its identity only");
		odf_diag_clear(d);
		return 0;
	}
	if (rc == 0)
		R->r->readback = true;
	return rc;
}

/* ---- stage 11: journal ---------------------------------------------------------------- */
static void
stage_journal(struct run *R, const char *msg)
{
	struct odf_journal_entry e;
	struct odf_diag jd;

	if (R->o->dry_run || !R->state_dir[0])
		return;
	memset(&e, 0, sizeof(e));
	now_iso(e.time, sizeof(e.time), false);
	snprintf(e.op, sizeof(e.op), "%s", op_names[R->op]);
	snprintf(e.device, sizeof(e.device), "%s", R->o->device);
	snprintf(e.file, sizeof(e.file), "%s", R->op == OP_DUMP ? R->r->out :
		 (R->o->file ? R->o->file : ""));
	snprintf(e.sha256, sizeof(e.sha256), "%s", R->r->sha256);
	snprintf(e.result, sizeof(e.result), "%s", R->r->result);
	e.exit_code = R->r->exit_code;
	snprintf(e.vendor, sizeof(e.vendor), "%s", R->r->before.vendor);
	snprintf(e.product, sizeof(e.product), "%s", R->r->before.product);
	snprintf(e.rev_before, sizeof(e.rev_before), "%s", R->r->before.revision);
	snprintf(e.rev_after, sizeof(e.rev_after), "%s", R->r->after.revision);
	snprintf(e.target, sizeof(e.target), "%s", R->r->before.target);
	snprintf(e.serial, sizeof(e.serial), "%s", R->r->before.serial);
	snprintf(e.backup, sizeof(e.backup), "%s", R->r->backup);
	snprintf(e.message, sizeof(e.message), "%s", msg ? msg : "");
	odf_diag_clear(&jd);
	if (odf_journal_append(R->state_dir, &e, &jd) < 0)
		odf_log(ODF_LOG_WARN, "journal not written: %s", jd.msg);
}

/* ---- drivers of the stages -------------------------------------------------------------- */
static void
run_init(struct run *R, const struct odf_flash_opts *o,
	 struct odf_flash_result *r, enum op op)
{
	const char *e;

	memset(R, 0, sizeof(*R));
	memset(r, 0, sizeof(*r));
	R->o = o;
	R->r = r;
	R->op = op;
	r->result = "";
	if (o->state_dir)
		snprintf(R->state_dir, sizeof(R->state_dir), "%s", o->state_dir);
	else if (odf_state_dir(R->state_dir, sizeof(R->state_dir), NULL) < 0)
		R->state_dir[0] = '\0';
	e = getenv("ODF_SYSFS_ROOT");
	snprintf(R->sysfs, sizeof(R->sysfs), "%s", o->sysfs_root ? o->sysfs_root :
		 (e && e[0] ? e : "/sys"));
	R->mounts = o->mounts ? o->mounts : getenv("ODF_MOUNTS");
	odf_plan_init(&R->plan, NULL);
}

static int
run_finish(struct run *R, int rc, struct odf_diag *d)
{
	R->r->exit_code = odf_err_exit_code(rc);
	if (rc == 0 && !R->r->result[0])
		R->r->result = "ok";
	else if (rc == ODF_E_VERIFY)
		R->r->result = "verify-failed";
	else if (rc == ODF_E_FLASH)
		R->r->result = "failed";
	else if (rc == ODF_E_INTERRUPTED)
		R->r->result = "interrupted";
	else if (rc < 0)
		R->r->result = R->r->exit_code == ODF_EXIT_REFUSED ? "refused" :
			       R->r->exit_code == ODF_EXIT_REJECTED ? "rejected" :
			       "error";
	if (rc == ODF_E_FLASH && R->op == OP_BOOTCODE) {
		snprintf(R->r->recover_cmd, sizeof(R->r->recover_cmd),
			 "odflash recover %s FIRMWARE", R->o->device);
		if (R->fail_flags & ODF_STEP_BOOTBLOCK)
			odf_diag_hint(d, "%s. Power the drive off and on once: "
				      "if `odflash info %s` then answers in "
				      "safe mode (revision 0.NN), the bootcode "
				      "survived and `%s` (the firmware for that "
				      "bootcode) brings it back; if nothing "
				      "answers, the drive cannot be revived by "
				      "software", R->r->state, R->o->device,
				      R->r->recover_cmd);
		else
			odf_diag_hint(d, "%s. Do not power off or unplug the "
				      "drive; run: %s (FIRMWARE = the firmware "
				      "for the drive's bootcode)", R->r->state,
				      R->r->recover_cmd);
	} else if (rc == ODF_E_FLASH) {
		snprintf(R->r->recover_cmd, sizeof(R->r->recover_cmd),
			 "odflash recover %s %s", R->o->device,
			 R->o->file ? R->o->file : "FILE");
		odf_diag_hint(d, "%s. Do not power off or unplug the drive; "
			      "run: %s", R->r->state, R->r->recover_cmd);
	}
	if (R->dev || R->r->changed)
		stage_journal(R, rc < 0 && d ? d->msg : NULL);
	if (R->dev)
		odf_dev_close(R->dev);
	R->dev = NULL;
	odf_plan_release(&R->plan);
	odf_image_free(R->img);
	R->img = NULL;
	free(R->boot);
	R->boot = NULL;
	return rc;
}

/* --dry-run ends after planning: show the plan, send none of it. */
static int
dry_run_finish(struct run *R, struct odf_diag *d)
{
	if (R->o->ui.show_plan)
		R->o->ui.show_plan(R->o->ui.plan_ctx, &R->plan);
	R->r->result = "dry-run";
	return run_finish(R, 0, d);
}

/* Steps 8-9: run the plan, then wait for the drive to come back.  A
 * failure after the drive was changed becomes ODF_E_FLASH with the
 * drive's state described (what = "flash", "bootcode write"). */
static int
stage_write(struct run *R, const char *what, struct odf_diag *d)
{
	int rc = stage_run_plan(R, d);

	if (rc == 0)
		rc = stage_come_back(R, d);
	if (rc < 0 && rc != ODF_E_FLASH && rc != ODF_E_INTERRUPTED &&
	    R->r->changed) {
		char m[ODF_DIAG_MSG_MAX];

		snprintf(m, sizeof(m), "%s", d ? d->msg : "");
		describe_state(R);
		rc = odf_diag_set(d, ODF_E_FLASH, "the drive did not come "
				  "back after the %s: %s", what, m);
	}
	return rc;
}

static int
flash_or_recover(const struct odf_flash_opts *o, struct odf_flash_result *r,
		 struct odf_diag *d, enum op op)
{
	struct run R;
	int rc;

	run_init(&R, o, r, op);
	odf_diag_clear(d);
	rc = stage_load_image(&R, d);
	if (rc == 0)
		rc = stage_open_identify(&R, d);
	if (rc == 0)
		rc = stage_compat(&R, !o->dry_run, d);
	if (rc == 0)
		rc = stage_preflight(&R, d);
	if (rc == 0)
		rc = stage_path_plan(&R, d);
	if (rc == 0 && o->dry_run)
		return dry_run_finish(&R, d);
	if (rc == 0)
		rc = stage_backup(&R, d);
	if (rc == 0)
		rc = stage_confirm(&R, d);
	if (rc == 0) {
		signals_install();
		rc = stage_write(&R, "flash", d);
		if (rc == 0) {
			bool readback = !g_signal;

			if (g_signal)
				r->signal = g_signal;
			rc = stage_verify(&R, readback, d);
		}
		signals_restore();
	}
	return run_finish(&R, rc, d);
}

/* ---- bootcode (NEC) ---------------------------------------------------------- */
static int
load_boot_file(struct run *R, struct odf_diag *d)
{
	FILE *f;
	uint8_t *b;
	size_t n;

	odf_log(ODF_LOG_INFO, "stage: read the bootcode file %s", R->o->file);
	f = fopen(R->o->file, "rb");
	if (!f)
		return odf_diag_set(d, ODF_E_FILE, "cannot open %s: %s",
				    R->o->file, strerror(errno));
	b = malloc(0x10001);
	if (!b) {
		fclose(f);
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	}
	n = fread(b, 1, 0x10001, f);
	if (ferror(f)) {
		fclose(f);
		free(b);
		return odf_diag_set(d, ODF_E_FILE, "cannot read %s",
				    R->o->file);
	}
	fclose(f);
	/* binflash prepboot.cpp accepts exactly 0x4000 or 0x8000 bytes */
	if (n != 0x4000 && n != 0x8000) {
		free(b);
		odf_diag_hint(d, "a bootcode file is the raw boot block (16384 "
			      "or 32768 bytes, as binflash's bootdump saves "
			      "it); a firmware file is flashed without "
			      "--bootcode");
		return odf_diag_set(d, ODF_E_FORMAT, "%s holds %zu%s bytes: not "
				    "a bootcode", R->o->file, n,
				    n > 0x10000 ? " or more" : "");
	}
	R->boot = b;
	R->boot_len = n;
	odf_sha256_hex(b, n, R->r->sha256);
	R->r->size = n;
	return 0;
}

static int
boot_backup(struct run *R, struct odf_diag *d)
{
	char path[4096], dir[4200], v[32], p[32], t[32], sha[65];
	uint8_t *a = NULL, *b = NULL;
	size_t la = 0, lb = 0;
	int rc;

	if (R->o->no_backup) {
		odf_log(ODF_LOG_INFO, "stage: bootcode backup skipped "
			"(--no-backup)");
		return 0;
	}
	odf_log(ODF_LOG_INFO, "stage: back up the bootcode (read twice)");
	rc = R->drv->ops->read_boot(R->dev, &R->id, &a, &la, d);
	if (rc == 0)
		rc = R->drv->ops->read_boot(R->dev, &R->id, &b, &lb, d);
	if (rc == 0 && (la != lb || memcmp(a, b, la) != 0))
		rc = odf_diag_set(d, ODF_E_BACKUP, "two reads of the bootcode "
				  "differ: the path or the drive is unreliable");
	free(b);
	if (rc == 0)
		rc = still_there(R, d);
	if (rc < 0) {
		char m[ODF_DIAG_MSG_MAX];

		free(a);
		snprintf(m, sizeof(m), "%s", d ? d->msg : "");
		odf_diag_set(d, ODF_E_BACKUP, "bootcode backup failed: %s", m);
		odf_diag_hint(d, "nothing was changed");
		return ODF_E_BACKUP;
	}
	if (R->o->backup_path) {
		snprintf(path, sizeof(path), "%s", R->o->backup_path);
	} else {
		snprintf(dir, sizeof(dir), "%s/backups", R->state_dir);
		rc = odfi_mkdirs(dir, d);
		if (rc < 0) {
			free(a);
			return rc;
		}
		safe_name(v, sizeof(v), R->id.vendor);
		safe_name(p, sizeof(p), R->id.product);
		now_iso(t, sizeof(t), true);
		if (snprintf(path, sizeof(path), "%s/%s_%s_bootcode%s_%s.bin",
			     dir, v, p, R->id.bootcode, t) >= (int)sizeof(path)) {
			free(a);
			return odf_diag_set(d, ODF_E_BACKUP, "backup path too "
					    "long");
		}
	}
	odf_sha256_hex(a, la, sha);
	rc = odfi_write_new_file(path, a, la, ODF_E_BACKUP, d);
	free(a);
	if (rc < 0)
		return rc;
	snprintf(R->r->backup, sizeof(R->r->backup), "%s", path);
	odf_log(ODF_LOG_INFO, "bootcode backup: %s (%zu bytes, sha256 %s)",
		path, la, sha);
	return 0;
}

static int
boot_confirm(struct run *R, struct odf_diag *d)
{
	char q[1024], token[48];
	int a;

	snprintf(q, sizeof(q), "Write the BOOTCODE %s into %s %s (%s, bootcode "
		 "now %s)? This erases the drive's firmware too. If the write "
		 "is interrupted (power, cable, crash) the drive is dead for "
		 "good: no software can repair a broken bootcode.",
		 R->o->file, R->id.vendor, R->id.product, R->id.target,
		 R->id.bootcode[0] ? R->id.bootcode : "unknown");
	a = R->o->ui.confirm ? R->o->ui.confirm(R->o->ui.confirm_ctx, q) : -1;
	if (a == 1) {
		snprintf(token, sizeof(token), "BOOTCODE %s", R->id.target);
		snprintf(q, sizeof(q), "Second confirmation: type %s to write "
			 "the bootcode", token);
		a = R->o->ui.confirm_typed ?
			R->o->ui.confirm_typed(R->o->ui.typed_ctx, q, token) : -1;
		if (a == 1)
			return 0;
	}
	odf_diag_set(d, ODF_E_NOT_CONFIRMED, a < 0 ? "bootcode flash not "
		     "confirmed: no terminal to ask on" :
		     "bootcode flash not confirmed");
	odf_diag_hint(d, "nothing was changed; from a script a bootcode flash "
		      "needs both --yes and --yes-bootcode");
	return ODF_E_NOT_CONFIRMED;
}

static int
boot_verify(struct run *R, struct odf_diag *d)
{
	const struct odf_driver *nd = NULL;
	uint8_t *b = NULL;
	size_t n = 0;
	int rc;

	odf_log(ODF_LOG_INFO, "stage: verify the bootcode (read it back)");
	rc = odf_identify_drive(R->dev, &R->r->after, &nd, d);
	if (rc < 0)
		return rc;
	rc = R->drv->ops->read_boot(R->dev, &R->r->after, &b, &n, d);
	if (rc < 0)
		return rc;
	if (n != R->boot_len || memcmp(b, R->boot, n) != 0) {
		free(b);
		return odf_diag_set(d, ODF_E_VERIFY, "the drive's bootcode "
				    "differs from %s", R->o->file);
	}
	free(b);
	R->r->readback = true;
	/* ReadBoot left it in safe mode: re-read what it reports */
	(void)odf_identify_drive(R->dev, &R->r->after, &nd, NULL);
	snprintf(R->r->state, sizeof(R->r->state), "the drive runs its new "
		 "bootcode (revision '%s') and has no firmware: flash the "
		 "firmware made for this bootcode now", R->r->after.revision);
	snprintf(R->r->recover_cmd, sizeof(R->r->recover_cmd),
		 "odflash recover %s FIRMWARE", R->o->device);
	return 0;
}

static int
bootcode_flash(const struct odf_flash_opts *o, struct odf_flash_result *r,
	       struct odf_diag *d)
{
	struct run R;
	int rc;

	run_init(&R, o, r, OP_BOOTCODE);
	odf_diag_clear(d);
	rc = load_boot_file(&R, d);
	if (rc == 0)
		rc = stage_open_identify(&R, d);
	if (rc == 0 && (!R.drv->ops->plan_bootcode || !R.drv->ops->read_boot)) {
		rc = odf_diag_set(d, ODF_E_UNSUPPORTED, "the %s protocol has no "
				  "public bootcode flash", R.drv->name);
		odf_diag_hint(d, "nothing was changed; only NEC/Optiarc "
			      "drives (binflash Bootflash) are supported");
	}
	if (rc == 0 && R.id.mode == ODF_MODE_BOOT) {
		rc = odf_diag_set(d, ODF_E_SAFETY, "the drive is in boot mode "
				  "with its ID unreadable: its bootcode cannot "
				  "be matched");
		odf_diag_hint(d, "flash its firmware first: odflash recover %s "
			      "FIRMWARE", o->device);
	}
	if (rc == 0 && R.id.mode == ODF_MODE_NORMAL && !o->dry_run &&
	    R.drv->ops->read_bootcode) {
		struct odf_diag bd;

		odf_diag_clear(&bd);
		if (R.drv->ops->read_bootcode(R.dev, &R.id, &bd) < 0)
			odf_log(ODF_LOG_WARN, "bootcode version not read: %s",
				bd.msg);
		R.r->before = R.id;
		rc = still_there(&R, d);
	}
	if (rc == 0)
		rc = stage_preflight(&R, d);
	if (rc == 0) {
		const struct odf_dev_info *in = odf_dev_get_info(R.dev);

		memset(&R.lim, 0, sizeof(R.lim));
		R.lim.max_transfer = in ? in->max_transfer : 0;
		R.lim.forced_chunk = o->chunk;
		if (R.drv->ops->path_probe)
			rc = R.drv->ops->path_probe(R.dev, &R.id, &R.lim, d);
		if (rc == 0)
			rc = R.drv->ops->plan_bootcode(&R.id, R.boot, R.boot_len,
						       &R.lim, &R.plan, d);
		if (rc == 0)
			r->plan_steps = R.plan.n;
	}
	if (rc == 0 && o->dry_run)
		return dry_run_finish(&R, d);
	if (rc == 0)
		rc = boot_backup(&R, d);
	if (rc == 0)
		rc = boot_confirm(&R, d);
	if (rc == 0) {
		signals_install();
		rc = stage_write(&R, "bootcode write", d);
		if (rc == 0) {
			if (g_signal)
				r->signal = g_signal;
			rc = boot_verify(&R, d);
		}
		signals_restore();
	}
	return run_finish(&R, rc, d);
}

int
odf_flash(const struct odf_flash_opts *o, struct odf_flash_result *r,
	  struct odf_diag *d)
{
	if (o->bootcode)
		return bootcode_flash(o, r, d);
	return flash_or_recover(o, r, d, OP_FLASH);
}

int
odf_recover(const struct odf_flash_opts *o, struct odf_flash_result *r,
	    struct odf_diag *d)
{
	return flash_or_recover(o, r, d, OP_RECOVER);
}

int
odf_verify(const struct odf_flash_opts *o, struct odf_flash_result *r,
	   struct odf_diag *d)
{
	struct run R;
	int rc;

	run_init(&R, o, r, OP_VERIFY);
	odf_diag_clear(d);
	rc = stage_load_image(&R, d);
	if (rc == 0)
		rc = stage_open_identify(&R, d);
	if (rc == 0)
		rc = stage_compat(&R, false, d);
	if (rc == 0)
		rc = stage_verify(&R, true, d);
	return run_finish(&R, rc, d);
}

int
odf_dump(const struct odf_flash_opts *o, struct odf_flash_result *r,
	 struct odf_diag *d)
{
	struct run R;
	uint8_t *buf = NULL;
	size_t len = 0;
	int rc;

	run_init(&R, o, r, OP_DUMP);
	odf_diag_clear(d);
	if (o->out && access(o->out, F_OK) == 0) {
		odf_diag_set(d, ODF_E_USAGE, "%s already exists", o->out);
		odf_diag_hint(d, "odflash never overwrites a file: choose "
			      "another -o");
		r->exit_code = ODF_EXIT_USAGE;
		return ODF_E_USAGE;
	}
	rc = stage_open_identify(&R, d);
	if (rc == 0 && (!R.drv->ops->can_dump || !R.drv->ops->dump)) {
		/* Plextor (pxfw), PS3 (WRITE BUFFER only), MediaTek FF and
		 * 8051, Pioneer: the public protocols have no read-back
		 * command.  A driver may say why in its own words. */
		if (R.drv->ops->no_dump)
			rc = odf_diag_set(d, ODF_E_UNSUPPORTED, "%s %s: %s, so "
					  "there is no dump; nothing was read "
					  "or changed", R.id.vendor,
					  R.id.product, R.drv->ops->no_dump);
		else
			rc = odf_diag_set(d, ODF_E_UNSUPPORTED, "%s %s: the %s "
					  "protocol (%s) has no command to read "
					  "the firmware back, so there is no "
					  "dump; nothing was read or changed",
					  R.id.vendor, R.id.product,
					  odf_family_name(R.drv->family),
					  R.drv->description);
		odf_diag_hint(d, "keep the vendor's firmware file as your "
			      "backup; after a flash, `odflash verify %s FILE` "
			      "checks the drive by re-identifying it (model "
			      "and revision), and `odflash flash` needs "
			      "--no-backup for this drive", o->device);
		if (d)
			d->step[0] = '\0';	/* not a failed command */
	}
	if (rc == 0)
		rc = dump_twice(&R, &buf, &len, d);
	if (rc == 0) {
		char def[4096], v[32], p[32], rv[16];

		if (!o->out) {
			safe_name(v, sizeof(v), R.id.vendor);
			safe_name(p, sizeof(p), R.id.product);
			safe_name(rv, sizeof(rv), R.id.revision);
			snprintf(def, sizeof(def), "%s_%s_%s%s%s", v, p, rv,
				 o->raw ? "_raw" : "", R.drv->ops->dump_ext ?
				 R.drv->ops->dump_ext : ".bin");
		}
		snprintf(r->out, sizeof(r->out), "%s", o->out ? o->out : def);
		odf_sha256_hex(buf, len, r->sha256);
		r->size = len;
		rc = odfi_write_new_file(r->out, buf, len, ODF_E_FILE, d);
		if (rc == ODF_E_FILE && errno == EEXIST)
			rc = ODF_E_USAGE;
	}
	free(buf);
	return run_finish(&R, rc, d);
}
