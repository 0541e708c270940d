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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
