/* The journal records a job's outcome as data: the error by name
 * ("error"), which a front end maps to its exit code; a line an older
 * version wrote with "exit_code" alone still reads back (issue #11). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helper_tmpdir.h"
#include "odf/flash.h"
#include "odf/ident.h"

static void
test_round_trip(void **state)
{
	static const int errs[] = { 0, ODF_E_SENSE, ODF_E_FLASH, ODF_E_VERIFY,
				    ODF_E_INTERRUPTED, ODF_E_BUSY };
	const size_t n_errs = sizeof(errs) / sizeof(errs[0]);
	struct odf_journal_entry e, *v = NULL;
	struct odf_diag d;
	char dir[512], path[600];
	size_t n = 0, i;
	FILE *f;

	(void)state;
	assert_int_equal(odf_test_mkdtemp(dir, sizeof(dir), "journal"), 0);
	for (i = 0; i < n_errs; i++) {
		memset(&e, 0, sizeof(e));
		snprintf(e.op, sizeof(e.op), "flash");
		snprintf(e.result, sizeof(e.result), "%s", i ? "failed" : "ok");
		e.err = errs[i];
		odf_diag_clear(&d);
		assert_int_equal(odf_journal_append(dir, &e, &d), 0);
	}
	/* a line written before errors were recorded by name */
	snprintf(path, sizeof(path), "%s/journal.jsonl", dir);
	f = fopen(path, "a");
	assert_non_null(f);
	fputs("{\"op\":\"flash\",\"result\":\"rejected\",\"exit_code\":3}\n", f);
	fclose(f);
	assert_int_equal(odf_journal_read(dir, &v, &n, NULL, &d), 0);
	assert_int_equal(n, n_errs + 1);
	for (i = 0; i < n_errs; i++) {
		assert_int_equal(v[i].err, errs[i]);
		assert_int_equal(v[i].exit_code, -1);
	}
	assert_int_equal(v[n_errs].err, 0);
	assert_int_equal(v[n_errs].exit_code, 3);
	assert_string_equal(v[n_errs].result, "rejected");
	free(v);
	assert_int_equal(odf_test_rmtree(dir), 0);
}

static void
line(const char *dir, const char *id, const char *phase, const char *mode,
     const char *result)
{
	struct odf_journal_entry e;
	struct odf_diag d;

	memset(&e, 0, sizeof(e));
	snprintf(e.id, sizeof(e.id), "%s", id);
	snprintf(e.phase, sizeof(e.phase), "%s", phase);
	snprintf(e.mode, sizeof(e.mode), "%s", mode);
	snprintf(e.op, sizeof(e.op), "flash");
	snprintf(e.device, sizeof(e.device), "emu:x");
	snprintf(e.vendor, sizeof(e.vendor), "_NEC");
	snprintf(e.product, sizeof(e.product), "DVD_RW ND-3550A");
	snprintf(e.serial, sizeof(e.serial), "S1");
	snprintf(e.file, sizeof(e.file), "/nonexistent/v2.bin");
	snprintf(e.result, sizeof(e.result), "%s", result);
	odf_diag_clear(&d);
	assert_int_equal(odf_journal_append(dir, &e, &d), 0);
}

/* A read in a vendor mode: its "mode" line replaces the run's "started",
 * a later "started" (the mode left) replaces it; a run that ends at the
 * "mode" line is interrupted in that mode, and for a drive found in safe
 * mode `recover DEVICE` is offered to leave it (ODF_PICK_LEAVE_MODE), not
 * a file; a drive in normal mode is offered nothing for it. */
static void
test_mode_phase(void **state)
{
	struct odf_journal_entry *v = NULL;
	struct odf_recovery_pick pick;
	struct odf_drive_ident id;
	struct odf_diag d;
	char dir[512];
	size_t n = 0;

	(void)state;
	assert_int_equal(odf_test_mkdtemp(dir, sizeof(dir), "journal"), 0);
	/* run A: the read in safe mode ended (mode left), then its outcome */
	line(dir, "A", "started", "", "started");
	line(dir, "A", "mode", "safe", "started");
	line(dir, "A", "started", "", "started");
	line(dir, "A", "outcome", "", "refused");
	/* run B: killed in the read */
	line(dir, "B", "started", "", "started");
	line(dir, "B", "mode", "safe", "started");
	assert_int_equal(odf_journal_read(dir, &v, &n, NULL, &d), 0);
	assert_int_equal(n, 2);
	assert_true(v[0].outcome_recorded);
	assert_string_equal(v[0].result, "refused");
	assert_false(v[1].outcome_recorded);
	assert_string_equal(v[1].phase, "mode");
	assert_string_equal(v[1].mode, "safe");
	assert_string_equal(v[1].result, "interrupted");
	free(v);

	memset(&id, 0, sizeof(id));
	snprintf(id.vendor, sizeof(id.vendor), "_NEC");
	snprintf(id.product, sizeof(id.product), "DVD_RW ND-3550A");
	snprintf(id.serial, sizeof(id.serial), "S1");
	id.mode = ODF_MODE_SAFE;
	assert_int_equal(odf_journal_pick_recovery(dir, "emu:x", &id, &pick,
						   &d), 0);
	assert_int_equal(pick.why, ODF_PICK_LEAVE_MODE);
	assert_string_equal(pick.mode, "safe");
	assert_string_equal(pick.file, "");
	assert_true(pick.by_serial);
	/* in normal mode: nothing to leave, and the run wrote nothing */
	id.mode = ODF_MODE_NORMAL;
	assert_int_equal(odf_journal_pick_recovery(dir, "emu:x", &id, &pick,
						   &d), 0);
	assert_int_equal(pick.why, ODF_PICK_NONE);
	/* another drive's run: not this one's */
	id.mode = ODF_MODE_SAFE;
	snprintf(id.serial, sizeof(id.serial), "S2");
	assert_int_equal(odf_journal_pick_recovery(dir, "emu:x", &id, &pick,
						   &d), 0);
	assert_int_equal(pick.why, ODF_PICK_NONE);
	/* the mode left (a later "started" line): not offered */
	snprintf(id.serial, sizeof(id.serial), "S1");
	line(dir, "B", "started", "", "started");
	assert_int_equal(odf_journal_pick_recovery(dir, "emu:x", &id, &pick,
						   &d), 0);
	assert_int_equal(pick.why, ODF_PICK_NONE);
	assert_int_equal(odf_test_rmtree(dir), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_mode_phase),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
