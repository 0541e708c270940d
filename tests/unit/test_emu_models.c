/* odemu model table: odemu_model_names() lists every model, in table
 * order, separated by one space, never truncated (it used to be built in
 * a 256-byte buffer that the growing table would overflow); every name is
 * unique and found again by odemu_model_find(). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "emu.h"
#include "odemu/odemu.h"

static void
test_model_names_whole_table(void **st)
{
	const char *names = odemu_model_names();
	struct odemu_model_info mi;
	size_t want = 0, n = 0, off = 0;

	(void)st;
	assert_non_null(names);
	for (size_t i = 0; odemu_model_info(i, &mi) == 0; i++) {
		size_t l = strlen(mi.name);

		/* in table order, one space between names */
		assert_int_equal(strncmp(names + off, mi.name, l), 0);
		assert_true(names[off + l] == ' ' || names[off + l] == '\0');
		off += l + 1;
		want += l + (i ? 1 : 0);
		n++;
		/* the name maps back to its model */
		assert_non_null(odemu_model_find(mi.name));
		assert_string_equal(odemu_model_find(mi.name)->name, mi.name);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(odemu_model_at(j)->name,
						mi.name);
	}
	assert_true(n >= 7);
	assert_int_equal(strlen(names), want);
	/* the same buffer every time */
	assert_ptr_equal(odemu_model_names(), names);
	assert_null(odemu_model_at(n));
	assert_null(odemu_model_find("no-such-drive"));
}

/* The unknown-model message carries the whole list too. */
static void
test_model_names_in_message(void **st)
{
	struct odf_diag d;
	uint8_t *img = NULL;
	size_t len = 0;

	(void)st;
	odf_diag_clear(&d);
	assert_int_equal(odemu_mkimage("no-such-drive", NULL, &img, &len, &d),
			 ODF_E_USAGE);
	assert_null(img);
	assert_non_null(strstr(d.hint, odemu_model_names()));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_model_names_whole_table),
		cmocka_unit_test(test_model_names_in_message),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
