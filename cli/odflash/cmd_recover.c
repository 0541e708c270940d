/* odflash recover DEVICE FILE: bring back a drive stuck in safe or boot
 * mode -- the flash pipeline with the driver's recovery plan (the flash
 * plan minus the steps that need normal mode) and no backup. */
#include <stdbool.h>

#include "commands.h"

int cmd_flash_common(int argc, char **argv, bool recover);

int
cmd_recover(int argc, char **argv)
{
	return cmd_flash_common(argc, argv, true);
}
