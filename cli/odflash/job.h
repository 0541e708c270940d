/* odflash: one session job with the CLI's events and signals (job.c). */
#ifndef ODF_CLI_JOB_H
#define ODF_CLI_JOB_H

#include "odf/session.h"

enum cli_job { CLI_JOB_FLASH, CLI_JOB_RECOVER, CLI_JOB_VERIFY, CLI_JOB_DUMP };

/* Run job on o->device with o->file through a session on cli_g.ctx. */
int cli_job(enum cli_job job, struct odf_flash_opts *o,
	    struct odf_flash_result *r, struct odf_diag *d);
/* The confirmation question the last job asked (a dry run: would ask),
 * worded (cli_word_question); "" when it got no further. */
const char *cli_job_question(void);

/* Word a session notice (held signal, eject) for device (NULL = the
 * one drive of the run): text on stderr and a warning event. */
void cli_job_notice(const char *device, const struct odf_event *ev);

#endif
