/* odflash verify DEVICE FILE: does the drive hold FILE?  Re-identifies
 * the drive (revision must be the image's) and reads the firmware back
 * where the protocol can.  Exit 7 on a mismatch. */
#include <stdio.h>
#include <string.h>

#include "../common/cli.h"
#include "commands.h"
#include "job.h"
#include "odf/flash.h"

void cmd_result_json(struct json_object *o, const struct odf_flash_result *r);

int
cmd_verify(int argc, char **argv)
{
	struct odf_flash_opts o;
	struct odf_flash_result r;
	struct odf_diag d;
	const char *pos[2] = { NULL, NULL };
	size_t npos = 0;
	int rc;

	/* several drives: one session each, at once (fleet.c) */
	if (cli_fleet_wanted(CLI_JOB_VERIFY, argc, argv))
		return cli_fleet(CLI_JOB_VERIFY, argc, argv);
	memset(&o, 0, sizeof(o));
	odf_diag_clear(&d);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_out(stdout, "usage: odflash verify DEVICE FILE [--json]\n");
			return 0;
		}
		if (argv[i][0] == '-' && argv[i][1])
			return cli_usage_error("unknown option '%s'", argv[i]);
		if (npos == 2)
			return cli_usage_error("unexpected argument '%s'", argv[i]);
		pos[npos++] = argv[i];
	}
	if (npos < 2)
		return cli_usage_error("needs DEVICE and FILE");
	o.device = pos[0];
	o.file = pos[1];
	rc = cli_job(CLI_JOB_VERIFY, &o, &r, &d);
	if (cli_g.json) {
		struct json_object *j = json_object_new_object();

		cli_json_str(j, "device", o.device);
		cli_json_str(j, "file", o.file);
		cmd_result_json(j, &r);
		cli_json_str(j, "verified", rc != 0 ? NULL :
			     r.readback ? "readback" : "identity");
		if (rc != 0)
			json_object_object_add(j, "error",
					       cli_error_json(&d, rc, &r));
		cli_json_print(j);
	}
	if (rc != 0)
		return cli_fail_result(&d, rc, &r);
	if (!cli_g.json)
		cli_out(stdout, "verified %s: the drive holds %s (revision %s, %s)\n",
		       o.device, o.file, r.after.revision, r.readback ?
		       "firmware read back and compared" :
		       "identity only: this drive cannot be read back");
	return 0;
}
