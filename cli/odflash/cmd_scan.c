/* odflash scan: every optical drive the kernel knows (sysfs), plus the
 * emulated drives named in ODFLASH_EMU.  Read-only: INQUIRY and the
 * drivers' read-only probes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/cli.h"
#include "../common/drive.h"
#include "commands.h"
#include "job.h"

/* Drives in ODFLASH_EMU: state paths separated by ':' or ','. */
static int
add_emulated(struct cli_drive **v, size_t *n)
{
	const char *env = getenv("ODFLASH_EMU");
	char *copy, *tok, *save = NULL;

	if (env == NULL || env[0] == '\0')
		return 0;
	copy = strdup(env);
	if (copy == NULL)
		return ODF_E_NOMEM;
	for (tok = strtok_r(copy, ":,", &save); tok != NULL;
	     tok = strtok_r(NULL, ":,", &save)) {
		struct cli_drive *nv = realloc(*v, (*n + 1) * sizeof(**v));
		char name[280];

		if (nv == NULL) {
			free(copy);
			return ODF_E_NOMEM;
		}
		*v = nv;
		memset(&nv[*n], 0, sizeof(nv[*n]));
		snprintf(name, sizeof(name), "emu:%s", tok);
		(void)cli_drive_probe(name, &nv[*n], NULL, NULL);
		/* keep the name the user can pass back */
		snprintf(nv[*n].device, sizeof(nv[*n].device), "%s", name);
		(*n)++;
	}
	free(copy);
	return 0;
}

int
cli_scan_drives(struct cli_drive **out, size_t *nout, bool *denied,
		struct odf_diag *d)
{
	struct odf_scan_entry *list = NULL;
	struct cli_drive *v = NULL;
	const char *sysfs;
	size_t n = 0, nd = 0, i;
	int rc;

	*out = NULL;
	*nout = 0;
	*denied = false;
	sysfs = odf_ctx_path(cli_g.ctx, ODF_PATH_SYSFS_ROOT);
	rc = odf_scan(sysfs ? sysfs : "/sys", &list, &n, d);
	if (rc != 0)
		return rc;
	if (n > 0) {
		v = calloc(n, sizeof(*v));
		if (v == NULL) {
			free(list);
			return ODF_E_NOMEM;
		}
	}
	for (i = 0; i < n; i++) {
		const struct odf_dev_info *in = &list[i].info;
		const char *name = in->sg_path[0] ? in->sg_path :
				   in->block_path[0] ? in->block_path : in->hctl;

		cli_drive_from_info(&v[nd], in);
		/* a read-only INQUIRY; the sr node is usually group
		 * cdrom while sg may be root-only, so try sr first */
		if (in->block_path[0])
			name = in->block_path;
		(void)cli_drive_probe(name, &v[nd], NULL, NULL);
		if (v[nd].open_err == ODF_E_ACCESS)
			*denied = true;
		nd++;
	}
	free(list);
	rc = add_emulated(&v, &nd);
	if (rc != 0) {
		free(v);
		return rc;
	}
	*out = v;
	*nout = nd;
	return 0;
}

int
cmd_scan(int argc, char **argv)
{
	struct cli_drive *v = NULL;
	struct odf_diag d;
	size_t nd = 0, i;
	bool denied = false;
	int rc;

	if (argc > 1)
		return cli_usage_error(argv[1][0] == '-' ?
				       "unknown option '%s'" :
				       "unexpected argument '%s' (scan takes "
				       "no device)", argv[1]);
	odf_diag_clear(&d);
	rc = cli_scan_drives(&v, &nd, &denied, &d);
	if (rc != 0)
		return cli_fail(rc == ODF_E_NOMEM ? NULL : &d, rc);
	if (denied) {
		cli_warn("some drives could not be opened (permission denied)");
		cli_hint("add yourself to the 'cdrom' group (sudo usermod -aG "
			 "cdrom $USER, then log in again) or run as root");
	}
	if (cli_g.json) {
		struct json_object *o = json_object_new_object();
		struct json_object *a = json_object_new_array();

		for (i = 0; i < nd; i++)
			json_object_array_add(a, cli_drive_json(&v[i]));
		json_object_object_add(o, "drives", a);
		free(v);
		return cli_json_print(o);
	}
	if (nd == 0)
		cli_note("no optical drive found");
	for (i = 0; i < nd; i++)
		cli_drive_print_line(stdout, &v[i]);
	free(v);
	if (fflush(stdout) != 0)
		return CLI_EXIT_INTERNAL;
	return 0;
}
