/* odflash session: the backup (dump twice and compare, never overwrite,
 * JSON sidecar), the bootcode backup, and the dump job. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "odf/image.h"
#include "odf/scsi.h"
#include "odf/transport.h"
#include "odf/vendor.h"
#include "session/session_int.h"
#include "util/platform.h"

/* ---- stage 6: backup ---------------------------------------------------------------- */
void
odfi_now_iso(char *buf, size_t len, bool compact)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, compact ? "%Y%m%dT%H%M%SZ" : "%Y-%m-%dT%H:%M:%SZ",
		 &tm);
}

/* A file name part from a device's string: only [A-Za-z0-9.-] pass,
 * every other byte (a '/', a control character, a space, a leading '.')
 * becomes '_', and the caller's buffer bounds the length, so a model
 * "../../etc/x" or a 300-byte string stays one name inside the backups
 * folder (issue #18). */
void
odfi_safe_name(char *dst, size_t len, const char *src)
{
	size_t o = 0;

	/* a leading '.' would make a hidden file (or "..") */
	for (; *src && o + 1 < len; src++) {
		bool keep = (*src >= 'a' && *src <= 'z') ||
			    (*src >= 'A' && *src <= 'Z') ||
			    (*src >= '0' && *src <= '9') ||
			    (*src == '.' && o > 0) || *src == '-';

		dst[o++] = keep ? *src : '_';
	}
	dst[o] = '\0';
}

/* Bytes per read: --chunk and the path's cap, the smaller (0 = none). */
size_t
odfi_read_cap(const struct odfi_session *R)
{
	const struct odf_dev_info *in = R->dev ? odf_dev_get_info(R->dev) :
					NULL;
	size_t c = R->o->chunk;

	if (in && in->max_transfer && (!c || in->max_transfer < c))
		c = in->max_transfer;
	return c;
}

int
odfi_dump_twice(struct odfi_session *R, uint8_t **out, size_t *len, struct odf_diag *d)
{
	struct odf_dump_req req = { R->o->raw, odfi_progress, R,
				    odfi_read_cap(R) };
	uint8_t *a = NULL, *b = NULL;
	size_t la = 0, lb = 0;
	int rc;

	rc = odfi_read_dump(R, &req, &a, &la, d);
	if (rc == 0)
		rc = odfi_check_cancel(R, d);
	if (rc < 0) {
		free(a);
		return rc;
	}
	rc = odfi_read_dump(R, &req, &b, &lb, d);
	if (rc < 0) {
		free(a);
		return rc;
	}
	if (la != lb || memcmp(a, b, la) != 0) {
		free(a);
		free(b);
		odf_diag_set(d, ODF_E_BACKUP, "two reads of the firmware "
			     "differ: the path or the drive is unreliable");
		odf_diag_reason(d, ODF_R_READS_DIFFER);
		return ODF_E_BACKUP;
	}
	free(b);
	*out = a;
	*len = la;
	return 0;
}

/* A dump is a backup only when it parses as the family's file and its
 * checksum is right (odf_image_parse + odf_image_validate), and the drive
 * ran its firmware (normal mode): a drive in safe/boot mode gives what is
 * left of a half-written flash.  true = valid; else why[] says why not.  A
 * --raw dump is the flash as it lies, not a file: not checked. */
static bool dump_is_valid_bytes(struct odfi_session *R, const uint8_t *buf,
				size_t len, char *why, size_t wlen);

static bool
dump_is_valid(struct odfi_session *R, const uint8_t *buf, size_t len,
	      char *why, size_t wlen)
{

	why[0] = '\0';
	if (R->id.mode != ODF_MODE_NORMAL) {
		size_t l;

		snprintf(why, wlen, "the drive is in %s mode (revision '%s'): "
			 "its flash holds what a failed or interrupted flash "
			 "left", odf_mode_name(R->id.mode), R->id.revision);
		l = strlen(why);
		/* and what the bytes say, when they parse at all */
		if (!R->o->raw && wlen > l + 2 &&
		    !dump_is_valid_bytes(R, buf, len, why + l + 2, wlen - l - 2))
			memcpy(why + l, "; ", 2);
		else
			why[l] = '\0';
		R->r->dump_check = "not-valid";
		return false;
	}
	if (R->o->raw) {
		R->r->dump_check = "raw";
		return true;
	}
	return dump_is_valid_bytes(R, buf, len, why, wlen);
}

static bool
dump_is_valid_bytes(struct odfi_session *R, const uint8_t *buf, size_t len,
		    char *why, size_t wlen)
{
	struct odf_image *img = NULL;
	struct odf_diag pd;
	bool ok = true;

	odf_diag_clear(&pd);
	R->r->dump_check = "not-valid";
	if (odf_image_parse(buf, len, "the dump", R->drv->family, &img,
			    &pd) < 0) {
		snprintf(why, wlen, "it does not parse as a %s file: %s",
			 odf_family_name(R->drv->family), pd.msg);
		return false;
	}
	R->r->dump_check = "checksum-good";
	for (size_t p = 0; ok && p < odf_image_parts(img); p++) {
		if (odf_image_validate(img, p, &pd) < 0) {
			snprintf(why, wlen, "%s", pd.msg);
			ok = false;
		}
		if (!odf_image_info(img, p)->checksum.present)
			R->r->dump_check = "no-checksum";
	}
	odf_image_free(img);
	return ok;
}

/* path + "_AS-FOUND_not-a-valid-image" before its extension. */
static void
as_found_name(char *path, size_t len)
{
	static const char tag[] = "_AS-FOUND_not-a-valid-image";
	char *slash = odfi_last_sep(path), *dot = strrchr(path, '.');
	char ext[64] = "";

	if (!dot || (slash && dot < slash) || dot == path ||
	    strlen(dot) >= sizeof(ext))
		dot = path + strlen(path);
	snprintf(ext, sizeof(ext), "%s", dot);
	*dot = '\0';
	if (strlen(path) + sizeof(tag) + strlen(ext) <= len)
		snprintf(dot, len - (size_t)(dot - path), "%s%s", tag, ext);
	else
		snprintf(dot, len - (size_t)(dot - path), "%s", ext);
}

static int
write_sidecar(const char *path, const struct odfi_session *R, const char *sha,
	      size_t len, const char *invalid, struct odf_diag *d)
{
	char side[4200], t[32];
	struct json_object *o = json_object_new_object();
	const char *s;
	int rc;

	if (!o)
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	odfi_now_iso(t, sizeof(t), false);
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
	json_object_object_add(o, "mode", json_object_new_string(
		odf_mode_name(R->id.mode)));
	/* a backup only when checked (dump_is_valid) */
	json_object_object_add(o, "valid", json_object_new_boolean(!invalid));
	json_object_object_add(o, "note", json_object_new_string(
		invalid ? "as-found, not a valid image" : R->o->raw ?
		"raw flash as read twice, identical" :
		strcmp(R->r->dump_check, "no-checksum") == 0 ?
		"parsed as the family's file (the format has no checksum)" :
		"parsed and checksum checked: a valid backup"));
	json_object_object_add(o, "check", json_object_new_string(
		R->r->dump_check ? R->r->dump_check : ""));
	if (invalid)
		json_object_object_add(o, "not_valid_because",
				       json_object_new_string(invalid));
	s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY);
	rc = odfi_write_new_file(side, (const uint8_t *)s, strlen(s),
				 ODF_E_BACKUP, d);
	json_object_put(o);
	return rc;
}

/* The automatic backup name: <state>/backups/VENDOR_MODEL_REV_TIME[-k]EXT
 * (bootcode: VENDOR_MODEL_bootcodeNN_TIME.bin), the first that does not
 * exist.  Decided before the confirmation, which names it; the directory
 * is made after it (odfi_stage_backup). */
static int
auto_backup_path(struct odfi_session *R, bool boot, struct odf_diag *d)
{
	char dir[4200], v[32], p[32], rv[16], t[32], bc[16], tg[48] = "";
	struct stat sb;
	int n = 0;

	/* several drives backed up in the same second: the caller's tag
	 * keeps their names apart (odf_flash_opts.backup_tag) */
	if (R->o->backup_tag && R->o->backup_tag[0]) {
		tg[0] = '_';
		odfi_safe_name(tg + 1, sizeof(tg) - 1, R->o->backup_tag);
	}
	snprintf(dir, sizeof(dir), "%s" ODFI_SEP "backups", R->state_dir);
	odfi_safe_name(v, sizeof(v), R->id.vendor);
	odfi_safe_name(p, sizeof(p), R->id.product);
	odfi_safe_name(rv, sizeof(rv), R->id.revision);
	odfi_safe_name(bc, sizeof(bc), R->id.bootcode);
	odfi_now_iso(t, sizeof(t), true);
	for (int k = 0; k < 100; k++) {
		if (boot)
			n = snprintf(R->backup_path, sizeof(R->backup_path),
				     "%s" ODFI_SEP "%s_%s_bootcode%s_%s%s%.0d.bin", dir, v,
				     p, bc, t, k ? "-" : "", k);
		else
			n = snprintf(R->backup_path, sizeof(R->backup_path),
				     "%s" ODFI_SEP "%s_%s_%s%s_%s%s%.0d%s", dir, v, p, rv,
				     tg, t, k ? "-" : "", k,
				     R->drv->ops->dump_ext ?
				     R->drv->ops->dump_ext : ".bin");
		if (n < 0 || (size_t)n >= sizeof(R->backup_path)) {
			R->backup_path[0] = '\0';
			return odf_diag_set(d, ODF_E_BACKUP, "backup path too "
					    "long");
		}
		/* lstat: a link planted under this name is not passed
		 * over but refused when created (odfi_write_new_file) */
		if (lstat(R->backup_path, &sb) != 0 || S_ISLNK(sb.st_mode))
			break;
	}
	return 0;
}

/* --backup FILE: taken as given, never overwritten. */
static int
given_backup_path(struct odfi_session *R, struct odf_diag *d)
{
	snprintf(R->backup_path, sizeof(R->backup_path), "%s",
		 R->o->backup_path);
	if (access(R->backup_path, F_OK) == 0) {
		odf_diag_set(d, ODF_E_BACKUP, "backup file %s already exists",
			     R->backup_path);
		odf_diag_reason(d, ODF_R_BACKUP_EXISTS);
		odf_diag_fact_path(d, R->backup_path);
		return ODF_E_BACKUP;
	}
	return 0;
}

/* The automatic path's directory, made only once the user agreed. */
static int
backup_dir_ready(struct odfi_session *R, struct odf_diag *d)
{
	char dir[4200], *slash;

	if (R->o->backup_path)
		return 0;
	snprintf(dir, sizeof(dir), "%s", R->backup_path);
	slash = odfi_last_sep(dir);
	if (!slash)
		return 0;
	*slash = '\0';
	return odfi_mkdirs(dir, d);
}

/* A read for the backup failed.  The drive refused the read itself (QEMU's
 * drives answer READ BUFFER 05/20/00: docs/internals/rig.md §2) or the
 * family cannot read it in this state (ODF_E_UNSUPPORTED): no backup, the
 * same refusal as a protocol without a dump (ODF_E_NODUMP, exit 5: README.md
 * "Exit codes"); nothing was changed.  Anything else is a failed backup. */
static int
backup_read_failed(int rc, struct odf_diag *d)
{
	char m[ODF_DIAG_MSG_MAX];

	if (rc == ODF_E_INTERRUPTED)
		return rc;	/* a cancel: the job ends "interrupted" */
	snprintf(m, sizeof(m), "%s", d ? d->msg : "");
	if (rc == ODF_E_UNSUPPORTED) {
		odf_diag_set(d, ODF_E_NODUMP, "no backup possible: %s", m);
		odf_diag_reason(d, ODF_R_NO_DUMP);
		return ODF_E_NODUMP;
	}
	if (rc != ODF_E_BACKUP) {
		odf_diag_set(d, ODF_E_BACKUP, "backup failed: %s", m);
		odf_diag_reason(d, ODF_R_BACKUP_FAILED);
	}
	return ODF_E_BACKUP;
}

/* Before the confirmation: where the backup goes and whether there can be
 * one, with no command sent (a dry run reads the firmware once to prove
 * the real run's backup possible; it changes nothing). */
int
odfi_backup_decide(struct odfi_session *R, struct odf_diag *d)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	int rc;

	R->backup_path[0] = '\0';
	if (R->o->no_backup || R->op == OP_RECOVER) {
		R->backup_skipped = R->op == OP_RECOVER ?
				    ODF_BACKUP_SKIP_RECOVERY :
				    ODF_BACKUP_SKIP_ASKED;
		return 0;
	}
	if (!odfi_can_read(R->drv, ODF_READ_DUMP)) {
		odf_diag_set(d, ODF_E_NODUMP, "no backup possible: the %s "
			     "protocol has no command that reads the firmware "
			     "back", odf_family_name(R->drv->family));
		odf_diag_reason(d, ODF_R_NO_DUMP);
		odf_diag_fact_device(d, R->o->device);
		odf_diag_fact_family(d, R->drv->family);
		if (d)
			d->step[0] = '\0';
		return ODF_E_NODUMP;
	}
	rc = R->o->backup_path ? given_backup_path(R, d) :
	     auto_backup_path(R, false, d);
	if (rc < 0)
		return rc;
	if (!R->o->dry_run)
		return 0;
	/* --dry-run: read the firmware once to check that the backup the
	 * real run makes is possible on this drive and path; nothing is
	 * written (issue #12). */
	{
		struct odf_dump_req req = { R->o->raw, NULL, NULL,
					    odfi_read_cap(R) };

		rc = odfi_read_dump(R, &req, &buf, &len, d);
	}
	if (rc < 0)
		return backup_read_failed(rc, d);
	free(buf);
	odf_ctx_log(R->ctx, ODF_LOG_INFO, "dry run: the backup is possible (%zu "
		"bytes read once, nothing written)", len);
	return 0;
}

/* After the confirmation: dump twice, compare, write the file the
 * question named and its sidecar. */
int
odfi_stage_backup(struct odfi_session *R, struct odf_diag *d)
{
	char why[ODF_DIAG_MSG_MAX + 64];
	uint8_t *buf = NULL;
	size_t len = 0;
	char sha[65];
	bool valid;
	int rc;

	if (!R->backup_path[0]) {
		odf_ctx_log(R->ctx, ODF_LOG_INFO, "stage: backup skipped (%s)",
			R->backup_skipped == ODF_BACKUP_SKIP_RECOVERY ?
			"recovery" : R->backup_skipped == ODF_BACKUP_SKIP_ASKED ?
			"not asked for" : "none");
		return 0;
	}
	odf_ctx_log(R->ctx, ODF_LOG_INFO, "stage: backup (dump twice and compare)");
	rc = backup_dir_ready(R, d);
	if (rc < 0)
		return rc;
	rc = odfi_dump_twice(R, &buf, &len, d);
	if (rc < 0)
		return backup_read_failed(rc, d);
	odf_sha256_hex(buf, len, sha);
	valid = dump_is_valid(R, buf, len, why, sizeof(why));
	if (!valid)
		as_found_name(R->backup_path, sizeof(R->backup_path));
	rc = odfi_write_new_file(R->backup_path, buf, len, ODF_E_BACKUP, d);
	free(buf);
	if (rc < 0)
		return rc;
	rc = write_sidecar(R->backup_path, R, sha, len, valid ? NULL : why, d);
	if (rc < 0)
		return rc;
	if (!valid) {
		odf_diag_set(d, ODF_E_BACKUP, "no backup: the firmware read "
			     "back is not a valid image (%s); it was kept as "
			     "%s, as found, not a backup", why, R->backup_path);
		odf_diag_reason(d, ODF_R_BACKUP_NOT_VALID);
		odf_diag_fact_path(d, R->backup_path);
		return ODF_E_BACKUP;
	}
	snprintf(R->r->backup, sizeof(R->r->backup), "%s", R->backup_path);
	odf_ctx_log(R->ctx, ODF_LOG_INFO, "backup: %s (%zu bytes, sha256 %s)",
		R->backup_path, len, sha);
	return 0;
}

/* The bootcode job's backup path, before the confirmation (the bootcode
 * version is in the name when the drive already told it). */
int
odfi_boot_backup_decide(struct odfi_session *R, struct odf_diag *d)
{
	R->backup_path[0] = '\0';
	if (R->o->no_backup) {
		R->backup_skipped = ODF_BACKUP_SKIP_ASKED;
		return 0;
	}
	return R->o->backup_path ? given_backup_path(R, d) :
	       auto_backup_path(R, true, d);
}

int
odfi_boot_backup(struct odfi_session *R, struct odf_diag *d)
{
	char sha[65];
	uint8_t *a = NULL, *b = NULL;
	size_t la = 0, lb = 0;
	int rc;

	if (!R->backup_path[0]) {
		odf_ctx_log(R->ctx, ODF_LOG_INFO, "stage: bootcode backup skipped "
			"(no backup asked)");
		return 0;
	}
	odf_ctx_log(R->ctx, ODF_LOG_INFO, "stage: back up the bootcode (read twice)");
	rc = odfi_read_boot(R, &R->id, &a, &la, d);
	if (rc == 0)
		rc = odfi_check_cancel(R, d);
	if (rc == 0)
		rc = odfi_read_boot(R, &R->id, &b, &lb, d);
	if (rc == 0 && (la != lb || memcmp(a, b, la) != 0))
		rc = odf_diag_set(d, ODF_E_BACKUP, "two reads of the bootcode "
				  "differ: the path or the drive is unreliable");
	free(b);
	if (rc == 0)
		rc = odfi_still_there(R, d);
	if (rc < 0) {
		char m[ODF_DIAG_MSG_MAX];

		free(a);
		if (rc == ODF_E_INTERRUPTED)
			return rc;
		snprintf(m, sizeof(m), "%s", d ? d->msg : "");
		odf_diag_set(d, ODF_E_BACKUP, "bootcode backup failed: %s", m);
		odf_diag_reason(d, ODF_R_BACKUP_FAILED);
		return ODF_E_BACKUP;
	}
	rc = backup_dir_ready(R, d);
	if (rc < 0) {
		free(a);
		return rc;
	}
	odf_sha256_hex(a, la, sha);
	rc = odfi_write_new_file(R->backup_path, a, la, ODF_E_BACKUP, d);
	free(a);
	if (rc < 0)
		return rc;
	snprintf(R->r->backup, sizeof(R->r->backup), "%s", R->backup_path);
	odf_ctx_log(R->ctx, ODF_LOG_INFO, "bootcode backup: %s (%zu bytes, sha256 %s)",
		R->backup_path, la, sha);
	return 0;
}

int
odfi_dump_job(struct odf_session *S, const struct odf_flash_opts *o,
	      struct odf_flash_result *r, struct odf_diag *d)
{
	struct odfi_session R;
	char why[ODF_DIAG_MSG_MAX + 64];
	uint8_t *buf = NULL;
	size_t len = 0;
	bool valid = true;
	int rc;

	odfi_run_init(&R, S, o, r, OP_DUMP, d);
	if (o->out && access(o->out, F_OK) == 0) {
		odf_diag_set(d, ODF_E_USAGE, "%s already exists", o->out);
		odf_diag_reason(d, ODF_R_FILE_EXISTS);
		odf_diag_fact_path(d, o->out);
		r->err = ODF_E_USAGE;
		r->result = "error";
		return ODF_E_USAGE;
	}
	odfi_stage(&R, ODF_STAGE_IDENTIFY);
	rc = odfi_stage_open_identify(&R, d);
	if (rc == 0)
		odfi_stage(&R, ODF_STAGE_BACKUP);
	if (rc == 0 && !odfi_can_read(R.drv, ODF_READ_DUMP)) {
		/* Plextor (pxfw), PS3 (WRITE BUFFER only), MediaTek FF and
		 * 8051, Pioneer: the public protocols have no read-back
		 * command.  A driver may say why in its own words. */
		if (R.drv->ops->no_dump)
			rc = odf_diag_set(d, ODF_E_NODUMP, "%s %s: %s, so "
					  "there is no dump; nothing was read "
					  "or changed", R.id.vendor,
					  R.id.product, R.drv->ops->no_dump);
		else
			rc = odf_diag_set(d, ODF_E_NODUMP, "%s %s: the %s "
					  "protocol (%s) has no command to read "
					  "the firmware back, so there is no "
					  "dump; nothing was read or changed",
					  R.id.vendor, R.id.product,
					  odf_family_name(R.drv->family),
					  R.drv->description);
		odf_diag_reason(d, ODF_R_NO_DUMP);
		odf_diag_fact_device(d, o->device);
		odf_diag_fact_family(d, R.drv->family);
		if (d)
			d->step[0] = '\0';	/* not a failed command */
	}
	if (rc == 0)
		rc = odfi_check_cancel(&R, d);
	if (rc == 0) {
		rc = odfi_dump_twice(&R, &buf, &len, d);
		/* the drive refuses the read (spc-quiet, QEMU) or cannot give
		 * it in this state (MT1339, LG CORE): no dump, exit 5 as
		 * for a protocol without one */
		if (rc == ODF_E_UNSUPPORTED && d)
			d->err = rc = ODF_E_NODUMP;
		/* a signal during the read: held to its end (the drive is
		 * left as it was), then the dump stops, no file */
		rc = odfi_cancel_after(&R, rc, d);
	}
	if (rc == 0) {
		char def[4096], v[32], p[32], rv[16];

		if (!o->out) {
			odfi_safe_name(v, sizeof(v), R.id.vendor);
			odfi_safe_name(p, sizeof(p), R.id.product);
			odfi_safe_name(rv, sizeof(rv), R.id.revision);
			snprintf(def, sizeof(def), "%s_%s_%s%s%s", v, p, rv,
				 o->raw ? "_raw" : "", R.drv->ops->dump_ext ?
				 R.drv->ops->dump_ext : ".bin");
		}
		snprintf(r->out, sizeof(r->out), "%s", o->out ? o->out : def);
		odf_sha256_hex(buf, len, r->sha256);
		r->size = len;
		valid = dump_is_valid(&R, buf, len, why, sizeof(why));
		if (!valid)
			as_found_name(r->out, sizeof(r->out));
		rc = odfi_write_new_file(r->out, buf, len, ODF_E_FILE, d);
		if (rc == ODF_E_FILE && errno == EEXIST)
			rc = ODF_E_USAGE;
		if (rc == 0)
			rc = write_sidecar(r->out, &R, r->sha256, len,
					   valid ? NULL : why, d);
	}
	if (rc == 0 && !valid) {
		/* kept, but never called a backup (issue #12): exit 7 */
		if (d)
			d->step[0] = '\0';	/* not a failed command */
		r->result = "as-found";
		odf_diag_set(d, ODF_E_VERIFY, "%s was saved as found, but it "
			     "is NOT a valid image: %s", r->out, why);
		odf_diag_reason(d, ODF_R_DUMP_AS_FOUND);
		odf_diag_fact_path(d, r->out);
		rc = ODF_E_VERIFY;
	}
	free(buf);
	return odfi_run_finish(&R, rc, d);
}
