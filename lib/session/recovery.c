/* odflash session: what the journal offers to `odflash recover DEVICE`
 * without a file -- the target file of the drive's last unfinished flash,
 * else the drive's last good backup -- each checked before it is offered
 * (the file is still there and still has the recorded sha256). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "odf/flash.h"
#include "odf/image.h"

/* The entry belongs to the drive: same vendor and model, and the same
 * serial when both have one, else the same device name. */
/* An outcome that says the drive was not changed: its error's class is
 * one before any change (usage, device, rejected, file, refused), or, in
 * a line an older version wrote, its exit code was 1-5. */
static bool
unchanged(const struct odf_journal_entry *e)
{
	enum odf_err_class c;

	if (!e->err)
		return e->exit_code >= 1 && e->exit_code <= 5;
	c = odf_err_class(e->err);
	return c >= ODF_CLASS_USAGE && c <= ODF_CLASS_REFUSED;
}

static bool
same_drive(const struct odf_journal_entry *e, const char *device,
	   const struct odf_drive_ident *id, bool *by_serial)
{
	if (strcmp(e->vendor, id->vendor) != 0 ||
	    strcmp(e->product, id->product) != 0)
		return false;
	*by_serial = id->serial[0] && e->serial[0];
	if (*by_serial)
		return strcmp(e->serial, id->serial) == 0;
	return strcmp(e->device, device) == 0;
}

/* A flashed file: one of its parts still hashes to what the journal
 * recorded (the journal keeps the flashed part's sha256). */
static const char *
target_state(const char *path, const char *sha)
{
	struct odf_image *img = NULL;
	const char *st = "changed";

	if (access(path, R_OK) != 0)
		return "missing";
	if (!sha[0])
		return NULL;
	if (odf_image_load(path, ODF_FAMILY_UNKNOWN, &img, NULL) < 0 &&
	    odf_image_load(path, ODF_FAMILY_SPC, &img, NULL) < 0)
		return st;
	for (size_t p = 0; p < odf_image_parts(img); p++) {
		const char *h = odf_image_sha256(img, p);

		if (h && strcmp(h, sha) == 0)
			st = NULL;
	}
	odf_image_free(img);
	return st;
}

/* A backup: its sidecar (FILE.json) names the sha256 of the whole file. */
static const char *
backup_state(const char *path)
{
	char side[4200], sha[65];
	struct json_object *o, *v;
	const char *st = NULL;
	FILE *f;

	if (access(path, R_OK) != 0)
		return "missing";
	snprintf(side, sizeof(side), "%s.json", path);
	o = json_object_from_file(side);
	if (!o)
		return NULL;	/* a dump without a sidecar: nothing to compare */
	if (!json_object_object_get_ex(o, "sha256", &v) ||
	    !(f = fopen(path, "rb"))) {
		json_object_put(o);
		return NULL;
	}
	/* hashed as it is read: no copy of the file (a buffer grown to
	 * the file's size cost the fuzz target "sidecar" most of its time) */
	if (odf_sha256_stream(f, sha) < 0 ||
	    strcmp(sha, json_object_get_string(v)) != 0)
		st = "changed";
	fclose(f);
	json_object_put(o);
	return st;
}

static void
take(struct odf_recovery_pick *p, enum odf_pick_why why, bool by_serial,
     const struct odf_journal_entry *e, const char *file)
{
	p->why = why;
	p->by_serial = by_serial;
	snprintf(p->file, sizeof(p->file), "%s", file);
	snprintf(p->time, sizeof(p->time), "%s", e->time);
	snprintf(p->op, sizeof(p->op), "%s", e->op);
	snprintf(p->result, sizeof(p->result), "%s", e->result);
	snprintf(p->rev_before, sizeof(p->rev_before), "%s", e->rev_before);
	p->crossflash = why == ODF_PICK_UNFINISHED && e->crossflash;
}

static void
pass_over(struct odf_recovery_pick *p, const char *file, const char *why)
{
	if (p->passed_over[0])
		return;
	snprintf(p->passed_over, sizeof(p->passed_over), "%s", file);
	snprintf(p->passed_why, sizeof(p->passed_why), "%s", why);
}

int
odf_journal_pick_recovery(const char *state_dir, const char *device,
			  const struct odf_drive_ident *drive,
			  struct odf_recovery_pick *pick, struct odf_diag *d)
{
	struct odf_journal_entry *v = NULL;
	size_t n = 0;
	bool by;
	int rc;

	memset(pick, 0, sizeof(*pick));
	rc = odf_journal_read(state_dir, &v, &n, NULL, d);
	if (rc < 0)
		return rc;
	/* 0. a drive found in a vendor mode whose last run was killed in a
	 * read in that mode, before any intent to write (phase "mode"): the
	 * firmware was never touched, so leave the mode, flash nothing */
	for (size_t i = n; drive->mode != ODF_MODE_NORMAL && i-- > 0;) {
		const struct odf_journal_entry *e = &v[i];

		if (!same_drive(e, device, drive, &by))
			continue;
		/* killed in the mode, or its outcome says a read left the
		 * drive there (reads.c check_left: the mode is named) */
		if ((!e->outcome_recorded && strcmp(e->phase, "mode") == 0) ||
		    (e->outcome_recorded && e->mode[0])) {
			take(pick, ODF_PICK_LEAVE_MODE, by, e, "");
			snprintf(pick->mode, sizeof(pick->mode), "%s",
				 e->mode);
			free(v);
			return 0;
		}
		break;	/* only the drive's last run tells */
	}
	/* 1. the drive's last flash that may have changed it: exit 2-5 runs
	 * changed nothing and are passed; one that ended well (exit 0) means
	 * nothing is unfinished. */
	for (size_t i = n; i-- > 0;) {
		const struct odf_journal_entry *e = &v[i];
		const char *st;

		if ((strcmp(e->op, "flash") != 0 &&
		     strcmp(e->op, "recover") != 0) ||
		    !same_drive(e, device, drive, &by))
			continue;
		/* it changed nothing: refused (exit 1-5), or killed before
		 * its intent to write was recorded */
		if ((e->outcome_recorded && unchanged(e)) ||
		    (!e->outcome_recorded && strcmp(e->phase, "intent") != 0))
			continue;
		if (e->outcome_recorded && strcmp(e->result, "ok") == 0)
			break;
		st = target_state(e->file, e->sha256);
		if (!st) {
			take(pick, ODF_PICK_UNFINISHED, by, e, e->file);
			free(v);
			return 0;
		}
		pass_over(pick, e->file, st);
		break;
	}
	/* 2. the drive's last good backup: taken before a flash, or a dump
	 * that was checked (result ok; an as-found dump is not one) */
	for (size_t i = n; i-- > 0;) {
		const struct odf_journal_entry *e = &v[i];
		const char *f = NULL, *st;

		if (!same_drive(e, device, drive, &by))
			continue;
		if (e->backup[0] && strcmp(e->op, "flash") == 0)
			f = e->backup;
		else if (strcmp(e->op, "dump") == 0 &&
			 strcmp(e->result, "ok") == 0 && e->file[0])
			f = e->file;
		if (!f)
			continue;
		st = backup_state(f);
		if (!st) {
			take(pick, ODF_PICK_BACKUP, by, e, f);
			break;
		}
		pass_over(pick, f, st);
	}
	free(v);
	return 0;
}
