/* odemu models, new, power-on, log: the drive as a whole; and the admin
 * open every command on a STATE uses (moved from cli/odemu/main.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/cli.h"
#include "odemu/odemu.h"
#include "odf/image.h"
#include "commands.h"

/* ---- models ---------------------------------------------------------------- */
int
cmd_models(int argc, char **argv)
{
	struct odemu_model_info mi;
	struct json_object *o = NULL, *arr = NULL;

	(void)argv;
	if (argc > 1)
		return cli_usage_error("takes no arguments");
	if (cli_g.json) {
		o = json_object_new_object();
		arr = json_object_new_array();
	}
	for (size_t i = 0; odemu_model_info(i, &mi) == 0; i++) {
		if (o) {
			struct json_object *m = json_object_new_object();
			cli_json_str(m, "name", mi.name);
			cli_json_str(m, "description", mi.description);
			cli_json_str(m, "family", odf_family_name(mi.family));
			cli_json_str(m, "vendor", mi.vendor);
			cli_json_str(m, "product", mi.product);
			cli_json_str(m, "default_version", mi.default_version);
			cli_json_int(m, "flash_size", mi.flash_size);
			json_object_array_add(arr, m);
		} else {
			cli_out(stdout, "%-16s %-10s %s\n", mi.name,
			       odf_family_name(mi.family), mi.description);
		}
	}
	if (o) {
		json_object_object_add(o, "models", arr);
		return cli_json_print(o);
	}
	return 0;
}

/* ---- new ------------------------------------------------------------------- */
static int
parse_scale(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v >= 0.0) || v > 1000.0)
		return -1;
	*out = v;
	return 0;
}

int
cmd_new(int argc, char **argv)
{
	struct odemu_new_opts o;
	struct odf_diag d;
	const char *model = NULL, *state = NULL;
	char str[4][64];	/* serial, vendor, product, revision */
	static const char *const sopt[4] = { "--serial", "--vendor",
					     "--product", "--revision" };
	int rc;

	memset(&o, 0, sizeof(o));
	odf_diag_clear(&d);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int k;

		for (k = 0; k < 4 && strcmp(a, sopt[k]) != 0; k++)
			;
		if (k < 4) {
			/* any bytes: a test plays a hostile device */
			if (i + 1 >= argc)
				return cli_usage_error("%s needs a value", a);
			if (cli_unescape(argv[++i], str[k], sizeof(str[k]),
					 &d) < 0)
				return cli_usage_error("%s '%s': %s", a,
						       argv[i], d.msg);
			if (k == 0)
				o.serial = str[k];
			else if (k == 1)
				o.vendor = str[k];
			else if (k == 2)
				o.product = str[k];
			else
				o.revision = str[k];
		} else if (strcmp(a, "--version") == 0 ||
			   strcmp(a, "--firmware") == 0 ||
			   strcmp(a, "--time-scale") == 0) {
			if (i + 1 >= argc)
				return cli_usage_error("%s needs a value", a);
			if (strcmp(a, "--version") == 0)
				o.version = argv[++i];
			else if (strcmp(a, "--firmware") == 0)
				o.firmware = argv[++i];
			else if (parse_scale(argv[++i], &o.time_scale) < 0)
				return cli_usage_error("--time-scale wants a "
						       "number from 0 to 1000, "
						       "got '%s'", argv[i]);
		} else if (a[0] == '-' && a[1]) {
			return cli_usage_error("unknown option '%s'", a);
		} else if (model == NULL) {
			model = a;
		} else if (state == NULL) {
			state = a;
		} else {
			return cli_usage_error("unexpected argument '%s'", a);
		}
	}
	if (model == NULL || state == NULL)
		return cli_usage_error("usage: odemu new MODEL STATE [--version V]"
				       " [--firmware FILE] [--serial S] "
				       "[--time-scale F] (models: %s)",
				       odemu_model_names());
	if (o.version && o.firmware)
		return cli_usage_error("--version and --firmware exclude each "
				       "other: the firmware carries its "
				       "version");
	rc = odemu_create(model, state, &o, &d);
	if (rc < 0)
		return cli_fail(&d, rc);
	cli_note("created %s drive at %s", model, state);
	return 0;
}


int
open_admin(const char *path, struct odemu **e)
{
	struct odf_diag d;
	int rc;

	odf_diag_clear(&d);
	rc = odemu_open_admin(path, e, &d);
	if (rc < 0)
		return cli_fail(&d, rc);
	return 0;
}


/* ---- power-on -------------------------------------------------------------- */
int
cmd_power_on(int argc, char **argv)
{
	struct odemu *e;
	struct odemu_status s;
	struct odf_diag d;
	int rc;

	if (argc != 2 || argv[1][0] == '-')
		return cli_usage_error("usage: odemu power-on STATE");
	rc = open_admin(argv[1], &e);
	if (rc)
		return rc;
	odf_diag_clear(&d);
	rc = odemu_power_on(e, &d);
	if (rc == 0)
		odemu_get_status(e, &s);
	odemu_close(e);
	if (rc < 0)
		return cli_fail(&d, rc);
	cli_note("powered on: %s mode, revision %s", odf_mode_name(s.mode),
		 s.revision);
	return 0;
}


int
cmd_log(int argc, char **argv)
{
	struct odemu *e;
	char buf[65536];
	FILE *f;
	size_t n;
	int rc;

	if (argc != 2 || argv[1][0] == '-')
		return cli_usage_error("usage: odemu log STATE");
	rc = open_admin(argv[1], &e);
	if (rc)
		return rc;
	f = fopen(odemu_log_path(e), "r");
	odemu_close(e);
	if (f == NULL)
		return 0;		/* no command yet */
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, stdout);
	fclose(f);
	return 0;
}
