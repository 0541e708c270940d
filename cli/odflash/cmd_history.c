/* PLACEHOLDER until the flashing pipeline lands: replaced by lib/flash. */
#include <stdio.h>

#include "commands.h"

int
cmd_history(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "odflash history: not available in this build yet\n");
	return 10;
}
