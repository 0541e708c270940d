/* The library context: defaults, knobs, paths, log threshold, clock, and
 * two contexts that do not see each other. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "odf/ctx.h"

struct sink {
	int calls;
	char last[128];
};

static void
sink_fn(void *user, int level, const char *msg)
{
	struct sink *s = user;
	(void)level;
	s->calls++;
	snprintf(s->last, sizeof(s->last), "%s", msg);
}

static void
test_defaults(void **state)
{
	struct odf_ctx *c = odf_ctx_new();
	(void)state;
	assert_non_null(c);
	assert_int_equal(odf_ctx_knob(c, ODF_KNOB_POLL_MS, 250), 250);
	assert_null(odf_ctx_path(c, ODF_PATH_MOUNTS));
	assert_false(odf_ctx_log_enabled(c, ODF_LOG_ERR));
	/* a NULL context is "all defaults" */
	assert_int_equal(odf_ctx_knob(NULL, ODF_KNOB_REOPEN_DELAY_MS, 500), 500);
	assert_null(odf_ctx_path(NULL, ODF_PATH_SYSFS_ROOT));
	odf_ctx_log(NULL, ODF_LOG_ERR, "dropped %d", 1);
	odf_ctx_free(c);
}

static void
test_knobs_and_paths(void **state)
{
	struct odf_ctx *c = odf_ctx_new();
	char buf[16] = "/tmp/a";
	(void)state;
	assert_int_equal(odf_ctx_set_knob(c, ODF_KNOB_POLL_MS, 5), 0);
	assert_int_equal(odf_ctx_knob(c, ODF_KNOB_POLL_MS, 250), 5);
	assert_int_equal(odf_ctx_set_knob(c, ODF_KNOB_WAIT_MAX_MS, 0), 0);
	assert_int_equal(odf_ctx_knob(c, ODF_KNOB_WAIT_MAX_MS, 60000), 0);
	assert_int_equal(odf_ctx_set_knob(c, ODF_KNOB_POLL_MS, -2), ODF_E_USAGE);
	assert_int_equal(odf_ctx_set_knob(c, ODF_KNOB_COUNT, 1), ODF_E_USAGE);
	assert_int_equal(odf_ctx_set_knob(c, ODF_KNOB_POLL_MS, -1), 0);
	assert_int_equal(odf_ctx_knob(c, ODF_KNOB_POLL_MS, 250), 250);
	/* the path is copied */
	assert_int_equal(odf_ctx_set_path(c, ODF_PATH_STATE_DIR, buf), 0);
	buf[5] = 'b';
	assert_string_equal(odf_ctx_path(c, ODF_PATH_STATE_DIR), "/tmp/a");
	assert_int_equal(odf_ctx_set_path(c, ODF_PATH_STATE_DIR, NULL), 0);
	assert_null(odf_ctx_path(c, ODF_PATH_STATE_DIR));
	odf_ctx_free(c);
}

static void
test_two_contexts_apart(void **state)
{
	struct odf_ctx *a = odf_ctx_new(), *b = odf_ctx_new();
	struct sink sa = { 0 }, sb = { 0 };
	(void)state;
	odf_ctx_set_log(a, sink_fn, &sa, ODF_LOG_INFO);
	odf_ctx_set_log(b, sink_fn, &sb, ODF_LOG_WARN);
	odf_ctx_set_knob(a, ODF_KNOB_POLL_MS, 5);
	odf_ctx_log(a, ODF_LOG_INFO, "a %s", "info");
	odf_ctx_log(b, ODF_LOG_INFO, "b %s", "info");	/* over b's threshold */
	odf_ctx_log(b, ODF_LOG_WARN, "b %s", "warn");
	assert_int_equal(sa.calls, 1);
	assert_string_equal(sa.last, "a info");
	assert_int_equal(sb.calls, 1);
	assert_string_equal(sb.last, "b warn");
	assert_int_equal(odf_ctx_knob(b, ODF_KNOB_POLL_MS, 250), 250);
	odf_ctx_free(a);
	odf_ctx_free(b);
}

static uint64_t fake_now;
static unsigned slept;

static uint64_t
fake_now_ns(void *user)
{
	(void)user;
	return fake_now;
}

static void
fake_sleep(void *user, unsigned ms)
{
	(void)user;
	slept += ms;
	fake_now += (uint64_t)ms * 1000000u;
}

static void
test_clock(void **state)
{
	struct odf_ctx *c = odf_ctx_new();
	const struct odf_clock clk = { fake_now_ns, fake_sleep, NULL };
	uint64_t t;
	(void)state;
	odf_ctx_set_clock(c, &clk);
	fake_now = 1000;
	odf_ctx_sleep_ms(c, 30);
	assert_int_equal(slept, 30);
	assert_int_equal(odf_ctx_now_ns(c), 1000 + 30 * 1000000u);
	odf_ctx_set_clock(c, NULL);	/* the system clock again */
	t = odf_ctx_now_ns(c);
	odf_ctx_sleep_ms(c, 1);
	assert_true(odf_ctx_now_ns(c) >= t + 1000000u);
	assert_int_equal(slept, 30);
	odf_ctx_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_knobs_and_paths),
		cmocka_unit_test(test_two_contexts_apart),
		cmocka_unit_test(test_clock),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
