/* Windows device names (lib/transport/winname.c): D:, \\.\D:, CdRomN and
 * \\.\CdRomN to the device path CreateFile takes; everything else
 * refused.  Pure string work, so it runs on Linux and under Wine. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "transport/backend.h"

static void
test_accepted(void **st)
{
	static const struct { const char *in, *path; char letter; } ok[] = {
		{ "D:", "\\\\.\\D:", 'D' },
		{ "d:", "\\\\.\\D:", 'D' },
		{ "e", "\\\\.\\E:", 'E' },
		{ "\\\\.\\D:", "\\\\.\\D:", 'D' },
		{ "//./z:", "\\\\.\\Z:", 'Z' },
		{ "CdRom0", "\\\\.\\CdRom0", 0 },
		{ "cdrom12", "\\\\.\\CdRom12", 0 },
		{ "\\\\.\\CDROM3", "\\\\.\\CdRom3", 0 },
	};
	char path[64], letter;
	size_t n = 0;

	(void)st;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++, n++) {
		assert_int_equal(odfi_win_devpath(ok[i].in, path, sizeof(path),
						  &letter), 0);
		assert_string_equal(path, ok[i].path);
		assert_int_equal(letter, ok[i].letter);
	}
	assert_int_equal(n, 8);
}

static void
test_refused(void **st)
{
	static const char *const bad[] = {
		"", "/dev/sr0", "D:\\", "DD:", "1:", "CdRom", "CdRom-1",
		"CdRom1x", "CdRom1000", "\\\\.\\", "\\\\.\\PhysicalDrive0",
		"emu:x", "2:0:0:0",
	};
	char path[64], letter = 'x';
	size_t n = 0;

	(void)st;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++, n++)
		assert_int_equal(odfi_win_devpath(bad[i], path, sizeof(path),
						  &letter), -1);
	assert_int_equal(n, 13);
	/* a path buffer too small is refused, not cut */
	assert_int_equal(odfi_win_devpath("D:", path, 6, &letter), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepted),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
