/* odflash history [--json]: past flashes, recoveries, dumps and
 * verifications, from the journal ($XDG_STATE_HOME/odflash/journal.jsonl). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/cli.h"
#include "commands.h"
#include "odf/flash.h"

/* The exit code odflash gave: from the outcome's error (a line written
 * before the journal named errors recorded the code itself). */
static int
exit_of(const struct odf_journal_entry *e)
{
	return e->err == 0 && e->exit_code >= 0 ? e->exit_code :
	       cli_exit_code(e->err);
}

int
cmd_history(int argc, char **argv)
{
	struct odf_journal_entry *v = NULL;
	struct odf_diag d;
	char dir[4096];
	size_t n = 0;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_out(stdout, "usage: odflash history [--json]\n");
			return 0;
		}
		return cli_usage_error("unexpected argument '%s'", argv[i]);
	}
	odf_diag_clear(&d);
	rc = cli_state_dir(dir, sizeof(dir), &d);
	if (rc == 0)
		rc = odf_journal_read(dir, &v, &n, &d);
	if (rc != 0)
		return cli_fail(&d, rc);
	if (cli_g.json) {
		struct json_object *j = json_object_new_object();
		struct json_object *a = json_object_new_array();

		for (size_t i = 0; i < n; i++) {
			struct json_object *e = json_object_new_object();

			cli_json_str(e, "time", v[i].time);
			cli_json_str(e, "op", v[i].op);
			cli_json_str(e, "device", v[i].device);
			cli_json_str(e, "file", v[i].file);
			cli_json_str(e, "sha256", v[i].sha256);
			cli_json_str(e, "result", v[i].result);
			cli_json_int(e, "exit_code", exit_of(&v[i]));
			cli_json_str(e, "vendor", v[i].vendor);
			cli_json_str(e, "model", v[i].product);
			cli_json_str(e, "revision_before", v[i].rev_before);
			cli_json_str(e, "revision_after", v[i].rev_after);
			cli_json_str(e, "target", v[i].target);
			cli_json_str(e, "serial", v[i].serial);
			cli_json_str(e, "backup", v[i].backup);
			cli_json_str(e, "message", v[i].message);
			json_object_array_add(a, e);
		}
		json_object_object_add(j, "entries", a);
		free(v);
		return cli_json_print(j);
	}
	if (n == 0)
		cli_out(stdout, "no flashes or dumps recorded yet (%s/journal.jsonl)\n",
		       dir);
	for (size_t i = 0; i < n; i++)
		cli_out(stdout, "%s  %-7s %-14s %s %s %s -> %s  %s  exit %d%s%s\n",
		       v[i].time, v[i].op, v[i].result, v[i].device,
		       v[i].product, v[i].rev_before[0] ? v[i].rev_before : "?",
		       v[i].rev_after[0] ? v[i].rev_after : "-", v[i].file,
		       exit_of(&v[i]), v[i].message[0] ? ": " : "",
		       v[i].message);
	free(v);
	return fflush(stdout) == 0 ? 0 : CLI_EXIT_INTERNAL;
}
