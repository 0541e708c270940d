/* odemu: serve an emulated drive to a real Linux kernel through
 * target_core_user (TCMU).  The command line (`odemu tcmu STATE
 * [options]`) is parsed and printed by cli/odemu/cmd_tcmu.c. */
#ifndef ODEMU_TCMU_H
#define ODEMU_TCMU_H

#include <stdarg.h>

#include "odf/error.h"

enum odemu_tcmu_level {
	ODEMU_TCMU_NOTE, ODEMU_TCMU_WARN, ODEMU_TCMU_ERR, ODEMU_TCMU_HINT,
};

struct odemu_tcmu_opts {
	const char *state;
	const char *match;	/* backstore name, full UIO name or cfgstring */
	const char *uio;	/* explicit /dev/uioN */
	unsigned wait_s;	/* wait for the UIO device to appear */
	int verbose;		/* 1: unavailable-drive answers, 2: every CDB */
	/* what the server reports (NULL: nothing); the caller words and
	 * prints it */
	void (*say)(enum odemu_tcmu_level level, const char *fmt,
		    va_list ap);
};

/* odemu's exit codes for the server (the odflash contract's numbers:
 * README.md "Exit codes"). */
enum odemu_tcmu_exit {
	ODEMU_TCMU_EXIT_OK = 0,
	ODEMU_TCMU_EXIT_USAGE = 1,
	ODEMU_TCMU_EXIT_DEVICE = 2,
	ODEMU_TCMU_EXIT_INTERNAL = 10,
};

/* Serve o->state until SIGTERM/SIGINT.  Returns a process exit code
 * (enum odemu_tcmu_exit, >= 0), or a negative odf_err with *d filled when STATE
 * cannot be opened at all. */
int odemu_tcmu_serve(const struct odemu_tcmu_opts *o, struct odf_diag *d);

#endif
