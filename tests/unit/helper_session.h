/* Test helpers: an emulated drive with a firmware image beside it, for the
 * session tests (test_session_*.c). */
#ifndef ODF_TEST_HELPER_SESSION_H
#define ODF_TEST_HELPER_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "odemu/odemu.h"
#include "odf/ctx.h"
#include "odf/flash.h"

struct odf_test_drive {
	char dir[512];		/* scratch directory */
	char state[600];	/* the drive's state file */
	char img[600];		/* the image, as a file */
	char sdir[600];		/* the session's state directory */
	char dev[620];		/* "emu:STATE" */
	char ldev[620];		/* "lazy:STATE" (below) */
	uint8_t *img_buf;	/* the image's bytes */
	size_t img_len;
};

/* A drive of `model` running version `from`, and an image of version `to`
 * for it (file and bytes), in a new scratch directory named after tag.
 * Fails the test on any error. */
void odf_test_drive_new(struct odf_test_drive *t, const char *model,
			const char *from, const char *to, const char *tag);
/* Remove the directory, free the bytes. */
void odf_test_drive_free(struct odf_test_drive *t);
/* The drive's status through the emulator's own API. */
void odf_test_drive_status(const struct odf_test_drive *t,
			   struct odemu_status *st);
/* A context for emulated drives: 1 ms polls and reopen delays, no fixed
 * waits, the drive's state directory. */
struct odf_ctx *odf_test_ctx(const struct odf_test_drive *t);
/* Options that flash without a backup and confirm. */
void odf_test_opts(struct odf_flash_opts *o);

/* "lazy:STATE" opens the emulated drive as "emu:STATE" does, with
 * odemu_set_lazy_save (the state is written when the device is closed,
 * not after every command): the same drive, a fraction of the file
 * writes.  When set, odf_test_exec_hook sees every command first and
 * returns true when it answered the command itself (the drive never
 * sees it). */
extern bool (*odf_test_exec_hook)(struct odemu *emu, struct odf_cmd *c);

#endif
