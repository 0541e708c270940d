/* odflash: a library context — where the library logs, traces, reads the
 * time and finds its knobs.
 *
 * The library reads no environment variable and keeps no process-wide
 * state: everything a caller may want to change lives in an odf_ctx,
 * which the caller makes, configures and hands to a session (and so to
 * the devices the session opens).  Two sessions on two contexts in one
 * process do not see each other.  The command-line tool fills its context
 * from the environment (ODF_POLL_MS, ODF_WAIT_MAX_MS, ODF_REOPEN_DELAY_MS,
 * ODF_SYSFS_ROOT, ODF_MOUNTS, XDG_STATE_HOME); a GUI or a daemon sets what
 * it likes.  A NULL context everywhere means "all defaults, no log".
 */
#ifndef ODF_CTX_H
#define ODF_CTX_H

#include <stdint.h>

#include "odf/error.h"

struct odf_ctx;
struct odf_dev;
struct odf_cmd;

/* Numbers the pipeline uses; -1 (or never set) = the built-in default. */
enum odf_knob {
	ODF_KNOB_POLL_MS,	  /* pause between readiness polls (250) */
	ODF_KNOB_WAIT_MAX_MS,	  /* longest wait for the drive to come back
				     after a commit; 0 = the protocol's own */
	ODF_KNOB_REOPEN_DELAY_MS, /* pause between reopen tries (500) */
	ODF_KNOB_COUNT
};

/* Paths; NULL (or never set) = the system default. */
enum odf_path {
	ODF_PATH_SYSFS_ROOT,	/* "/sys": power supplies, scan */
	ODF_PATH_MOUNTS,	/* "/proc/self/mounts" */
	ODF_PATH_STATE_DIR,	/* journal and backups; default
				   $HOME/.local/state/odflash, which the caller
				   should set (the library reads no $HOME) */
	ODF_PATH_COUNT
};

/* Where the time comes from (tests may speed it up). */
struct odf_clock {
	uint64_t (*now_ns)(void *user);		/* monotonic */
	void (*sleep_ms)(void *user, unsigned ms);
	void *user;
};

/* Called after every command sent to a drive (for -vv and bug reports). */
typedef void (*odf_ctx_trace_fn)(void *user, const struct odf_dev *dev,
				 const struct odf_cmd *c);

struct odf_ctx *odf_ctx_new(void);
void odf_ctx_free(struct odf_ctx *ctx);

/* The log sink (NULL = discard) and its threshold (enum odf_log_level). */
void odf_ctx_set_log(struct odf_ctx *ctx, odf_log_fn fn, void *user,
		     int max_level);
void odf_ctx_set_trace(struct odf_ctx *ctx, odf_ctx_trace_fn fn, void *user);
/* NULL restores the system clock.  The struct is copied. */
void odf_ctx_set_clock(struct odf_ctx *ctx, const struct odf_clock *clock);
/* ODF_E_USAGE for an unknown knob or a value below -1. */
int odf_ctx_set_knob(struct odf_ctx *ctx, enum odf_knob knob, long value);
/* The value, or def when unset. */
long odf_ctx_knob(const struct odf_ctx *ctx, enum odf_knob knob, long def);
/* The string is copied; NULL = back to the default. ODF_E_NOMEM/USAGE. */
int odf_ctx_set_path(struct odf_ctx *ctx, enum odf_path path,
		     const char *value);
/* The value, or NULL when unset. */
const char *odf_ctx_path(const struct odf_ctx *ctx, enum odf_path path);

/* For the library's own layers. */
void odf_ctx_log(const struct odf_ctx *ctx, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int odf_ctx_log_enabled(const struct odf_ctx *ctx, int level);
void odf_ctx_trace(const struct odf_ctx *ctx, const struct odf_dev *dev,
		   const struct odf_cmd *c);
uint64_t odf_ctx_now_ns(const struct odf_ctx *ctx);
void odf_ctx_sleep_ms(const struct odf_ctx *ctx, unsigned ms);

#endif
