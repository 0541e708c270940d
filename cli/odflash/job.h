/* odflash: one session job with the CLI's events and signals (job.c). */
#ifndef ODF_CLI_JOB_H
#define ODF_CLI_JOB_H

#include "odf/session.h"

enum cli_job { CLI_JOB_FLASH, CLI_JOB_RECOVER, CLI_JOB_VERIFY, CLI_JOB_DUMP,
	       CLI_JOB_LEAVE_MODE };

/* Run job on o->device with o->file through a session on cli_g.ctx. */
int cli_job(enum cli_job job, struct odf_flash_opts *o,
	    struct odf_flash_result *r, struct odf_diag *d);
/* The confirmation question the last job asked (a dry run: would ask),
 * worded (cli_word_question); "" when it got no further. */
const char *cli_job_question(void);

/* Word a session notice (held signal, eject) for device (NULL = the
 * one drive of the run): text on stderr and a warning event. */
void cli_job_notice(const char *device, const struct odf_event *ev);

/* Every drive scan lists (sysfs, then ODFLASH_EMU), probed (cmd_scan.c);
 * *out malloc'd.  *denied: some could not be opened. */
struct cli_drive;
int cli_scan_drives(struct cli_drive **out, size_t *nout, bool *denied,
		    struct odf_diag *d);
/* odflash flash|dump|verify on several drives at once (fleet.c): --all
 * or more than one DEVICE.  Returns the exit code. */
int cli_fleet(enum cli_job job, int argc, char **argv);
/* Does argv ask for several drives (--all, or more DEVICEs than one)? */
bool cli_fleet_wanted(enum cli_job job, int argc, char **argv);

#endif
