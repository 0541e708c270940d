/* odemu fault: the fault options, parsed from the one fault table
 * (emu/faults.c) (moved from cli/odemu/main.c). */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "../common/cli.h"
#include "odemu/odemu.h"
#include "commands.h"
#include "util/platform.h"

/* ---- fault ----------------------------------------------------------------- */
static int
num_arg(int argc, char **argv, int *i, uint64_t min, uint64_t max,
	uint64_t *out)
{
	struct odf_diag d;
	const char *opt = argv[*i];

	if (*i + 1 >= argc)
		return cli_usage_error("%s needs a value", opt);
	odf_diag_clear(&d);
	if (cli_parse_u64(argv[++*i], min, max, out, &d) < 0)
		return cli_usage_error("%s: %s", opt, d.msg);
	return 0;
}

/* "04/3E/01" -> 0x043E01; "off" -> 0. */
static int
sense_arg(int argc, char **argv, int *i, int64_t *out)
{
	const char *opt = argv[*i];
	unsigned k, a, q;
	char tail;

	if (*i + 1 >= argc)
		return cli_usage_error("%s needs a sense KK/AA/QQ or off", opt);
	++*i;
	if (strcmp(argv[*i], "off") == 0) {
		*out = 0;
		return 0;
	}
	if (sscanf(argv[*i], "%2x/%2x/%2x%c", &k, &a, &q, &tail) != 3 ||
	    k == 0 || k > 0xF)
		return cli_usage_error("%s wants a sense KK/AA/QQ in hex with "
				       "a key of 01 to 0F (e.g. 04/3E/01), or "
				       "off; got '%s'", opt, argv[*i]);
	*out = (int64_t)(k << 16 | a << 8 | q);
	return 0;
}

/* the fault table entry settable as --NAME, or -1 */
static int
fault_by_name(const char *name)
{
	const struct odemu_fault_desc *t = odemu_fault_table();

	for (unsigned i = 0; i < ODEMU_FAULT_N; i++)
		if (t[i].kind != ODEMU_FK_STATUS &&
		    strcmp(t[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* --NAME [VALUE] of fault table entry k into f */
static int
fault_arg(int argc, char **argv, int *i, unsigned k,
	  struct odemu_fault_opts *f)
{
	const struct odemu_fault_desc *t = &odemu_fault_table()[k];
	uint64_t u;
	int rc = 0;

	switch (t->kind) {
	case ODEMU_FK_COUNT:
		rc = num_arg(argc, argv, i, t->min, t->max, &u);
		f->val[k] = (int64_t)u;
		break;
	case ODEMU_FK_FLAG:
		f->val[k] = 1;
		if (!t->takes_value)
			break;
		if (*i + 1 >= argc || (strcmp(argv[*i + 1], "on") != 0 &&
				       strcmp(argv[*i + 1], "off") != 0))
			return cli_usage_error("--%s wants on or off", t->name);
		f->val[k] = strcmp(argv[++*i], "on") == 0;
		break;
	case ODEMU_FK_SENSE:
		rc = sense_arg(argc, argv, i, &f->val[k]);
		break;
	case ODEMU_FK_SIGNAL: {
		static const struct { const char *n; int s; } sigs[] = {
			{ "INT", SIGINT }, { "TERM", SIGTERM },
			{ "HUP", SIGHUP }, { "KILL", SIGKILL } };
		size_t j;

		if (*i + 1 >= argc)
			return cli_usage_error("--%s needs INT, TERM, HUP or "
					       "KILL", t->name);
		++*i;
		for (j = 0; j < 4; j++)
			if (strcmp(argv[*i], sigs[j].n) == 0)
				break;
		if (j == 4)
			return cli_usage_error("--%s wants INT, TERM, HUP or "
					       "KILL, got '%s'", t->name,
					       argv[*i]);
		f->val[k] = sigs[j].s;
		break;
	}
	case ODEMU_FK_STATUS:
		return cli_usage_error("unknown option '--%s'", t->name);
	}
	f->set[k] = true;
	return rc;
}

int
cmd_fault(int argc, char **argv)
{
	const struct odemu_fault_desc *t = odemu_fault_table();
	struct odemu_fault_opts f;
	struct odf_diag d;
	struct odemu *e;
	const char *state = NULL;
	int rc, k, any = 0;

	memset(&f, 0, sizeof(f));
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		rc = 0;
		if (a[0] == '-' && a[1] == '-' &&
		    (k = fault_by_name(a + 2)) >= 0) {
			rc = fault_arg(argc, argv, &i, (unsigned)k, &f);
			if (rc)
				return rc;
			if (t[k].kind == ODEMU_FK_SIGNAL)
				continue;	/* goes with its .with entry */
		} else if (strcmp(a, "--disc") == 0) {
			if (i + 1 >= argc)
				return cli_usage_error("--disc needs on or off");
			i++;
			if (strcmp(argv[i], "on") == 0)
				f.disc = true;
			else if (strcmp(argv[i], "off") == 0)
				f.disc = false;
			else
				return cli_usage_error("--disc wants on or off, "
						       "got '%s'", argv[i]);
			f.set_disc = true;
		} else if (strcmp(a, "--clear") == 0) {
			f.clear = true;
		} else if (a[0] == '-' && a[1]) {
			return cli_usage_error("unknown option '%s'", a);
		} else if (state == NULL) {
			state = a;
			continue;
		} else {
			return cli_usage_error("unexpected argument '%s'", a);
		}
		if (rc)
			return rc;
		any = 1;
	}
	/* a signal name alone sets nothing; with its count it defaults to
	 * INT */
	for (unsigned j = 0; j < ODEMU_FAULT_N; j++) {
		int w = t[j].with;

		if (t[j].kind != ODEMU_FK_SIGNAL || w < 0)
			continue;
		if (!f.set[w])
			f.set[j] = false;
		else if (!f.set[j])
			f.set[j] = true, f.val[j] = SIGINT;
	}
	if (state == NULL)
		return cli_usage_error("usage: odemu fault STATE [options]");
	if (!any)
		return cli_usage_error("no fault given (see odemu --help)");
	rc = open_admin(state, &e);
	if (rc)
		return rc;
	odf_diag_clear(&d);
	rc = odemu_set_faults(e, &f, &d);
	odemu_close(e);
	if (rc < 0)
		return cli_fail(&d, rc);
	return 0;
}
