/* odflash session: the confirmation.  Everything a write job will do is
 * decided first and named by one question, asked before anything touches
 * the drive beyond identification reads (issue #12 item 4): the backup
 * and its path, an eject, a downgrade or a same-version reflash, a
 * crossflash, the moment in safe mode the NEC bootcode check needs.  A
 * dry run shows the question instead of asking it.  The words are
 * English sentences for the CLI's prompt; a front end gets the same
 * facts as data (ODF_EV_CONFIRM, struct odf_confirm in odf/session.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "odf/image.h"
#include "session/session_int.h"

/* ---- version order and the anti-downgrade rule ---------------------------- */
int
odfi_version_facts(struct odfi_session *R, struct odf_diag *d)
{
	const struct odf_image_info *info =
		R->img ? odf_image_info(R->img, R->part) : NULL;
	const char *want;

	R->vchange = ODF_VERSION_UNKNOWN;
	R->asked_version[0] = '\0';
	R->guard = R->drv->ops->downgrade_guard ?
		   R->drv->ops->downgrade_guard(&R->id) : NULL;
	if (!info)
		return 0;
	want = odfi_image_revision(info);
	snprintf(R->asked_version, sizeof(R->asked_version), "%s", want);
	/* a drive in safe, boot or kernel mode reports no firmware
	 * revision to compare with */
	if (R->id.mode == ODF_MODE_NORMAL)
		R->vchange = odf_version_change(R->drv->family,
						R->id.revision, want);
	if (R->vchange != ODF_VERSION_DOWNGRADE || !R->guard ||
	    R->o->allow_downgrade)
		return 0;
	odf_diag_clear(d);
	odf_diag_set(d, ODF_E_SAFETY, "%s is version %s, older than the %s "
		     "the drive runs: a downgrade, and %s %s guards against "
		     "older firmware (%s); nothing was changed", R->o->file,
		     want, R->id.revision, R->id.vendor, R->id.product,
		     R->guard);
	odf_diag_reason(d, ODF_R_DOWNGRADE_GUARDED);
	odf_diag_fact_model(d, want, R->id.revision);
	return ODF_E_SAFETY;
}

/* ---- the question ------------------------------------------------------------ */
struct text {
	char *b;
	size_t n, o;
};

static void
add(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (t->o >= t->n)
		return;
	va_start(ap, fmt);
	k = vsnprintf(t->b + t->o, t->n - t->o, fmt, ap);
	va_end(ap);
	if (k > 0)
		t->o = (size_t)k < t->n - t->o ? t->o + (size_t)k : t->n;
}

static void
version_line(const struct odfi_session *R, struct text *t)
{
	const char *v = R->asked_version, *rev = R->id.revision;

	if (R->op == OP_BOOTCODE)
		return;
	switch (R->vchange) {
	case ODF_VERSION_UPGRADE:
		add(t, "\n  - version: %s replaces %s (an upgrade)", v, rev);
		break;
	case ODF_VERSION_SAME:
		add(t, "\n  - version: a reflash of %s, the version the drive "
		    "already runs", v);
		break;
	case ODF_VERSION_DOWNGRADE:
		add(t, "\n  - version: a DOWNGRADE from %s to the older %s", rev,
		    v);
		if (R->guard)
			add(t, "; the drive guards against older firmware (%s) " /* lib-words: allow */
			    "and odflash answers it (--allow-downgrade)",
			    R->guard);
		break;
	case ODF_VERSION_OTHER:
		add(t, "\n  - version: %s replaces %s (odflash knows no order "
		    "between them)", v, rev);
		break;
	default:
		if (!v[0])
			add(t, "\n  - version: %s names none; the drive runs "
			    "'%s'", R->o->file, rev);
		else
			add(t, "\n  - version: %s; the drive, in %s mode, runs "
			    "no firmware version to compare with", v,
			    odf_mode_name(R->id.mode));
		break;
	}
}

static void
build_question(struct odfi_session *R, char *q, size_t qn)
{
	struct text t = { q, qn, 0 };
	char head[600], tail[400];

	R->kind->question(R, head, sizeof(head), tail, sizeof(tail));
	add(&t, "%s", head);
	version_line(R, &t);
	if (R->o->crossflash && R->xfrom[0])
		add(&t, "\n  - CROSSFLASH (--crossflash): the drive, a %s, will " /* lib-words: allow */
		    "run firmware made for %s", R->xfrom, R->xto);
	if (R->disc == ODFI_DISC_EJECT)
		add(&t, "\n  - eject: a disc is in the drive (it does not report " /* lib-words: allow */
		    "\"no medium\"): the tray is opened first (--eject)");
	else if (R->disc == ODFI_DISC_STOP)
		add(&t, "\n  - the drive does not report \"no medium\": it is "
		    "stopped first (START STOP UNIT, no eject)");
	if (R->settle_note[0])
		add(&t, "\n  - %s", R->settle_note);
	if (R->backup_path[0])
		add(&t, "\n  - backup: the drive's %s is read twice and saved "
		    "to %s first", R->op == OP_BOOTCODE ? "bootcode" :
		    "firmware", R->backup_path);
	else
		add(&t, "\n  - backup: none (%s)", R->backup_skipped &&
		    strcmp(R->backup_skipped, "recovery") == 0 ?
		    "a recovery writes without one" : odfi_no_backup_word);
	add(&t, "\n%s", tail);
}

/* ---- the stage ---------------------------------------------------------------- */
int
odfi_stage_confirm(struct odfi_session *R, struct odf_diag *d)
{
	const struct odf_image_info *info =
		R->img ? odf_image_info(R->img, R->part) : NULL;
	struct odf_confirm c;
	struct odf_event ev = { .kind = ODF_EV_CONFIRM, .confirm = &c };
	int a;

	build_question(R, R->r->question, sizeof(R->r->question));
	memset(&c, 0, sizeof(c));
	c.question = R->r->question;
	c.dry_run = R->o->dry_run;
	c.job = R->kind->what;
	c.drive = &R->id;
	c.file = R->o->file;
	c.image_version = info ? R->asked_version : "";
	c.version = R->vchange;
	c.downgrade_guard = R->guard;
	c.backup = R->backup_path;
	c.backup_skipped = R->backup_path[0] ? NULL : R->backup_skipped;
	c.eject = R->disc == ODFI_DISC_EJECT;
	c.crossflash = R->o->crossflash && R->xfrom[0];
	c.crossflash_from = c.crossflash ? R->xfrom : NULL;
	c.crossflash_to = c.crossflash ? R->xto : NULL;
	odfi_event(R, &ev);
	if (R->o->dry_run)
		return 0;
	a = R->o->ui.confirm ? R->o->ui.confirm(R->o->ui.confirm_ctx,
						R->r->question) : -1;
	if (a == 1)
		return R->kind->confirm2 ? R->kind->confirm2(R, d) : 0;
	odf_diag_clear(d);
	odf_diag_set(d, ODF_E_NOT_CONFIRMED, "%snot confirmed%s",
		     R->op == OP_BOOTCODE ? "bootcode flash " : "",
		     a < 0 ? ": no terminal to ask on" : "");
	odf_diag_reason(d, R->op == OP_BOOTCODE ?
			ODF_R_BOOTCODE_NOT_CONFIRMED : ODF_R_NOT_CONFIRMED);
	return ODF_E_NOT_CONFIRMED;
}
