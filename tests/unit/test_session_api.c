/* The session API in-process against emulated drives: the events of a
 * whole flash (stage order, one STEP_START/STEP_DONE per step, the point
 * of no return reached once and left once, progress in bytes of the
 * image), a cancel swept over the steps around the point of no
 * return (before the point of no
 * return: "interrupted", exit 5, flash byte-identical, drive normal;
 * after it: held, the flash completes), the write stage's CDB transcript
 * equal to the dry run's plan, and two sessions on two drives
 * on two contexts that do not see each other's knobs or logs. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "helper_session.h"
#include "odf/session.h"
#include "odf/vendor.h"

#define MAX_EV 8192

struct rec {
	size_t n;
	struct odf_event ev[MAX_EV];
	/* cancel at the start of this step (SIZE_MAX = never) */
	size_t cancel_at;
	struct odf_session *s;
	int stage_seen[ODF_STAGE_COUNT];
	/* "leave safe mode" steps of read plans (labels live only as long
	 * as their plan: counted here, not from the copies) */
	size_t read_leaves;
	/* ODF_EV_CONFIRM: its pointers live only during the call */
	int confirms;
	enum odf_stage conf_stage;
	bool conf_dry, conf_eject, conf_guard;
	enum odf_version_change conf_version;
	char conf_image_version[32], conf_backup[64];
	enum odf_backup_skip conf_skipped;
	enum odf_confirm_job conf_job;
	char conf_file[600], conf_driver[32];
};

static void
on_event(void *user, const struct odf_event *ev)
{
	struct rec *r = user;

	if (r->n < MAX_EV)
		r->ev[r->n++] = *ev;
	if (ev->kind == ODF_EV_STAGE)
		r->stage_seen[ev->stage]++;
	if (ev->kind == ODF_EV_STEP_START && ev->stage != ODF_STAGE_WRITE &&
	    strcmp(ev->label, "leave safe mode") == 0)
		r->read_leaves++;
	if (ev->kind == ODF_EV_CONFIRM && ev->confirm) {
		const struct odf_confirm *c = ev->confirm;

		r->confirms++;
		r->conf_stage = ev->stage;
		r->conf_dry = c->dry_run;
		r->conf_eject = c->eject;
		r->conf_guard = c->downgrade_guard != NULL;
		r->conf_version = c->version;
		snprintf(r->conf_image_version, sizeof(r->conf_image_version),
			 "%s", c->image_version);
		snprintf(r->conf_backup, sizeof(r->conf_backup), "%s",
			 c->backup);
		r->conf_skipped = c->backup_skipped;
		r->conf_job = c->job;
		snprintf(r->conf_file, sizeof(r->conf_file), "%s", c->file);
		snprintf(r->conf_driver, sizeof(r->conf_driver), "%s",
			 c->driver);
	}
	if (ev->kind == ODF_EV_STEP_START && ev->stage == ODF_STAGE_WRITE &&
	    ev->step == r->cancel_at)
		odf_session_cancel(r->s, 2);
}

static int
flash(const struct odf_test_drive *f, struct odf_ctx *ctx, struct rec *r,
      struct odf_flash_result *res)
{
	struct odf_flash_opts o;
	struct odf_diag d;
	int rc;

	odf_test_opts(&o);
	assert_int_equal(odf_session_new(ctx, f->dev, f->img, &r->s, &d), 0);
	odf_session_set_events(r->s, on_event, r);
	rc = odf_session_flash(r->s, &o, res, &d);
	if (rc < 0)
		print_message("flash: %s\n", d.msg);
	odf_session_free(r->s);
	r->s = NULL;
	return rc;
}

static void
test_events_of_a_flash(void **state)
{
	struct odf_test_drive f;
	struct rec *r = calloc(1, sizeof(*r));
	struct odf_flash_result res;
	struct odemu_status st;
	struct odf_ctx *ctx;
	size_t starts = 0, dones = 0, reached = 0, left = 0, steps = 0;
	uint64_t last = 0, total = 0;
	static const enum odf_stage order[ODF_STAGE_COUNT] = {
		ODF_STAGE_IDENTIFY, ODF_STAGE_COMPAT, ODF_STAGE_PREFLIGHT,
		ODF_STAGE_CONFIRM, ODF_STAGE_BACKUP, ODF_STAGE_WRITE,
		ODF_STAGE_COME_BACK, ODF_STAGE_VERIFY, ODF_STAGE_JOURNAL,
	};
	size_t nst = 0, confirms = 0, blk = 0, blocks = 0;
	bool results = false;
	(void)state;

	assert_non_null(r);
	odf_test_drive_new(&f, "nec-nd3500", "1.00", "2.00", "session-events");
	ctx = odf_test_ctx(&f);
	r->cancel_at = SIZE_MAX;
	assert_int_equal(flash(&f, ctx, r, &res), 0);
	assert_string_equal(res.result, "ok");
	assert_true(res.changed);
	odf_test_drive_status(&f, &st);
	assert_string_equal(st.revision, "2.00");
	/* every stage of a write job, once, in this order: the
	 * confirmation before the backup (issue #12) */
	for (int k = 0; k < ODF_STAGE_COUNT; k++)
		assert_int_equal(r->stage_seen[k], 1);
	for (size_t i = 0; i < r->n; i++) {
		const struct odf_event *e = &r->ev[i];

		if (e->kind == ODF_EV_STAGE) {
			assert_true(nst < ODF_STAGE_COUNT);
			assert_int_equal(e->stage, order[nst]);
			/* the drive as identified, from the stage after
			 * identification on (issue #15) */
			if (nst == 0)
				assert_null(e->drive);
			else
				assert_non_null(e->drive);
			nst++;
		}
		if (e->kind == ODF_EV_CONFIRM) {
			/* in the confirm stage: before the backup stage */
			assert_int_equal(e->stage, ODF_STAGE_CONFIRM);
			confirms++;
		}
		if (e->kind == ODF_EV_STEP_START &&
		    e->stage != ODF_STAGE_WRITE) {
			/* reads are plans too (issue #12): the bootcode
			 * version, the backup, the read-back */
			assert_true(e->stage == ODF_STAGE_COMPAT ||
				    e->stage == ODF_STAGE_CONFIRM ||
				    e->stage == ODF_STAGE_BACKUP ||
				    e->stage == ODF_STAGE_VERIFY);
			continue;
		}
		if (e->kind == ODF_EV_STEP_DONE && e->stage != ODF_STAGE_WRITE)
			continue;
		if (e->kind == ODF_EV_STEP_START) {
			assert_int_equal(e->step, starts);
			assert_non_null(e->label);
			steps = e->steps;
			starts++;
		}
		if (e->kind == ODF_EV_STEP_DONE) {
			assert_int_equal(e->status, 0);
			dones++;
		}
		if (e->kind == ODF_EV_PONR_REACHED) {
			assert_int_equal(left, 0);
			reached++;
		}
		if (e->kind == ODF_EV_PONR_LEFT) {
			assert_int_equal(reached, 1);
			left++;
		}
		if (e->kind == ODF_EV_PROGRESS && e->stage == ODF_STAGE_WRITE) {
			assert_true(e->bytes_done > last);
			last = e->bytes_done;
			total = e->bytes_total;
			/* one block per progress event, 1..blocks */
			assert_int_equal(e->block, ++blk);
			blocks = e->blocks;
		}
		if (e->kind == ODF_EV_RESULT) {
			assert_ptr_equal(e->result, &res);
			assert_int_equal(i, r->n - 1);
			results = true;
		}
	}
	assert_int_equal(nst, ODF_STAGE_COUNT);
	assert_int_equal(confirms, 1);
	/* the ND-3500A's 1000 KiB image in 32 KiB chunks */
	assert_int_equal(blocks, 32);
	assert_int_equal(blk, 32);
	/* the facts as data */
	assert_int_equal(r->confirms, 1);
	assert_int_equal(r->conf_stage, ODF_STAGE_CONFIRM);
	assert_false(r->conf_dry);
	assert_false(r->conf_eject);
	assert_false(r->conf_guard);
	assert_int_equal(r->conf_version, ODF_VERSION_UPGRADE);
	assert_string_equal(r->conf_image_version, "2.00");
	assert_string_equal(r->conf_backup, "");
	assert_int_equal(r->conf_skipped, ODF_BACKUP_SKIP_ASKED);
	assert_int_equal(r->conf_job, ODF_JOB_FLASH);
	assert_string_equal(r->conf_file, f.img);
	assert_string_equal(r->conf_driver, "K350");
	assert_true(steps > 60);
	/* safe mode left once by a read plan: the bootcode version (no
	 * backup here; the 1 MiB read-back needs no safe mode) */
	assert_int_equal(r->read_leaves, 1);
	assert_int_equal(starts, steps);
	assert_int_equal(dones, steps);
	assert_int_equal(reached, 1);
	assert_int_equal(left, 1);
	/* progress counts bytes of the image: the ND-3500's 1,024,000
	 * bytes of firmware, and the last event says all */
	assert_int_equal(total, 1024000);
	assert_int_equal(last, total);
	assert_true(results);
	odf_ctx_free(ctx);
	odf_test_drive_free(&f);
	free(r);
}

/* The index of the first point-of-no-return step, and the steps a clean
 * run starts (steps sent only after a failure never start), from a clean
 * run's events. */
static bool started[512];

static size_t
ponr_step(void)
{
	struct odf_test_drive f;
	struct rec *r = calloc(1, sizeof(*r));
	struct odf_flash_result res;
	struct odf_ctx *ctx;
	size_t at = SIZE_MAX, steps = 0;

	assert_non_null(r);
	odf_test_drive_new(&f, "nec-nd3500", "1.00", "2.00", "session-ponr");
	ctx = odf_test_ctx(&f);
	r->cancel_at = SIZE_MAX;
	assert_int_equal(flash(&f, ctx, r, &res), 0);
	for (size_t i = 0; i < r->n; i++) {
		if (r->ev[i].kind == ODF_EV_PONR_REACHED && at == SIZE_MAX)
			at = r->ev[i].step;
		if (r->ev[i].kind == ODF_EV_STEP_START &&
		    r->ev[i].stage == ODF_STAGE_WRITE) {
			steps = r->ev[i].steps;
			if (r->ev[i].step < 512)
				started[r->ev[i].step] = true;
		}
	}
	odf_ctx_free(ctx);
	odf_test_drive_free(&f);
	free(r);
	assert_true(at < steps);
	return at;
}

static void
test_cancel_swept_over_steps(void **state)
{
	size_t ponr = ponr_step();
	/* a cancel at the start of steps 0-2, of each step from 8 before to
	 * 4 after the point of no return (of those a clean run sends), and
	 * of two later ones: each case is a whole emulated flash (kept
	 * small: the unit tests also run under valgrind).  A cancel at the
	 * start of step i stops the job before step i + 1. */
	size_t cases[64], nc = 0, ran = 0;
	(void)state;

	for (size_t i = 0; i <= ponr + 4 && nc < 56; i++)
		if (started[i] && (i < 3 || i + 8 >= ponr))
			cases[nc++] = i;
	cases[nc++] = ponr + 10;
	cases[nc++] = ponr + 30;
	for (size_t c = 0; c < nc; c++) {
		struct odf_test_drive f;
		struct rec *r = calloc(1, sizeof(*r));
		struct odf_flash_result res;
		struct odemu_status before, after;
		struct odf_ctx *ctx;
		int rc;

		assert_non_null(r);
		odf_test_drive_new(&f, "nec-nd3500", "1.00", "2.00", "session-cancel");
		ctx = odf_test_ctx(&f);
		odf_test_drive_status(&f, &before);
		r->cancel_at = cases[c];
		rc = flash(&f, ctx, r, &res);
		odf_test_drive_status(&f, &after);
		if (cases[c] < ponr) {
			/* stopped before anything changed */
			assert_int_equal(rc, ODF_E_INTERRUPTED);
			assert_string_equal(res.result, "interrupted");
			assert_int_equal(odf_err_class(res.err), ODF_CLASS_REFUSED);
			assert_false(res.changed);
			assert_int_equal(res.signal, 2);
			assert_string_equal(after.flash_sha256,
					    before.flash_sha256);
			assert_int_equal(after.mode, ODF_MODE_NORMAL);
		} else {
			/* held: the flash completes */
			size_t held = 0;

			for (size_t i = 0; i < r->n; i++)
				if (r->ev[i].kind == ODF_EV_NOTICE &&
				    r->ev[i].notice == ODF_NOTICE_CANCEL_HELD)
					held++;
			if (rc != 0)
				print_message("cancel at step %zu (ponr %zu): "
					      "rc %d, changed %d\n", cases[c],
					      ponr, rc, res.changed);
			assert_int_equal(rc, 0);
			assert_true(res.changed);
			assert_int_equal(held, 1);
			assert_string_equal(after.revision, "2.00");
			assert_int_equal(after.mode, ODF_MODE_NORMAL);
		}
		ran++;
		odf_ctx_free(ctx);
		odf_test_drive_free(&f);
		free(r);
	}
	/* the sweep ran every case it planned */
	print_message("cancel swept over %zu steps (point of no return at "
		      "step %zu)\n", ran, ponr);
	assert_int_equal(ran, nc);
	assert_true(ran >= 10);
}

/* ---- "no": nothing past identification reaches the drive ----------------- */
struct sent {
	size_t n, vendor_mode, big_reads, writes;
};

static void
count_sent(void *user, const struct odf_dev *dev, const struct odf_cmd *c)
{
	struct sent *t = user;

	(void)dev;
	t->n++;
	/* NEC SetSafeMode CC 01 (binflash necinterface.cpp) */
	if (c->cdb[0] == 0xCC && c->cdb[1] == 0x01)
		t->vendor_mode++;
	/* identification reads are at most 0x80 bytes (the ID blocks); a
	 * dump chunk is 4 KiB and more */
	if (c->dir == ODF_DIR_IN && c->len > 0x80 && c->cdb[0] != 0x12)
		t->big_reads++;
	if (c->dir == ODF_DIR_OUT || c->cdb[0] == 0x1B)
		t->writes++;
}

static int
no(void *ctx, const struct odf_confirm *c)
{
	int *asked = ctx;

	(*asked)++;
	/* the backup is named before it is taken */
	assert_int_equal(c->backup_skipped, ODF_BACKUP_TAKEN);
	assert_non_null(strstr(c->backup, "/backups/"));
	return 0;
}

static void
test_no_sends_nothing_past_identification(void **state)
{
	struct odf_test_drive f;
	struct sent t = { 0 };
	struct odf_flash_opts o;
	struct odf_flash_result res;
	struct odf_session *s = NULL;
	struct odemu_status st;
	struct odf_diag d;
	struct odf_ctx *ctx;
	char bdir[700];
	int asked = 0;
	(void)state;

	odf_test_drive_new(&f, "nec-nd3500", "1.00", "2.00", "session-no");
	ctx = odf_test_ctx(&f);
	odf_ctx_set_trace(ctx, count_sent, &t);
	memset(&o, 0, sizeof(o));
	o.ui.confirm = no;
	o.ui.confirm_ctx = &asked;
	assert_int_equal(odf_session_new(ctx, f.dev, f.img, &s, &d), 0);
	assert_int_equal(odf_session_flash(s, &o, &res, &d),
			 ODF_E_NOT_CONFIRMED);
	odf_session_free(s);
	print_message("answer no: %zu commands sent, %zu vendor-mode, %zu "
		      "large reads, %zu writes\n", t.n, t.vendor_mode,
		      t.big_reads, t.writes);
	assert_int_equal(asked, 1);
	assert_int_equal(odf_err_class(res.err), ODF_CLASS_REFUSED);
	assert_false(res.changed);
	assert_true(t.n > 3);
	assert_int_equal(t.vendor_mode, 0);
	assert_int_equal(t.big_reads, 0);
	assert_int_equal(t.writes, 0);
	assert_string_equal(res.backup, "");
	snprintf(bdir, sizeof(bdir), "%s/backups", f.sdir);
	assert_int_not_equal(access(bdir, F_OK), 0);
	odf_test_drive_status(&f, &st);
	assert_string_equal(st.revision, "1.00");
	assert_int_equal(st.mode, ODF_MODE_NORMAL);
	odf_ctx_free(ctx);
	odf_test_drive_free(&f);
}

/* ---- the executor sends exactly the plan ------------------------------- */
#define MAX_CDB 2048
struct transcript {
	size_t n;
	uint8_t cdb[MAX_CDB][16];
	size_t len[MAX_CDB];
	bool writing;		/* in the write stage */
	struct odf_session *s;
};

static void
plan_shown(void *ctx, const struct odf_plan *p)
{
	struct transcript *t = ctx;

	for (size_t i = 0; i < p->n && t->n < MAX_CDB; i++) {
		if (p->steps[i].kind != ODF_STEP_CMD ||
		    (p->steps[i].flags & ODF_STEP_FAILURE_ONLY))
			continue;
		memcpy(t->cdb[t->n], p->steps[i].cdb, p->steps[i].cdb_len);
		t->len[t->n++] = p->steps[i].cdb_len;
	}
}

static void
traced(void *user, const struct odf_dev *dev, const struct odf_cmd *c)
{
	struct transcript *t = user;

	(void)dev;
	/* TEST UNIT READY is the executor's own (polls, UA drains) */
	if (!t->writing || c->cdb[0] == 0x00 || t->n >= MAX_CDB)
		return;
	memcpy(t->cdb[t->n], c->cdb, c->cdb_len);
	t->len[t->n++] = c->cdb_len;
}

static void
stage_of(void *user, const struct odf_event *ev)
{
	struct transcript *t = user;

	if (ev->kind == ODF_EV_STAGE)
		t->writing = ev->stage == ODF_STAGE_WRITE;
}

static void
test_transcript_is_the_plan(void **state)
{
	struct odf_test_drive f;
	struct transcript *want = calloc(1, sizeof(*want));
	struct transcript *got = calloc(1, sizeof(*got));
	struct odf_flash_opts o;
	struct odf_flash_result res;
	struct odf_session *s = NULL;
	struct odf_diag d;
	struct odf_ctx *ctx;
	(void)state;

	assert_non_null(want);
	assert_non_null(got);
	odf_test_drive_new(&f, "nec-nd3500", "1.00", "2.00", "session-transcript");
	ctx = odf_test_ctx(&f);
	/* the dry run's plan: the expected CDBs */
	odf_test_opts(&o);
	o.dry_run = true;
	o.ui.show_plan = plan_shown;
	o.ui.plan_ctx = want;
	assert_int_equal(odf_session_new(ctx, f.dev, f.img, &s, &d), 0);
	assert_int_equal(odf_session_flash(s, &o, &res, &d), 0);
	odf_session_free(s);
	assert_true(want->n > 60);
	/* the real run, traced through the context */
	odf_ctx_set_trace(ctx, traced, got);
	o.dry_run = false;
	o.ui.show_plan = NULL;
	assert_int_equal(odf_session_new(ctx, f.dev, f.img, &s, &d), 0);
	odf_session_set_events(s, stage_of, got);
	assert_int_equal(odf_session_flash(s, &o, &res, &d), 0);
	odf_session_free(s);
	print_message("the write stage sent %zu commands; the plan has %zu\n",
		      got->n, want->n);
	assert_int_equal(got->n, want->n);
	for (size_t i = 0; i < want->n; i++) {
		assert_int_equal(got->len[i], want->len[i]);
		assert_memory_equal(got->cdb[i], want->cdb[i], want->len[i]);
	}
	odf_ctx_free(ctx);
	odf_test_drive_free(&f);
	free(want);
	free(got);
}

struct sink {
	int lines;
};

static void
count_log(void *user, int level, const char *msg)
{
	struct sink *s = user;

	(void)level;
	(void)msg;
	s->lines++;
}

static void
test_two_sessions_two_contexts(void **state)
{
	struct odf_test_drive a, b;
	struct rec *ra = calloc(1, sizeof(*ra)), *rb = calloc(1, sizeof(*rb));
	struct odf_flash_result res;
	struct odf_ctx *ca, *cb;
	struct sink la = { 0 }, lb = { 0 };
	struct odemu_status st;
	(void)state;

	assert_non_null(ra);
	assert_non_null(rb);
	odf_test_drive_new(&a, "nec-nd3500", "1.00", "2.00", "session-a");
	odf_test_drive_new(&b, "nec-nd3500", "1.00", "2.00", "session-b");
	ca = odf_test_ctx(&a);
	cb = odf_test_ctx(&b);
	odf_ctx_set_log(ca, count_log, &la, ODF_LOG_DEBUG);
	odf_ctx_set_log(cb, count_log, &lb, ODF_LOG_ERR);
	ra->cancel_at = rb->cancel_at = SIZE_MAX;
	assert_int_equal(flash(&a, ca, ra, &res), 0);
	assert_int_equal(flash(&b, cb, rb, &res), 0);
	odf_test_drive_status(&a, &st);
	assert_string_equal(st.revision, "2.00");
	odf_test_drive_status(&b, &st);
	assert_string_equal(st.revision, "2.00");
	/* a's debug sink heard a's flash; b's error-only sink heard nothing */
	assert_true(la.lines > 10);
	assert_int_equal(lb.lines, 0);
	odf_ctx_free(ca);
	odf_ctx_free(cb);
	odf_test_drive_free(&a);
	odf_test_drive_free(&b);
	free(ra);
	free(rb);
}

/* ODF_STEP_STATUS_ONLY (odf/plan.h): a path ("rcv:STATE", over the
 * emulated drive) that answers every NEC SetSafeMode, after the drive
 * acted on it, with CHECK CONDITION RECOVERED ERROR 01/17/01.  The
 * safe-mode steps are STATUS_ONLY, so the executor takes that as done
 * and the flash succeeds; the sense is also counted, to show it came. */
static unsigned rcv_answers;

static int
rcv_open(void **priv, const char *name, unsigned flags,
	 struct odf_dev_info *info, struct odf_diag *d)
{
	char emu[700];
	struct odf_dev *in = NULL;
	int rc;

	snprintf(emu, sizeof(emu), "emu:%s", name);
	rc = odf_dev_open_ctx(NULL, emu, flags, &in, d);
	if (rc < 0)
		return rc;
	info->max_transfer = odf_dev_get_info(in)->max_transfer;
	info->writable = odf_dev_get_info(in)->writable;
	*priv = in;
	return 0;
}

static int
rcv_exec(void *priv, struct odf_cmd *c)
{
	static const uint8_t sense[18] = { 0x70, 0, 0x01, 0, 0, 0, 0, 10,
					   0, 0, 0, 0, 0x17, 0x01 };
	int rc = odf_dev_exec(priv, c);

	if (rc == 0 && c->cdb[0] == 0xCC && c->cdb[1] == 0x01 &&
	    odf_cmd_category(c) == ODF_CAT_OK) {
		c->scsi_status = ODF_SAM_CHECK_CONDITION;
		memcpy(c->sense, sense, sizeof(sense));
		c->sense_len = sizeof(sense);
		rcv_answers++;
	}
	return rc;
}

static void
rcv_close(void *priv)
{
	odf_dev_close(priv);
}

static void
test_status_only_takes_recovered_error(void **state)
{
	static const struct odf_backend_ops rcv = {
		.name = "rcv", .prefix = "rcv:", .open = rcv_open,
		.exec = rcv_exec, .close = rcv_close };
	struct odf_test_drive f;
	struct rec *r = calloc(1, sizeof(*r));
	struct odf_flash_result res;
	struct odemu_status st;
	struct odf_ctx *ctx;
	(void)state;

	assert_non_null(r);
	assert_int_equal(odf_transport_register(&rcv), 0);
	odf_test_drive_new(&f, "nec-nd3500", "1.00", "2.00", "session-rcv");
	snprintf(f.dev, sizeof(f.dev), "rcv:%s", f.state);
	ctx = odf_test_ctx(&f);
	r->cancel_at = SIZE_MAX;
	rcv_answers = 0;
	assert_int_equal(flash(&f, ctx, r, &res), 0);
	/* enter/leave for the bootcode version, enter/leave of the write */
	assert_true(rcv_answers >= 4);
	assert_string_equal(res.result, "ok");
	odf_test_drive_status(&f, &st);
	assert_string_equal(st.revision, "2.00");
	odf_ctx_free(ctx);
	odf_test_drive_free(&f);
	free(r);
}

/* A read's leave of safe mode that fails (reads.c check_left): a path
 * ("lv:STATE", over the emulated drive) that answers NEC SetSafeMode EN 0
 * (CC 01 00, leave) with an EIO without passing it on, from the
 * (lv_skip+1)th leave, lv_drop times.  The full sweep found it
 * (tests/sweep/RESULTS.md: optiarc-ad7170 EIO on the read-back's last
 * leave ended "ok" with the drive in safe mode). */
static unsigned lv_skip, lv_drop, lv_seen;

static int
lv_exec(void *priv, struct odf_cmd *c)
{
	if (c->cdb[0] == 0xCC && c->cdb[1] == 0x01 && c->cdb[2] == 0x00 &&
	    lv_seen++ >= lv_skip && lv_drop > 0) {
		lv_drop--;
		c->os_err = EIO;	/* the drive never sees it */
		return 0;
	}
	return odf_dev_exec(priv, c);
}

static const struct odf_backend_ops lv_ops = {
	.name = "lv", .prefix = "lv:", .open = rcv_open, .exec = lv_exec,
	.close = rcv_close };

static void
lv_drive(struct odf_test_drive *f, const char *tag)
{
	odf_test_drive_new(f, "optiarc-ad7170", "1.00", "2.00", tag);
	snprintf(f->dev, sizeof(f->dev), "lv:%s", f->state);
}

/* A flash of a new drive (tag) whose leaves from the (skip+1)th are lost
 * drop times: its return, *res, the leaves sent and the drive's status;
 * the drive is removed. */
static int
lv_flash(const char *tag, unsigned skip, unsigned drop,
	 struct odf_flash_result *res, unsigned *sent, struct odemu_status *st)
{
	struct odf_test_drive f;
	struct rec *r = calloc(1, sizeof(*r));
	struct odf_ctx *ctx;
	int rc;

	assert_non_null(r);
	lv_drive(&f, tag);
	ctx = odf_test_ctx(&f);
	r->cancel_at = SIZE_MAX;
	lv_seen = 0;
	lv_skip = skip;
	lv_drop = drop;
	rc = flash(&f, ctx, r, res);
	*sent = lv_seen;
	odf_test_drive_status(&f, st);
	if (res->recover_file[0])	/* the image, named by its path */
		assert_string_equal(res->recover_file, f.img);
	odf_ctx_free(ctx);
	odf_test_drive_free(&f);
	free(r);
	return rc;
}

static void
test_read_leave_failed(void **state)
{
	struct odf_flash_result res;
	struct odemu_status st;
	unsigned leaves, sent;
	(void)state;

	assert_int_equal(odf_transport_register(&lv_ops), 0);
	/* a clean flash: how many leaves it sends (the read-back's is the
	 * last) */
	assert_int_equal(lv_flash("session-lv0", 0, 0, &res, &leaves, &st), 0);
	assert_true(leaves >= 2);

	/* the read-back's leave lost once: sent again, the drive leaves,
	 * the flash is ok and the drive runs 2.00 in normal mode */
	assert_int_equal(lv_flash("session-lv1", leaves - 1, 1, &res, &sent,
				  &st), 0);
	assert_string_equal(res.result, "ok");
	assert_int_equal(sent, leaves + 1);	/* one more leave */
	assert_int_equal(st.mode, ODF_MODE_NORMAL);
	assert_string_equal(st.revision, "2.00");

	/* lost twice: the drive stays in safe mode, and the flash says so:
	 * written, not confirmed (exit 7), the state, recover with the
	 * file */
	assert_int_equal(lv_flash("session-lv2", leaves - 1, 2, &res, &sent,
				  &st), ODF_E_VERIFY);
	assert_true(res.changed);
	assert_true(res.needs_recover);
	assert_false(res.recover_leave);
	assert_true(res.recover_file[0]);
	assert_non_null(strstr(res.state, "stayed in safe mode"));
	assert_int_equal(st.mode, ODF_MODE_SAFE);
}

/* A read before any write whose leave is lost twice (the first read's
 * leave and the one sent again): a dump, a flash's bootcode-version read
 * (the first bracket), a flash's backup (the second: after the bootcode
 * version's).  Nothing was written, the drive is in safe mode: exit 6
 * with reason mode-kept and `odflash recover DEVICE` (no file), whichever
 * stage met it (a backup would have said "backup failed", exit 5); the
 * journal offers to leave the mode, and leaving it brings the drive back
 * to normal mode with its flash untouched. */
static void
test_read_before_write_leave_failed(void **state)
{
	static const struct {
		const char *what;
		bool dump, backup;
		unsigned skip;
	} cases[] = {
		{ "dump", true, false, 0 },
		{ "flash: bootcode version", false, false, 0 },
		{ "flash: backup", false, true, 1 },
	};
	size_t ran = 0;
	(void)state;

	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		struct odf_test_drive f;
		struct odf_flash_result res;
		struct odf_flash_opts o;
		struct odf_recovery_pick pick;
		struct odf_drive_ident id;
		const struct odf_driver *drv;
		struct odemu_status st;
		struct odf_session *s;
		struct odf_dev *dev;
		struct odf_ctx *ctx;
		struct odf_diag d;
		char out[700], sha[65];
		int rc;

		lv_drive(&f, "session-lv3");
		ctx = odf_test_ctx(&f);
		odf_test_drive_status(&f, &st);
		snprintf(sha, sizeof(sha), "%s", st.flash_sha256);
		snprintf(out, sizeof(out), "%s/dump.bin", f.dir);
		odf_test_opts(&o);
		o.out = out;
		o.no_backup = !cases[k].backup;
		lv_seen = 0;
		lv_skip = cases[k].skip;
		lv_drop = 2;
		assert_int_equal(odf_session_new(ctx, f.dev, cases[k].dump ?
						 NULL : f.img, &s, &d), 0);
		rc = cases[k].dump ? odf_session_dump(s, &o, &res, &d) :
		     odf_session_flash(s, &o, &res, &d);
		odf_session_free(s);
		print_message("%s: %s\n", cases[k].what, d.msg);
		assert_int_equal(rc, ODF_E_FLASH);
		assert_int_equal(d.reason, ODF_R_MODE_KEPT);
		assert_false(res.changed);
		assert_true(res.needs_recover && res.recover_leave);
		assert_string_equal(res.recover_file, "");
		assert_non_null(strstr(res.state, "stayed in safe mode"));
		odf_test_drive_status(&f, &st);
		assert_int_equal(st.mode, ODF_MODE_SAFE);
		assert_string_equal(st.flash_sha256, sha);

		/* what `odflash recover DEVICE` finds in the journal */
		assert_int_equal(odf_dev_open_ctx(ctx, f.dev, 0, &dev, &d), 0);
		assert_int_equal(odf_identify_drive(dev, &id, &drv, &d), 0);
		odf_dev_close(dev);
		assert_int_equal(id.mode, ODF_MODE_SAFE);
		assert_int_equal(odf_journal_pick_recovery(f.sdir, f.dev, &id,
							   &pick, &d), 0);
		assert_int_equal(pick.why, ODF_PICK_LEAVE_MODE);
		assert_string_equal(pick.mode, "safe");

		/* and leaving it */
		odf_test_opts(&o);
		assert_int_equal(odf_session_new(ctx, f.dev, NULL, &s, &d), 0);
		assert_int_equal(odf_session_leave_mode(s, &o, &res, &d), 0);
		odf_session_free(s);
		odf_test_drive_status(&f, &st);
		assert_int_equal(st.mode, ODF_MODE_NORMAL);
		assert_string_equal(st.revision, "1.00");
		assert_string_equal(st.flash_sha256, sha);
		odf_ctx_free(ctx);
		odf_test_drive_free(&f);
		ran++;
	}
	print_message("reads before a write whose leave was lost twice: %zu "
		      "cases ran of %zu\n", ran,
		      sizeof(cases) / sizeof(cases[0]));
	assert_int_equal(ran, 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_events_of_a_flash),
		cmocka_unit_test(test_transcript_is_the_plan),
		cmocka_unit_test(test_no_sends_nothing_past_identification),
		cmocka_unit_test(test_cancel_swept_over_steps),
		cmocka_unit_test(test_two_sessions_two_contexts),
		cmocka_unit_test(test_status_only_takes_recovered_error),
		cmocka_unit_test(test_read_leave_failed),
		cmocka_unit_test(test_read_before_write_leave_failed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
