/* The session and its plan executor swept over faults, in-process
 * against emulated drives (issue #11): for each model, for EVERY step i of
 * the write plan that a clean run starts, and for each of
 *   cancel  odf_session_cancel() when step i is done,
 *   cut     the drive loses power right after step i (odemu's
 *           power-cut fault, armed through odemu_set_faults just before
 *           the next command),
 *   error   step i's command is answered 04/44/00 (HARDWARE ERROR,
 *           INTERNAL TARGET FAILURE), and so is every resend of it (only
 *           command steps: a poll or a wait has no command of its own),
 * the write stage's CDB transcript equals the dry-run plan's commands up
 * to the fault (and after it exactly the cleanup the executor owes); if
 * the point-of-no-return step was not sent, the job ends with exit 2-5,
 * `changed` false, the flash byte-identical (odemu_flash) and the drive
 * in normal mode at its old version; if it was sent, a cancel is held
 * (the plan runs to its end, the drive runs the new version) and a cut or
 * an error ends "failed" with the drive's state, and after power-on and
 * `recover` the drive runs the new version.
 *
 * The faults reach the drive through the test transport "lazy:STATE"
 * (helper_session.c: the emulator, its state saved at close): its hook
 * counts the commands and arms the fault at the command that follows
 * step i (counts taken from a clean run).  A sampled run takes the first
 * step, the two around the point of no return and the last; which runs
 * sample: sample_run() below.
 * Each test prints the (model, step, fault) cases it ran and asserts the
 * count it planned.
 *
 * Which runs sample (sample_run()): under valgrind and under ASan/UBSan
 * (both models' sets; `make check` runs the whole sweep in the plain
 * build), with ODF_SWEEP_SAMPLE=1, and for the families added later
 * (ps3-bd, the MediaTek FF drives tsst-se506cb and tsst-tsh353c (MT1339),
 * the Pioneer drives) unless ODF_SWEEP_SAMPLE=0 asks for every step of
 * every model.  ODF_SWEEP_ONLY=PATTERN runs only the tests the cmocka
 * filter pattern names (e.g. "test_pioneer*"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

#include "helper_session.h"
#include "helper_tmpdir.h"
#include "odf/session.h"
#include "odf/scsi.h"
#include "odf/transport.h"

#define MAX_STEPS 512
#define MAX_TR 4096

enum fault { F_NONE = 0, F_CANCEL, F_CUT, F_ERR, F_N };
static const char *const fault_name[F_N] = { "none", "cancel", "power cut",
					     "error" };

/* ---- the sweep transport: the emulator, a command counter, a fault ---- */
static struct {
	enum fault kind;
	uint64_t count;		/* commands carried since the job began */
	uint64_t at;		/* CUT, ERR: after this many commands */
	bool fired, failing;
	uint8_t cdb[ODF_CDB_MAX];
	size_t cdb_len;
} sw;

/* Every command of a job: counted, and the fault armed at its place. */
static bool
sw_exec(struct odemu *e, struct odf_cmd *c)
{
	bool same;

	sw.count++;
	same = c->cdb_len == sw.cdb_len && memcmp(c->cdb, sw.cdb,
						   c->cdb_len) == 0;
	if (sw.failing && !same)
		sw.failing = false;	/* the step was given up */
	if (sw.kind == F_ERR && !sw.fired && sw.count == sw.at + 1) {
		sw.fired = sw.failing = true;
		memcpy(sw.cdb, c->cdb, c->cdb_len);
		sw.cdb_len = c->cdb_len;
	}
	if (sw.failing) {
		/* fixed-format sense, the drive did not act on it */
		memset(c->sense, 0, 18);
		c->sense[0] = 0x70;
		c->sense[2] = 0x04;
		c->sense[7] = 10;
		c->sense[12] = 0x44;
		c->sense_len = 18;
		c->scsi_status = ODF_SAM_CHECK_CONDITION;
		c->resid = (int32_t)c->len;
		return true;
	}
	if (sw.kind == F_CUT && !sw.fired && sw.count == sw.at + 1) {
		struct odemu_fault_opts fo;

		memset(&fo, 0, sizeof(fo));
		fo.set[ODEMU_F_CUT_CMDS] = true;
		fo.val[ODEMU_F_CUT_CMDS] = 0;
		if (odemu_set_faults(e, &fo, NULL) < 0)
			abort();
		sw.fired = true;
	}
	return false;
}

/* ---- one job, recorded ------------------------------------------------- */
struct cdbs {
	size_t n;
	uint8_t cdb[MAX_TR][ODF_CDB_MAX];
	size_t len[MAX_TR];
};

static void
cdbs_add(struct cdbs *t, const uint8_t *cdb, size_t len)
{
	assert_true(t->n < MAX_TR);
	memcpy(t->cdb[t->n], cdb, len);
	t->len[t->n++] = len;
}

struct pstep {
	enum odf_step_kind kind;
	uint8_t cdb[ODF_CDB_MAX];
	size_t cdb_len;
	unsigned flags, retries;
};

struct run {
	struct odf_session *s;
	bool writing;
	struct cdbs got;		/* the write stage's commands */
	size_t cancel_after;		/* SIZE_MAX = never */
	size_t held;
	/* the plan (dry run) */
	size_t n;
	struct pstep step[MAX_STEPS];
	/* a clean run: started steps, commands carried when each ended */
	bool started[MAX_STEPS];
	uint64_t cmds_done[MAX_STEPS];
	size_t ponr;
};

static void
on_event(void *user, const struct odf_event *ev)
{
	struct run *r = user;

	switch (ev->kind) {
	case ODF_EV_STAGE:
		r->writing = ev->stage == ODF_STAGE_WRITE;
		break;
	/* the write plan's steps only: read plans (the bootcode version,
	 * the backup) report their steps too */
	case ODF_EV_STEP_START:
		if (r->writing && ev->step < MAX_STEPS)
			r->started[ev->step] = true;
		break;
	case ODF_EV_STEP_DONE:
		if (!r->writing)
			break;
		if (ev->step < MAX_STEPS)
			r->cmds_done[ev->step] = sw.count;
		if (ev->step == r->cancel_after)
			odf_session_cancel(r->s, 0);
		break;
	case ODF_EV_PONR_REACHED:
		r->ponr = ev->step;
		break;
	case ODF_EV_NOTICE:
		if (ev->notice == ODF_NOTICE_CANCEL_HELD)
			r->held++;
		break;
	default:
		break;
	}
}

static void
traced(void *user, const struct odf_dev *dev, const struct odf_cmd *c)
{
	struct run *r = user;

	(void)dev;
	/* TEST UNIT READY is the executor's own (polls, UA drains) */
	if (r->writing && c->cdb[0] != 0x00)
		cdbs_add(&r->got, c->cdb, c->cdb_len);
}

static void
plan_shown(void *ctx, const struct odf_plan *p)
{
	struct run *r = ctx;

	if (p->read)
		return;		/* a read plan shown before the write plan */
	assert_true(p->n <= MAX_STEPS);
	r->n = p->n;
	for (size_t i = 0; i < p->n; i++) {
		r->step[i].kind = p->steps[i].kind;
		memcpy(r->step[i].cdb, p->steps[i].cdb, p->steps[i].cdb_len);
		r->step[i].cdb_len = p->steps[i].cdb_len;
		r->step[i].flags = p->steps[i].flags;
		r->step[i].retries = p->steps[i].retries;
	}
}

struct model {
	const char *name;
	struct odf_test_drive t;	/* pristine drive + image */
	char dev[700];			/* "lazy:STATE" */
	char state[640];		/* the case's copy */
	uint8_t *pristine;		/* the state file's bytes */
	size_t pristine_len;
	struct run ref;			/* plan + clean run */
	uint8_t *flash0;		/* the pristine drive's flash */
	size_t flash0_len;
	int ok_rc;			/* a whole flash's return: 0, or
					   ODF_E_VERIFY where the image names
					   no version (Plextor: cannot verify,
					   exit 7, the drive written) */
};

/* A fresh copy of the model's pristine drive. */
static void
fresh_drive(struct model *m)
{
	FILE *f = fopen(m->state, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(m->pristine, 1, m->pristine_len, f),
			 m->pristine_len);
	assert_int_equal(fclose(f), 0);
	remove(m->t.sdir);	/* (a directory: left as it is) */
}

static void
status_of(const struct model *m, struct odemu_status *st, bool power_on,
	  uint8_t **flash, size_t *flen)
{
	struct odemu *e = NULL;
	struct odf_diag d;

	if (odemu_open_admin(m->state, &e, &d) < 0)
		fail_msg("odemu_open_admin: %s", d.msg);
	if (power_on) {
		struct odemu_fault_opts fo;

		memset(&fo, 0, sizeof(fo));
		fo.clear = true;
		assert_int_equal(odemu_set_faults(e, &fo, &d), 0);
		odemu_get_status(e, st);
		if (st->powered_off)
			assert_int_equal(odemu_power_on(e, &d), 0);
	}
	odemu_get_status(e, st);
	if (flash) {
		const uint8_t *p = odemu_flash(e, flen);

		*flash = malloc(*flen);
		assert_non_null(*flash);
		memcpy(*flash, p, *flen);
	}
	odemu_close(e);
}

/* One job on the model's drive copy; the fault armed as asked. */
static int
job(struct model *m, struct run *r, enum fault f, uint64_t at, bool recover,
    bool dry, struct odf_flash_result *res, struct odf_diag *d)
{
	struct odf_flash_opts o;
	struct odf_ctx *ctx = odf_test_ctx(&m->t);
	int rc;

	odf_test_opts(&o);
	/* a drive that lost power is looked for 3 times, not 30: each look
	 * loads the emulated drive's whole state */
	o.reopen_tries = 3;
	o.dry_run = dry;
	o.ui.show_plan = plan_shown;
	o.ui.plan_ctx = r;
	odf_ctx_set_trace(ctx, traced, r);
	memset(&sw, 0, sizeof(sw));
	sw.kind = f;
	sw.at = at;
	assert_int_equal(odf_session_new(ctx, m->dev, m->t.img, &r->s, d), 0);
	odf_session_set_events(r->s, on_event, r);
	rc = recover ? odf_session_recover(r->s, &o, res, d) :
		       odf_session_flash(r->s, &o, res, d);
	odf_session_free(r->s);
	r->s = NULL;
	odf_ctx_free(ctx);
	return rc;
}

/* The plan's commands from step a to b (not b): those a clean run sends,
 * or (cleanup) those the executor sends after a failure. */
static void
plan_cmds(const struct run *p, size_t a, size_t b, bool cleanup,
	  struct cdbs *out)
{
	for (size_t i = a; i < b && i < p->n; i++) {
		const struct pstep *s = &p->step[i];

		if (s->kind == ODF_STEP_REOPEN && !cleanup) {
			/* what a reopen sends (odf/plan.h ODF_STEP_REOPEN;
			 * --dry-run names it): INQUIRY, INQUIRY VPD 00h, 80h
			 * (every emulated drive lists 80h); the allocation
			 * lengths are lib/scsi/spc.c's */
			uint8_t c[ODF_CDB_MAX];

			cdbs_add(out, c, odf_cdb_inquiry(c, false, 0, 96));
			cdbs_add(out, c, odf_cdb_inquiry(c, true, 0x00, 252));
			cdbs_add(out, c, odf_cdb_inquiry(c, true, 0x80, 252));
			continue;
		}
		if (s->kind != ODF_STEP_CMD)
			continue;
		if (cleanup ? !(s->flags & ODF_STEP_CLEANUP) :
		    (s->flags & ODF_STEP_FAILURE_ONLY) != 0)
			continue;
		cdbs_add(out, s->cdb, s->cdb_len);
	}
}

static void
model_init(struct model *m, const char *name)
{
	struct odf_flash_result res;
	struct odf_diag d;
	struct cdbs *want = calloc(1, sizeof(*want));

	assert_non_null(want);
	m->name = name;
	m->ok_rc = strcmp(name, "plextor-px716") == 0 ? ODF_E_VERIFY : 0;
	odf_test_drive_new(&m->t, name, "1.00", "2.00", "sweep");
	snprintf(m->state, sizeof(m->state), "%s/case.state", m->t.dir);
	snprintf(m->dev, sizeof(m->dev), "lazy:%s", m->state);
	m->pristine = odf_test_slurp(m->t.state, &m->pristine_len);
	assert_non_null(m->pristine);
	/* the dry run's plan */
	fresh_drive(m);
	{
		struct odemu_status st;

		status_of(m, &st, false, &m->flash0, &m->flash0_len);
		assert_int_equal(st.mode, ODF_MODE_NORMAL);
		assert_string_equal(st.revision, "1.00");
	}
	memset(&m->ref, 0, sizeof(m->ref));
	m->ref.cancel_after = SIZE_MAX;
	assert_int_equal(job(m, &m->ref, F_NONE, 0, false, true, &res, &d), 0);
	assert_true(m->ref.n > 0);
	/* a clean run: the steps it starts, the commands when each ends;
	 * its transcript is the plan */
	fresh_drive(m);
	m->ref.got.n = 0;
	if (job(m, &m->ref, F_NONE, 0, false, false, &res, &d) != m->ok_rc)
		fail_msg("%s: clean flash: %s", name, d.msg);
	plan_cmds(&m->ref, 0, m->ref.n, false, want);
	assert_int_equal(m->ref.got.n, want->n);
	for (size_t i = 0; i < want->n; i++)
		assert_memory_equal(m->ref.got.cdb[i], want->cdb[i],
				    want->len[i]);
	assert_true(m->ref.ponr < m->ref.n);
	free(want);
}

static void
model_free(struct model *m)
{
	free(m->pristine);
	free(m->flash0);
	odf_test_drive_free(&m->t);
}

/* got begins with want (and, when exact, is want). */
static void
check_prefix(const char *what, const struct cdbs *got,
	     const struct cdbs *want, bool exact)
{
	if (got->n < want->n || (exact && got->n != want->n))
		fail_msg("%s: %zu commands sent, %zu expected", what, got->n,
			 want->n);
	for (size_t i = 0; i < want->n; i++)
		if (got->len[i] != want->len[i] ||
		    memcmp(got->cdb[i], want->cdb[i], want->len[i]) != 0)
			fail_msg("%s: command %zu differs from the plan's "
				 "(opcode %02X, plan %02X)", what, i,
				 got->cdb[i][0], want->cdb[i][0]);
}

/* Is the drive unsafe when step i starts (past the point of no return and
 * no safe step done since)? */
static bool
unsafe_at(const struct run *p, size_t i)
{
	if (i < p->ponr)
		return false;
	for (size_t k = p->ponr; k < i; k++)
		if (p->step[k].flags & ODF_STEP_SAFE)
			return false;
	return true;
}

/* One (model, step, fault) case. */
static void
run_case(struct model *m, size_t i, enum fault f)
{
	const struct run *ref = &m->ref;
	struct run *r = calloc(1, sizeof(*r));
	struct cdbs *want = calloc(1, sizeof(*want));
	struct odemu_status after;
	struct odf_flash_result res;
	struct odf_diag d;
	const uint8_t *fb = m->flash0;
	uint8_t *fa = NULL;
	size_t lb = m->flash0_len, la = 0;
	uint64_t at = 0;
	bool sent, cont = false;
	char what[128];
	int rc;

	assert_non_null(r);
	assert_non_null(want);
	snprintf(what, sizeof(what), "%s, %s at step %zu (ponr %zu)", m->name,
		 fault_name[f], i, ref->ponr);
	fresh_drive(m);
	r->cancel_after = f == F_CANCEL ? i : SIZE_MAX;
	if (f == F_CUT)
		at = ref->cmds_done[i];
	else if (f == F_ERR)
		at = i ? ref->cmds_done[i - 1] : 0;
	if (f == F_ERR && i == 0) {
		/* the commands before step 0: those of the clean run up to
		 * its first step's end, less the step's own */
		at = ref->cmds_done[0] - 1;
	}
	rc = job(m, r, f, at, false, false, &res, &d);

	/* was the point-of-no-return step's command sent? */
	if (f == F_CUT) {
		size_t j = i + 1;

		while (j < ref->n && (!ref->started[j] ||
				      ref->cmds_done[j] <= at))
			j++;
		sent = j >= ref->ponr;	/* j == n: cut in the come-back */
		plan_cmds(ref, 0, i + 1, false, want);
		check_prefix(what, &r->got, want, false);
		if (!sw.fired)
			fail_msg("%s: the cut never came", what);
	} else if (f == F_CANCEL) {
		sent = i >= ref->ponr;
		plan_cmds(ref, 0, sent ? ref->n : i + 1, false, want);
		if (!sent)
			plan_cmds(ref, i + 1, ref->n, true, want);
		check_prefix(what, &r->got, want, true);
	} else {
		sent = i >= ref->ponr;
		cont = (ref->step[i].flags & ODF_STEP_CLEANUP) &&
		       !unsafe_at(ref, i);
		plan_cmds(ref, 0, i, false, want);
		for (unsigned k = 0; k <= ref->step[i].retries; k++)
			cdbs_add(want, ref->step[i].cdb, ref->step[i].cdb_len);
		plan_cmds(ref, i + 1, ref->n, !cont, want);
		check_prefix(what, &r->got, want, cont);
		/* after the cleanup only the state's INQUIRY */
		for (size_t k = want->n; k < r->got.n; k++)
			if (r->got.cdb[k][0] != 0x12)
				fail_msg("%s: command %zu (opcode %02X) after "
					 "the cleanup", what, k,
					 r->got.cdb[k][0]);
		if (!sw.fired)
			fail_msg("%s: the error never came", what);
	}

	status_of(m, &after, true, &fa, &la);
	if (f == F_ERR && cont) {
		/* a cleanup step's failure while the drive is safe is only
		 * logged: the job goes on and flashes */
		if (rc != m->ok_rc)
			fail_msg("%s: rc %d (%s), the failure of a cleanup "
				 "step should only be logged", what, rc, d.msg);
		assert_string_equal(after.revision, "2.00");
	} else if (!sent) {
		/* exit 2-5: the classes device, rejected, file, refused */
		if (rc >= 0 || res.changed ||
		    odf_err_class(res.err) < ODF_CLASS_DEVICE ||
		    odf_err_class(res.err) > ODF_CLASS_REFUSED)
			fail_msg("%s: rc %d, class %d, result %s, changed %d: "
				 "the drive was not changed (%s)", what, rc,
				 odf_err_class(res.err), res.result, res.changed,
				 d.msg);
		if (f == F_CANCEL)
			assert_string_equal(res.result, "interrupted");
		if (la != lb || memcmp(fa, fb, la) != 0 ||
		    after.mode != ODF_MODE_NORMAL ||
		    strcmp(after.revision, "1.00") != 0)
			fail_msg("%s: rc %d, result %s, changed %d, but the "
				 "flash %s, the drive in %s mode at %s", what,
				 rc, res.result, res.changed,
				 la == lb && memcmp(fa, fb, la) == 0 ?
				 "is unchanged" : "changed",
				 odf_mode_name(after.mode), after.revision);
	} else if (f == F_CANCEL) {
		if (rc != m->ok_rc || !res.changed || r->held != 1)
			fail_msg("%s: rc %d (%s), changed %d, held %zu: a cancel "
				 "after the point of no return is held", what,
				 rc, d.msg, res.changed, r->held);
		assert_int_equal(after.mode, ODF_MODE_NORMAL);
		assert_string_equal(after.revision, "2.00");
	} else {
		struct run *rr = calloc(1, sizeof(*rr));

		if (rc != ODF_E_FLASH || !res.changed || !res.state[0] ||
		    strcmp(res.result, "failed") != 0)
			fail_msg("%s: rc %d, result %s, changed %d, state '%s' "
				 "(%s): a failure after the point of no return "
				 "is 'failed' with the drive's state", what, rc,
				 res.result, res.changed, res.state, d.msg);
		/* powered on (status_of), then recover */
		assert_non_null(rr);
		rr->cancel_after = SIZE_MAX;
		rc = job(m, rr, F_NONE, 0, true, false, &res, &d);
		if (rc != m->ok_rc)
			fail_msg("%s: recover: rc %d: %s", what, rc, d.msg);
		status_of(m, &after, false, NULL, NULL);
		assert_int_equal(after.mode, ODF_MODE_NORMAL);
		assert_string_equal(after.revision, "2.00");
		free(rr);
	}
	free(fa);
	free(r);
	free(want);
}

/* Steps swept: every step a clean run starts, or under valgrind a sample
 * (the first, the two around the point of no return, the last). */
static bool
swept(const struct run *ref, size_t i, bool sample)
{
	size_t last = ref->n;

	while (last > 0 && !ref->started[last - 1])
		last--;
	if (!ref->started[i])
		return false;
	return !sample || i == 0 || i + 1 == ref->ponr || i == ref->ponr ||
	       i + 1 == last;
}

#if defined(__SANITIZE_ADDRESS__)
#define SWEEP_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SWEEP_SANITIZED 1
#endif
#endif
#ifndef SWEEP_SANITIZED
#define SWEEP_SANITIZED 0
#endif

/* Sample this model's steps?  ODF_SWEEP_SAMPLE=0: never; =1 (any other
 * value): always; unset: under valgrind or a sanitizer, and for the
 * models swept in full only on request (`full` false). */
static bool
sample_run(bool full)
{
	const char *e = getenv("ODF_SWEEP_SAMPLE");

	if (e && strcmp(e, "0") == 0)
		return false;
	if (e)
		return true;
	return RUNNING_ON_VALGRIND || SWEEP_SANITIZED || !full;
}

static void
sweep_model(const char *name, bool full)
{
	struct model *m = calloc(1, sizeof(*m));
	bool sample = sample_run(full);
	size_t planned[F_N] = { 0 }, ran[F_N] = { 0 }, steps = 0;
	size_t unsent = 0, nocmd = 0;

	assert_non_null(m);
	model_init(m, name);
	for (size_t i = 0; i < m->ref.n; i++) {
		unsent += !m->ref.started[i];
		if (!swept(&m->ref, i, sample))
			continue;
		steps++;
		for (int f = F_CANCEL; f < F_N; f++) {
			if (f == F_ERR && m->ref.step[i].kind != ODF_STEP_CMD) {
				nocmd++;
				continue;
			}
			planned[f]++;
			run_case(m, i, (enum fault)f);
			ran[f]++;
		}
	}
	print_message("%s: %zu-step plan (point of no return at step %zu; "
		      "%zu steps sent only after a failure), %s %zu steps: "
		      "cancel %zu, power cut %zu, error %zu cases (%zu steps "
		      "without a command of their own)\n", name, m->ref.n,
		      m->ref.ponr, unsent, sample ? "sampled" : "every step "
		      "of", steps, ran[F_CANCEL], ran[F_CUT], ran[F_ERR],
		      nocmd);
	for (int f = F_CANCEL; f < F_N; f++)
		assert_int_equal(ran[f], planned[f]);
	if (!sample)	/* every step index: swept, or never sent */
		assert_int_equal(steps + unsent, m->ref.n);
	assert_int_equal(ran[F_ERR] + nocmd, steps);
	assert_true(ran[F_CANCEL] == steps && ran[F_CUT] == steps);
	assert_true(ran[F_ERR] > 0);
	model_free(m);
	free(m);
}

static void test_nd3500(void **state) { (void)state; sweep_model("nec-nd3500", true); }
static void test_ad7170(void **state) { (void)state; sweep_model("optiarc-ad7170", true); }
static void test_spc(void **state) { (void)state; sweep_model("spc-generic", true); }
static void test_lg(void **state) { (void)state; sweep_model("lg-gsa4163b", true); }
static void test_plextor(void **state) { (void)state; sweep_model("plextor-px716", true); }
/* The later models: sampled unless ODF_SWEEP_SAMPLE=0 (sample_run).
 * Fixed 2026-12-02 (they were skipped before): their write plans' REOPEN
 * step sends the identity INQUIRYs the plan names (plan_cmds), and a
 * Pioneer plan's point of no return is the kernel-mode entry (pioneer.c),
 * so a cancel after it is held until the drive is back in normal mode. */
static void
sweep_later(const char *name)
{
	sweep_model(name, false);
}

static void test_ps3(void **state) { (void)state; sweep_later("ps3-bd"); }
static void test_mtkff(void **state) { (void)state; sweep_later("tsst-se506cb"); }
static void test_mt1339(void **state) { (void)state; sweep_later("tsst-tsh353c"); }
static void test_pioneer109(void **state) { (void)state; sweep_later("pioneer-dvr109"); }
static void test_pioneer104(void **state) { (void)state; sweep_later("pioneer-dvr104"); }

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nd3500),
		cmocka_unit_test(test_ad7170),
		cmocka_unit_test(test_spc),
		cmocka_unit_test(test_lg),
		cmocka_unit_test(test_plextor),
		cmocka_unit_test(test_ps3),
		cmocka_unit_test(test_mtkff),
		cmocka_unit_test(test_mt1339),
		cmocka_unit_test(test_pioneer109),
		cmocka_unit_test(test_pioneer104),
	};

	odf_test_exec_hook = sw_exec;
	/* ODF_SWEEP_ONLY=PATTERN: only the tests it names (test_ps3...) */
	if (getenv("ODF_SWEEP_ONLY"))
		cmocka_set_test_filter(getenv("ODF_SWEEP_ONLY"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
