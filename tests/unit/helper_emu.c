/* Every unit test binary but test_noemu_* links libodemu: register its
 * "emu:" transport backend before main, as odflash and odemu do. */
#include <stdlib.h>

#include "odemu/odemu.h"

static void register_emu(void) __attribute__((constructor));

static void
register_emu(void)
{
	if (odemu_transport_register() < 0)
		abort();
}
