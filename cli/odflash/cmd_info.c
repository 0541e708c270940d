/* odflash info DEVICE: identity, capabilities, firmware date, microcode
 * feature, profiles, RPC state, media, mode and driver.  Read-only; a
 * command the drive rejects is shown as "not supported". */
#include <stdio.h>
#include <string.h>

#include "../common/cli.h"
#include "../common/drive.h"
#include "commands.h"

int
cmd_info(int argc, char **argv)
{
	struct cli_drive dr;
	struct cli_drive_more more;
	struct odf_dev *dev = NULL;
	struct odf_diag d;
	const char *name = NULL;
	int i, rc;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			if (i + 1 < argc && name == NULL)
				name = argv[++i];
			if (i + 1 < argc)
				return cli_usage_error("unexpected argument "
						       "'%s'", argv[i + 1]);
			break;
		}
		if (argv[i][0] == '-' && argv[i][1] != '\0')
			return cli_usage_error("unknown option '%s'", argv[i]);
		if (name != NULL)
			return cli_usage_error("unexpected argument '%s' (info "
					       "takes one DEVICE)", argv[i]);
		name = argv[i];
	}
	if (name == NULL)
		return cli_usage_error("missing DEVICE (for example /dev/sr0, "
				       "/dev/sg1, 2:0:0:0 or emu:PATH; "
				       "'odflash scan' lists them)");
	memset(&dr, 0, sizeof(dr));
	odf_diag_clear(&d);
	rc = cli_drive_probe(name, &dr, &dev, &d);
	if (rc != 0)
		return cli_fail(&d, rc);
	cli_drive_query_more(dev, &more);
	odf_dev_close(dev);
	if (cli_g.json) {
		struct json_object *o = cli_drive_json(&dr);

		cli_drive_json_more(o, &dr, &more);
		return cli_json_print(o);
	}
	cli_drive_print_info(stdout, &dr, &more);
	if (fflush(stdout) != 0)
		return CLI_EXIT_INTERNAL;
	return 0;
}
