/* odflash --events[=FD]: the machine interface, newline-delimited JSON
 * (docs/events.md, docs/events.schema.json).  One object per line, each
 * with an "event" key; nothing else is written to that stream.  The
 * first event is "start" (with "schema"), the last is the one "result"
 * (the object --json prints).  The events are worded from the session's
 * events (odf/session.h: the library reports facts, cli words them).
 *
 * Writes are whole lines under a lock: the drives of a fleet run
 * (several threads) share one stream. */
#ifndef ODF_CLI_EVENTS_H
#define ODF_CLI_EVENTS_H

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

#include "odf/session.h"

/* The schema version in "start"; bumped when a field changes meaning or
 * goes away (new fields and new events keep it). */
#define CLI_EVENTS_SCHEMA 1

/* Take --events and --events=FD out of argv (up to "--"); returns the new
 * argc, or -1 with why in err (a bad FD: a usage error).  On stdout
 * (no FD, or 1) the events keep the real stdout and everything else the
 * program prints on stdout goes to stderr. */
int cli_events_take_opt(int argc, char **argv, char *err, size_t elen);
bool cli_events_on(void);
/* The events are on the program's stdout (what else it prints there goes
 * to stderr). */
bool cli_events_on_stdout(void);
/* A new event object {"event": kind, "t": seconds since start,
 * "device": device (when not NULL)}. */
struct json_object *cli_ev_new(const char *kind, const char *device);
/* Write o as one line and drop the reference.  The first event written
 * is preceded by "start" when none was written yet. */
void cli_ev_emit(struct json_object *o);
/* "start": command, device(s) and file as given; call before the job. */
void cli_ev_start(const char *device, const char *file);
/* Add src's keys (but "event", "t" and skip) to dst, by reference. */
void cli_json_copy(struct json_object *dst, struct json_object *src,
		   const char *skip);
/* "result" from the object --json prints (not consumed); once. */
void cli_ev_result(struct json_object *obj);
/* At exit: a "result" when no command wrote one (exit code only). */
void cli_ev_finish(int exit_code);
/* "warning"/"notice" with a kind and a message. */
void cli_ev_message(const char *event, const char *kind, const char *device,
		    const char *msg);

/* The answer to a prompt event, read as one line from stdin: "y" or
 * "yes" = 1, anything else or end of file = 0. */
int cli_ev_read_answer(void);

/* Per-drive state of the session events' wording (rate, ETA). */
struct cli_ev_drive {
	const char *device;
	double t0;		/* first progress of the phase */
	uint64_t t0_done;
	const char *phase;	/* "write", "read": restarts the rate */
};
/* One session event as events (stage, step, progress, ponr, prompt; the
 * notices are worded by the caller). */
void cli_ev_session(struct cli_ev_drive *dr, const struct odf_event *ev);
/* Follow the blocks of a plan (the rate's start); cli_ev_session calls
 * it. */
void cli_ev_track(struct cli_ev_drive *dr, const struct odf_event *ev);
/* A number with 3 decimals in JSON. */
struct json_object *cli_json_num3(double v);
/* Bytes per second and seconds left (-1 = unknown) of a progress event. */
void cli_ev_rate(struct cli_ev_drive *dr, const struct odf_event *ev,
		 double *rate, double *eta);
/* Seconds since the program started (monotonic). */
double cli_now(void);
/* The drive's identity as a JSON object. */
struct json_object *cli_ev_drive_json(const struct odf_drive_ident *id);

#endif
