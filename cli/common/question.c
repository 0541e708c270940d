/* odflash: the confirmation question, worded from the facts the library
 * gives (struct odf_confirm, odf/session.h: ODF_EV_CONFIRM and
 * ui.confirm).  One question names everything the job will do (issue #12
 * item 4): the backup and its path, an eject or a stop, a downgrade or a
 * same-version reflash, a crossflash, the moment in safe mode the NEC
 * bootcode check needs.  The flags it names are odflash's. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "odf/session.h"

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
version_line(const struct odf_confirm *c, struct text *t)
{
	const char *v = c->image_version ? c->image_version : "";
	const char *rev = c->drive->revision;

	if (c->job == ODF_JOB_BOOTCODE)
		return;
	switch (c->version) {
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
		if (c->downgrade_guard)
			add(t, "; the drive guards against older firmware (%s) "
			    "and odflash answers it (--allow-downgrade)",
			    c->downgrade_guard);
		break;
	case ODF_VERSION_OTHER:
		add(t, "\n  - version: %s replaces %s (odflash knows no order "
		    "between them)", v, rev);
		break;
	default:
		if (!v[0])
			add(t, "\n  - version: %s names none; the drive runs "
			    "'%s'", c->file, rev);
		else
			add(t, "\n  - version: %s; the drive, in %s mode, runs "
			    "no firmware version to compare with", v,
			    odf_mode_name(c->drive->mode));
		break;
	}
}

void
cli_word_question(const struct odf_confirm *c, char *buf, size_t len)
{
	struct text t = { buf, len, 0 };
	const struct odf_drive_ident *id = c->drive;
	bool boot = c->job == ODF_JOB_BOOTCODE;

	if (len)
		buf[0] = '\0';
	if (c->job == ODF_JOB_LEAVE_MODE) {
		add(&t, "Take %s %s (%s) out of %s mode?\n  - the drive was "
		    "left in %s mode by a read that was interrupted (the "
		    "journal says so): it is sent the command that leaves it "
		    "and restarts into its firmware\n  - nothing is written",
		    id->vendor, id->product, c->driver,
		    odf_mode_name(id->mode), odf_mode_name(id->mode));
		return;
	}
	if (boot)
		add(&t, "Write the BOOTCODE %s into %s %s (%s, bootcode %s)?",
		    c->file, id->vendor, id->product, id->target,
		    id->bootcode[0] ? id->bootcode : "version not read yet");
	else
		add(&t, "%s %s %s (%s, revision %s) with %s?",
		    c->job == ODF_JOB_RECOVER ? "Recover" : "Flash", id->vendor,
		    id->product, c->driver, id->revision, c->file);
	version_line(c, &t);
	if (c->crossflash && c->crossflash_from)
		add(&t, "\n  - CROSSFLASH (--crossflash): the drive, a %s, will "
		    "run firmware made for %s", c->crossflash_from,
		    c->crossflash_to);
	for (size_t i = 0; i < c->n_unit && c->unit; i++)
		add(&t, "\n  - keeps the drive's own %s: 0x%06x..0x%06x from %s "
		    "(sha256 %s)", c->unit[i].what, c->unit[i].start,
		    c->unit[i].end, c->unit[i].from ? c->unit[i].from :
		    "the drive itself (its own read-out)", c->unit[i].sha256);
	if (c->disc == ODF_DISC_EJECT)
		add(&t, "\n  - eject: a disc is in the drive (it does not report "
		    "\"no medium\"): the tray is opened first (--eject)");
	else if (c->disc == ODF_DISC_STOP)
		add(&t, "\n  - the drive does not report \"no medium\": it is "
		    "stopped first (START STOP UNIT, no eject)");
	if (c->learn_bootcode)
		add(&t, "\n  - bootcode: the drive enters safe mode for a moment "
		    "to tell its bootcode version%s",
		    boot ? "" : ", which the image must match");
	if (c->backup && c->backup[0])
		add(&t, "\n  - backup: the drive's %s is read twice and saved "
		    "to %s first", boot ? "bootcode" : "firmware", c->backup);
	else if (c->no_read_back && c->job == ODF_JOB_FLASH)
		add(&t, "\n  - backup: none (--no-backup): this drive cannot "
		    "give its firmware back; keep the vendor's file of the "
		    "firmware it runs now (revision %s) to flash it back",
		    c->drive && c->drive->revision[0] ? c->drive->revision :
		    "?");
	else
		add(&t, "\n  - backup: none (%s)",
		    c->backup_skipped == ODF_BACKUP_SKIP_RECOVERY ?
		    "a recovery writes without one" : "--no-backup");
	add(&t, "\n%s", boot ?
	    "This erases the drive's firmware too. If the write is "
	    "interrupted (power, cable, crash) the drive is dead for good: no "
	    "software can repair a broken bootcode." :
	    "A failure can make the drive unusable.");
}

void
cli_word_typed(const char *token, char *buf, size_t len)
{
	snprintf(buf, len, "Second confirmation: type %s to write the bootcode",
		 token);
}
