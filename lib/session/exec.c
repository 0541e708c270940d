/* odflash session: the plan executor -- steps with retries, unit
 * attentions drained and resent, reopen by identity, TEST UNIT READY
 * polls, signals held past the point of no return, coming back.
 * (The facts it rests on: session.c.) */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "odf/image.h"
#include "odf/scsi.h"
#include "odf/transport.h"
#include "odf/vendor.h"
#include "session/session_int.h"

void
odfi_sleep_ms(const struct odfi_session *R, unsigned ms)
{
	odf_ctx_sleep_ms(R ? R->ctx : NULL, ms);
}

void
odfi_notice(struct odfi_session *R, enum odf_notice what)
{
	struct odf_event ev = { .kind = ODF_EV_NOTICE, .notice = what,
				.signal = odfi_cancel_sig(R) };

	odfi_event(R, &ev);
}

/* A rejection: the command failed with sense saying the drive refused it
 * before acting on it (odf_sense_class ODF_SC_REFUSED). Seen in the rig
 * (docs/internals/rig.md §2; tests/rig): QEMU ide-cd answers READ/WRITE
 * BUFFER 05/20/00, QEMU scsi-cd with an empty tray 02/3A/00. */
static bool
rejected(const struct odf_diag *d)
{
	return d && d->err == ODF_E_SENSE &&
	       (odf_diag_sense_class(d) & ODF_SC_REFUSED);
}

/* ---- stage 8: run the plan ----------------------------------------------------------- */
bool
odfi_is_gone(int rc)
{
	return rc == ODF_E_TRANSPORT || rc == ODF_E_IO ||
	       rc == ODF_E_TIMEOUT || rc == ODF_E_NODEV || rc == ODF_E_OPEN;
}

/* The answers a reopened drive is recognised by: INQUIRY (the model),
 * then the serial (INQUIRY VPD 00h, and 80h when listed; none is "").
 * Returns 0, or the INQUIRY's failure. */
static int
same_drive_answers(struct odf_dev *dev, struct odf_inquiry *inq,
		   char *serial, size_t len)
{
	int rc = odf_inquiry(dev, inq, NULL);

	if (rc < 0)
		return rc;
	if (odf_inquiry_serial(dev, serial, len, NULL) < 0)
		serial[0] = '\0';
	return 0;
}

int
odfi_reopen(struct odfi_session *R, struct odf_diag *d)
{
	unsigned tries = R->o->reopen_tries ? R->o->reopen_tries : 30;
	unsigned delay = R->o->reopen_delay_ms;
	int rc = ODF_E_NODEV;

	if (!delay)
		delay = (unsigned)odf_ctx_knob(R->ctx,
					       ODF_KNOB_REOPEN_DELAY_MS, 500);
	odfi_dev_drop(R);
	for (unsigned i = 0; i < tries; i++) {
		struct odf_inquiry inq;
		char serial[sizeof(R->id.serial)];

		rc = odfi_dev_open(R, d);
		if (rc == 0) {
			/* The same drive?  Serial when known, else model;
			 * after a crossflash the model may be the image's
			 * (the drive answers with its firmware's strings).
			 * What a REOPEN step sends (odf/plan.h), no more:
			 * INQUIRY, then INQUIRY VPD 00h and, when listed,
			 * 80h (odf_inquiry_serial); not the drivers'
			 * probes (vendor commands to a drive that may be
			 * still committing). */
			const struct odf_image_info *xi = R->xfrom[0] && R->img ?
				odf_image_info(R->img, R->part) : NULL;

			if (same_drive_answers(R->dev, &inq, serial,
					       sizeof(serial)) == 0 &&
			    (!R->id.serial[0] || !serial[0] ||
			     strcmp(serial, R->id.serial) == 0) &&
			    (strcmp(inq.product, R->id.product) == 0 ||
			     (xi && xi->product[0] &&
			      strcmp(inq.product, xi->product) == 0))) {
				odf_ctx_log(R->ctx, ODF_LOG_INFO, "drive found again after "
					"%u tries", i + 1);
				return 0;
			}
			odfi_dev_drop(R);
			rc = ODF_E_NODEV;
		}
		odfi_sleep_ms(R, delay);
	}
	return odf_diag_set(d, rc, "the drive did not come back at %s after "
			    "%u tries", R->o->device, tries);
}

/* After a momentary safe-mode visit the drive restarts (leaving safe
 * mode reboots it, INFERRED) and may re-enumerate
 * (docs/internals/protocols.md §1.9): find it again by identity before
 * going on. */
int
odfi_still_there(struct odfi_session *R, struct odf_diag *d)
{
	struct odf_sense s;
	int rc;

	memset(&s, 0, sizeof(s));
	rc = odf_test_unit_ready(R->dev, &s, NULL);
	if (!odfi_is_gone(rc))
		return 0;
	odf_ctx_log(R->ctx, ODF_LOG_INFO, "the drive left the bus after leaving safe "
		"mode: finding it again");
	return odfi_reopen(R, d);
}

static int
exec_cmd_step(struct odfi_session *R, const struct odf_plan_step *s, struct odf_diag *d)
{
	struct odf_cmd c;
	uint8_t *inbuf = NULL;
	void *buf = NULL;
	int rc;

	if (s->dir == ODF_DIR_OUT) {
		buf = R->cur->data + s->data_off;
		if (s->fill) {
			/* computed data-out (odf/plan.h): from what the
			 * source step kept, just before sending; a failure
			 * sends nothing */
			const struct odf_plan_step *src =
				&R->cur->steps[s->src_step];

			rc = s->fill(R->cur->data + src->data_off,
				     src->data_len, buf, s->data_len, d);
			if (rc < 0)
				return rc;
		}
	} else if (s->dir == ODF_DIR_IN && (s->flags & ODF_STEP_KEEP_IN)) {
		buf = R->cur->data + s->data_off;
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
 * the context's ODF_KNOB_POLL_MS (1..1000; tests on emulated drives,
 * which count polls, not time). */
#define POLL_MS_REAL 250
static unsigned
poll_interval_ms(const struct odfi_session *R)
{
	long v = odf_ctx_knob(R->ctx, ODF_KNOB_POLL_MS, POLL_MS_REAL);

	return v < 1 || v > 1000 ? POLL_MS_REAL : (unsigned)v;
}

/* What one poll takes off a step's budget: the real interval at least, so
 * a shorter test pause gives a drive that never becomes ready the same
 * number of polls (budget / 250 ms) and not 250 times as many (ODF_POLL_MS=1
 * made a 120 s budget 120,000 polls, 157 s of a sweep case). */
static unsigned
poll_cost_ms(const struct odfi_session *R)
{
	unsigned ms = poll_interval_ms(R);

	return ms < POLL_MS_REAL ? POLL_MS_REAL : ms;
}

static int
poll_ready(struct odfi_session *R, unsigned budget_ms, unsigned flags,
	   struct odf_diag *d)
{
	unsigned waited = 0;

	for (;;) {
		struct odf_sense s;
		int rc;

		memset(&s, 0, sizeof(s));
		if (!R->dev) {
			rc = odfi_reopen(R, d);
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
		if (odfi_is_gone(rc)) {
			rc = odfi_reopen(R, d);
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
		odfi_sleep_ms(R, poll_interval_ms(R));
		waited += poll_cost_ms(R);
	}
}

/* The context's ODF_KNOB_WAIT_MAX_MS caps every fixed WAIT step of a plan
 * (tests on emulated drives, which need no pause); unset = the plan's
 * waits. */
static unsigned
wait_cap(const struct odfi_session *R, unsigned ms)
{
	long v = odf_ctx_knob(R->ctx, ODF_KNOB_WAIT_MAX_MS, -1);

	return v >= 0 && (unsigned long)v < ms ? (unsigned)v : ms;
}

static int
run_step(struct odfi_session *R, const struct odf_plan_step *s, struct odf_diag *d)
{
	unsigned ua_left = 8;
	int rc = 0;

	for (unsigned attempt = 0; attempt <= s->retries; attempt++) {
		if (attempt) {
			odf_ctx_log(R->ctx, ODF_LOG_WARN, "%s failed (%s): retry %u of %u",
				s->label, d ? d->msg : "", attempt, s->retries);
			odfi_sleep_ms(R, s->wait_ms);
		}
		odf_diag_clear(d);
		switch (s->kind) {
		case ODF_STEP_CMD:
			rc = exec_cmd_step(R, s, d);
			if (rc == ODF_E_SENSE && (s->flags & ODF_STEP_STATUS_ONLY) &&
			    d && d->sense_key == 0x01) {
				/* RECOVERED ERROR: done (odf/plan.h) */
				odf_ctx_log(R->ctx, ODF_LOG_INFO, "%s: %s; only "
					    "the status matters: done",
					    s->label, d->msg);
				odf_diag_clear(d);
				rc = 0;
			}
			while (rc == ODF_E_SENSE &&
			       (odf_diag_sense_class(d) & ODF_SC_UA) && ua_left--) {
				/* A UA answered instead of our command: the
				 * command was not executed; drain, resend. */
				odf_ctx_log(R->ctx, ODF_LOG_INFO, "%s: unit attention "
					"%02X/%02X/%02X, draining and resending",
					s->label, d->sense_key, d->asc, d->ascq);
				odf_drain_unit_attention(R->dev, 16, NULL);
				odf_diag_clear(d);
				rc = exec_cmd_step(R, s, d);
			}
			break;
		case ODF_STEP_WAIT:
			odfi_sleep_ms(R, wait_cap(R, s->wait_ms));
			rc = 0;
			break;
		case ODF_STEP_POLL_READY:
			rc = poll_ready(R, s->timeout_ms ? s->timeout_ms : 60000,
					s->flags, d);
			break;
		case ODF_STEP_REOPEN:
			rc = odfi_reopen(R, d);
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
		if (odfi_is_gone(rc) && (s->flags & ODF_STEP_MAY_REBOOT))
			return rc;	/* handled by the caller: come back */
		if (odfi_is_gone(rc) && R->dev) {
			/* The drive may have dropped off the bus: find it
			 * again before retrying. */
			struct odf_diag rd;

			odf_diag_clear(&rd);
			if (odfi_reopen(R, &rd) < 0)
				return rc;
		}
	}
	return rc;
}

void
odfi_describe_state(struct odfi_session *R)
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

	if (!R->dev && odfi_reopen(R, NULL) < 0) {
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

/* ODF_STEP_NORMAL_ONLY needs the drive in normal mode: left out for a
 * drive identified in safe or boot mode (odf/plan.h); a read plan says
 * so in plan->recovery. */
static bool
skipped(const struct odfi_session *R, const struct odf_plan_step *s)
{
	if (!(s->flags & ODF_STEP_NORMAL_ONLY))
		return false;
	/* a read plan is built for the identity it was given (after a
	 * flash: the drive as it answers now) */
	return R->cur->read ? R->cur->recovery : R->id.mode != ODF_MODE_NORMAL;
}

static void
run_cleanup(struct odfi_session *R, size_t from)
{
	for (size_t i = from; i < R->cur->n; i++) {
		const struct odf_plan_step *s = &R->cur->steps[i];
		struct odf_diag cd;

		if (!(s->flags & ODF_STEP_CLEANUP) || !R->dev ||
		    skipped(R, s))
			continue;
		odf_diag_clear(&cd);
		if (run_step(R, s, &cd) < 0)
			odf_ctx_log(R->ctx, ODF_LOG_WARN, "cleanup step '%s' failed: %s",
				s->label, cd.msg);
		else
			odf_ctx_log(R->ctx, ODF_LOG_INFO, "cleanup: %s", s->label);
	}
}

int
odfi_check_cancel(struct odfi_session *R, struct odf_diag *d)
{
	if (!odfi_cancelled(R) || R->r->changed)
		return 0;
	R->r->signal = odfi_cancel_sig(R);
	odf_ctx_log(R->ctx, ODF_LOG_WARN, "cancelled (signal %d) before the "
		    "point of no return: stopping, nothing changed",
		    R->r->signal);
	return odf_diag_set(d, ODF_E_INTERRUPTED, "stopped%s before anything "
			    "was written; the drive is unchanged",
			    R->r->signal ? " by a signal" : " on request");
}

int
odfi_plan_fits(const struct odf_plan *p, size_t max_transfer,
	       struct odf_diag *d)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct odf_plan_step *s = &p->steps[i];

		if (s->kind == ODF_STEP_CMD && max_transfer &&
		    s->data_len > max_transfer)
			return odf_diag_set(d, ODF_E_PATH, "step %zu (%s) moves "
					    "%zu bytes, the path carries %zu",
					    i + 1, s->label, s->data_len,
					    max_transfer);
	}
	return odf_plan_check(p, d);
}

/* The bytes a step counts for progress: a write plan counts bytes of the
 * image the drive was sent (not its padding, headers or parameter data:
 * odf_plan_step.image_bytes), a read plan the bytes it reads and keeps. */
static uint64_t
moved(const struct odf_plan *p, const struct odf_plan_step *s)
{
	if (s->flags & ODF_STEP_FAILURE_ONLY)
		return 0;
	if (!p->read)
		return s->image_bytes;
	return s->dir == ODF_DIR_IN && (s->flags & ODF_STEP_KEEP_IN) ?
	       s->data_len : 0;
}

/* Run R->cur (a write plan or a read plan) step by step: cancels, the
 * point of no return, cleanup steps after a failure. */
int
odfi_run_plan(struct odfi_session *R, struct odf_diag *d)
{
	size_t ponr = odf_plan_ponr(R->cur);
	uint64_t total = 0, done = 0;
	size_t blocks = 0, block = 0;
	bool unsafe = false, told = false;
	int rc = 0;

	R->rebooted = false;

	/* progress: bytes of the image (a read plan: the bytes it reads and
	 * keeps); a block is a step that moves some of them */
	for (size_t i = 0; i < R->cur->n; i++) {
		total += moved(R->cur, &R->cur->steps[i]);
		blocks += moved(R->cur, &R->cur->steps[i]) != 0;
	}

	if (R->cur->read)
		odf_ctx_log(R->ctx, ODF_LOG_INFO, "run the read plan: %s (%zu "
			    "steps)", R->cur->what, R->cur->n);
	else
		odf_ctx_log(R->ctx, ODF_LOG_INFO, "stage: run the plan (%zu "
			    "steps; point of no return at step %zu)",
			    R->cur->n, ponr + 1);
	for (size_t i = 0; i < R->cur->n; i++) {
		const struct odf_plan_step *s = &R->cur->steps[i];

		struct odf_event ev = { .step = i, .steps = R->cur->n,
					.label = s->label, .blocks = blocks,
					.block = block };

		/* before the point of no return a cancel stops the job; once
		 * the drive was changed it is held to the end of the plan */
		if (odfi_cancelled(R) && !R->r->changed) {
			run_cleanup(R, i);
			return odfi_check_cancel(R, d);
		}
		if (odfi_cancelled(R) && R->cur->read) {
			/* a read after the write (the read-back): the drive
			 * is safe, stop reading; the outcome says the new
			 * content was not confirmed */
			R->r->signal = odfi_cancel_sig(R);
			run_cleanup(R, i);
			return odf_diag_set(d, ODF_E_INTERRUPTED, "the read "
					    "was stopped by %s",
					    R->r->signal ? "a signal" :
					    "a cancel");
		}
		if (odfi_cancelled(R) && R->r->changed && !told) {
			R->r->signal = odfi_cancel_sig(R);
			odfi_notice(R, ODF_NOTICE_CANCEL_HELD);
			told = true;
		}
		if (s->flags & ODF_STEP_FAILURE_ONLY)
			continue;	/* run by run_cleanup after a failure */
		if (skipped(R, s))
			continue;	/* normal mode only */
		if (i == ponr) {
			unsafe = true;
			R->r->changed = true;
			ev.kind = ODF_EV_PONR_REACHED;
			odfi_event(R, &ev);
		}
		odf_ctx_log(R->ctx, ODF_LOG_DEBUG, "step %zu/%zu: %s", i + 1,
			    R->cur->n, s->label);
		if (moved(R->cur, s))
			ev.block = ++block;
		ev.kind = ODF_EV_STEP_START;
		odfi_event(R, &ev);
		rc = run_step(R, s, d);
		ev.kind = ODF_EV_STEP_DONE;
		ev.status = rc;
		odfi_event(R, &ev);
		if (rc < 0 && (s->flags & ODF_STEP_MAY_REBOOT) && odfi_is_gone(rc)) {
			odf_ctx_log(R->ctx, ODF_LOG_WARN, "%s: %s -- the drive may be "
				"rebooting; checking", s->label,
				d ? d->msg : "");
			R->rebooted = true;
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
			odf_diag_reason(d, ODF_R_WRITE_REJECTED);
			return ODF_E_UNSUPPORTED;
		}
		if (rc < 0 && (s->flags & ODF_STEP_CLEANUP) && !unsafe) {
			odf_ctx_log(R->ctx, ODF_LOG_WARN, "%s failed: %s", s->label,
				d ? d->msg : "");
			rc = 0;
		}
		if (rc < 0) {
			char m[ODF_DIAG_MSG_MAX];

			R->fail_flags = s->flags;
			snprintf(m, sizeof(m), "%s", d ? d->msg : "");
			run_cleanup(R, i + 1);
			if (!R->r->changed || R->cur->read)
				return rc;	/* nothing written by this
						   plan: the caller judges */
			odfi_describe_state(R);
			/* the first changing command itself failed: it was
			 * sent, what the drive did is unknown */
			odf_diag_set(d, ODF_E_FLASH, "flash failed at '%s' %s: "
				     "%s", s->label, i == ponr ? "(the first "
				     "command that changes the drive: it may "
				     "have acted on it)" : "after the drive "
				     "was changed", m);
			return ODF_E_FLASH;
		}
		if ((s->flags & ODF_STEP_SAFE) && unsafe) {
			unsafe = false;
			ev.kind = ODF_EV_PONR_LEFT;
			odfi_event(R, &ev);

		}
		if (moved(R->cur, s) && total && !R->o->dry_run) {
			done += moved(R->cur, s);
			ev.kind = ODF_EV_PROGRESS;
			if (R->cur->read)
				ev.label = "read";	/* one phase */
			ev.bytes_done = done;
			ev.bytes_total = total;
			odfi_event(R, &ev);
		}
	}
	/* a cancel during the last step: held too, and said so */
	if (odfi_cancelled(R) && R->r->changed && !told) {
		R->r->signal = odfi_cancel_sig(R);
		odfi_notice(R, ODF_NOTICE_CANCEL_HELD);
	}
	return 0;
}

/* ---- stage 9: come back ------------------------------------------------------------- */
static int
stage_come_back(struct odfi_session *R, struct odf_diag *d)
{
	odf_ctx_log(R->ctx, ODF_LOG_INFO, "stage: wait for the drive to come back");
	return poll_ready(R, 120000, 0, d);
}

/* Steps 8-9: run the plan, then wait for the drive to come back.  A
 * failure after the drive was changed becomes ODF_E_FLASH with the
 * drive's state described (what = "flash", "bootcode write"). */
int
odfi_stage_write(struct odfi_session *R, const char *what, struct odf_diag *d)
{
	int rc;

	R->cur = &R->plan;
	rc = odfi_run_plan(R, d);
	if (rc == 0) {
		odfi_stage(R, ODF_STAGE_COME_BACK);
		rc = stage_come_back(R, d);
	}
	if (rc < 0 && rc != ODF_E_FLASH && rc != ODF_E_INTERRUPTED &&
	    R->r->changed) {
		char m[ODF_DIAG_MSG_MAX];

		snprintf(m, sizeof(m), "%s", d ? d->msg : "");
		odfi_describe_state(R);
		rc = odf_diag_set(d, ODF_E_FLASH, "the drive did not come "
				  "back after the %s: %s", what, m);
	}
	return rc;
}
