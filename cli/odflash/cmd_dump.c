/* odflash dump DEVICE [-o FILE] [--raw] [--chunk BYTES]: back up the
 * firmware in the family's own file format (flashable back by odflash and
 * the family's classic flasher), or the whole flash with --raw; reads no
 * larger than --chunk or the path's cap.  Never overwrites; a dump that
 * is not a valid image is kept as found (exit 7). */
#include <stdio.h>
#include <string.h>

#include "../common/cli.h"
#include "commands.h"
#include "job.h"
#include "odf/flash.h"

void cmd_result_json(struct json_object *o, const struct odf_flash_result *r);

int
cmd_dump(int argc, char **argv)
{
	struct odf_flash_opts o;
	struct odf_flash_result r;
	struct odf_diag d;
	int rc;

	/* several drives: one session each, at once (fleet.c) */
	if (cli_fleet_wanted(CLI_JOB_DUMP, argc, argv))
		return cli_fleet(CLI_JOB_DUMP, argc, argv);
	memset(&o, 0, sizeof(o));
	odf_diag_clear(&d);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			cli_out(stdout, "usage: odflash dump DEVICE [-o FILE] [--raw] "
			       "[--chunk BYTES] [--json]\n");
			return 0;
		} else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
			if (++i >= argc)
				return cli_usage_error("-o needs a FILE");
			o.out = argv[i];
		} else if (strcmp(a, "--raw") == 0) {
			o.raw = true;
		} else if (strcmp(a, "--chunk") == 0) {
			uint64_t v;

			if (++i >= argc)
				return cli_usage_error("--chunk needs BYTES");
			if (cli_parse_u64(argv[i], 1, 16u << 20, &v, &d) < 0)
				return cli_usage_error("%s", d.msg);
			o.chunk = (size_t)v;
		} else if (a[0] == '-' && a[1]) {
			return cli_usage_error("unknown option '%s'", a);
		} else if (o.device) {
			return cli_usage_error("unexpected argument '%s'", a);
		} else {
			o.device = a;
		}
	}
	if (!o.device)
		return cli_usage_error("missing DEVICE");
	rc = cli_job(CLI_JOB_DUMP, &o, &r, &d);
	if (cli_g.json) {
		struct json_object *j = json_object_new_object();

		cli_json_str(j, "device", o.device);
		cli_json_str(j, "file", r.out[0] ? r.out : o.out);
		cmd_result_json(j, &r);
		cli_json_int(j, "size", (int64_t)r.size);
		cli_json_bool(j, "raw", o.raw);
		cli_json_bool(j, "as_found", strcmp(r.result, "as-found") == 0);
		cli_json_str(j, "check", r.dump_check);
		if (rc != 0)
			json_object_object_add(j, "error",
					       cli_error_json(&d, rc, &r));
		cli_json_print(j);
	}
	if (rc != 0 && strcmp(r.result, "as-found") == 0)
		cli_warn("THE DUMP IS NOT A BACKUP: %s holds the drive's flash "
			 "as found; flashing it back would not repair the "
			 "drive", r.out);
	if (rc != 0)
		return cli_fail_result(&d, rc, &r);
	if (!cli_g.json)
		cli_out(stdout, "dumped %s to %s: %zu bytes, sha256 %s, %s\n",
		       o.device, r.out, r.size, r.sha256, o.raw ?
		       "the raw flash (read twice, identical; not parsed)" :
		       r.dump_check && strcmp(r.dump_check, "no-checksum") == 0 ?
		       "a valid image (parsed; the format has no checksum)" :
		       "a valid image (parsed, checksum good)");
	return 0;
}
