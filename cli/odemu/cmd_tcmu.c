/* odemu tcmu STATE [options]: the command line of the TCMU front end
 * (emu/tcmu/tcmu.c serves; this file parses its arguments and prints
 * what it reports). */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../common/cli.h"
#include "cmd_tcmu.h"
#include "tcmu/tcmu.h"

static void
usage(FILE *f)
{
	fprintf(f,
		"Usage: odemu tcmu STATE [--device NAME] [--uio /dev/uioN] "
		"[--wait SECONDS] [-v]\n"
		"Serve the emulated drive in STATE to the Linux kernel through\n"
		"target_core_user.  Create a user backstore first (configfs:\n"
		"target/core/user_N/NAME, control \"dev_config=NAME/CFG\",\n"
		"enable 1) and link it to a fabric LUN (tcm_loop).\n"
		"  --device NAME  backstore name, cfgstring or full UIO name\n"
		"                 \"tcm-user/HBA/NAME/CFG\" (default: the only\n"
		"                 tcm-user UIO device)\n"
		"  --uio DEV      use this UIO device node\n"
		"  --wait SECONDS wait up to SECONDS for the UIO device\n"
		"  -v, -vv        log unavailable-drive answers / every CDB\n"
		"Stops on SIGTERM or SIGINT.\n");
}

static int
parse_args(int argc, char **argv, struct odemu_tcmu_opts *o)
{
	int i;

	memset(o, 0, sizeof *o);
	o->verbose = cli_g.verbose;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return -2;
		} else if (strcmp(a, "-v") == 0) {
			o->verbose++;
		} else if (strcmp(a, "-vv") == 0) {
			o->verbose += 2;
		} else if (strcmp(a, "--device") == 0 ||
			   strcmp(a, "--uio") == 0 ||
			   strcmp(a, "--wait") == 0) {
			if (i + 1 >= argc)
				return cli_usage_error("%s needs a value", a);
			if (a[2] == 'd') {
				o->match = argv[++i];
			} else if (a[2] == 'u') {
				o->uio = argv[++i];
			} else {
				struct odf_diag d = { 0 };
				uint64_t v;

				if (cli_parse_u64(argv[++i], 0, 3600, &v,
						  &d) != 0)
					return cli_usage_error("--wait: %s",
							       d.msg);
				o->wait_s = (unsigned)v;
			}
		} else if (a[0] == '-' && a[1] != '\0') {
			return cli_usage_error("unknown option '%s'", a);
		} else if (!o->state) {
			o->state = a;
		} else {
			return cli_usage_error("unexpected argument '%s'", a);
		}
	}
	if (!o->state)
		return cli_usage_error("missing STATE (a file made by "
				       "'odemu new')");
	return 0;
}

static void
tcmu_say(enum odemu_tcmu_level level, const char *fmt, va_list ap)
{
	char msg[512];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	switch (level) {
	case ODEMU_TCMU_NOTE: cli_note("%s", msg); break;
	case ODEMU_TCMU_WARN: cli_warn("%s", msg); break;
	case ODEMU_TCMU_ERR: cli_err("%s", msg); break;
	case ODEMU_TCMU_HINT: cli_hint("%s", msg); break;
	}
}

int
odemu_cmd_tcmu(int argc, char **argv)
{
	struct odemu_tcmu_opts o;
	struct odf_diag d = { 0 };
	int rc;

	rc = parse_args(argc, argv, &o);
	if (rc == -2)
		return CLI_EXIT_OK;
	if (rc != 0)
		return rc;
	o.say = tcmu_say;
	rc = odemu_tcmu_serve(&o, &d);
	if (rc < 0)
		return cli_fail(&d, rc);
	return rc;
}
