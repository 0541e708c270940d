/* odflash --events: newline-delimited JSON events.  See events.h and
 * docs/events.md. */
#include "events.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "util/platform.h"

static int ev_fd = -1;
static struct json_object *ev_result;	/* kept for cli_ev_finish */
static bool ev_stdout;		/* the events took the real stdout */
static bool ev_started, ev_result_done;
static pthread_mutex_t ev_lock = PTHREAD_MUTEX_INITIALIZER;

double
cli_now(void)
{
	static double t_start = -1;
	struct timespec t;
	double v;

	clock_gettime(CLOCK_MONOTONIC, &t);
	v = (double)t.tv_sec + (double)t.tv_nsec / 1e9;
	if (t_start < 0)
		t_start = v;
	return v - t_start;
}

static int
events_to(const char *spec, char *err, size_t elen)
{
	char *end = NULL;
	long fd = 1;

	if (spec != NULL) {
		errno = 0;
		fd = strtol(spec, &end, 10);
		if (spec[0] == '\0' || *end != '\0' || errno || fd < 0 ||
		    fd > 1000000) {
			snprintf(err, elen, "--events=%s: FD must be the number "
				 "of an open file descriptor, e.g. --events=3",
				 spec);
			return -1;
		}
	}
	if (fd == 0 || fd == 2) {
		snprintf(err, elen, "--events=%ld: the events need a stream of "
			 "their own (stdout, or a descriptor 3 or higher), not "
			 "%s", fd, fd ? "stderr" : "stdin");
		return -1;
	}
	if (fcntl((int)fd, F_GETFD) < 0) {
		snprintf(err, elen, "--events=%ld: file descriptor %ld is not "
			 "open (open it in the shell: 3>FILE)", fd, fd);
		return -1;
	}
	if (fd != 1) {
		ev_fd = (int)fd;
		(void)fcntl(ev_fd, F_SETFD, FD_CLOEXEC);
		return 0;
	}
	/* the events keep the real stdout; what else goes to stdout goes to
	 * stderr, so nothing else reaches the events' stream */
	fflush(stdout);
	ev_fd = fcntl(1, F_DUPFD_CLOEXEC, 3);
	if (ev_fd < 0 || dup2(2, 1) < 0) {
		snprintf(err, elen, "--events: cannot set up stdout: %s",
			 strerror(errno));
		return -1;
	}
	ev_stdout = true;
	return 0;
}

int
cli_events_take_opt(int argc, char **argv, char *err, size_t elen)
{
	int i, out = 1;

	(void)cli_now();
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0) {
			while (i < argc)
				argv[out++] = argv[i++];
			break;
		}
		if (strcmp(a, "--events") == 0 ||
		    strncmp(a, "--events=", 9) == 0) {
			if (ev_fd >= 0) {
				snprintf(err, elen, "--events given twice");
				return -1;
			}
			if (events_to(a[8] ? a + 9 : NULL, err, elen) < 0)
				return -1;
			continue;
		}
		argv[out++] = argv[i];
	}
	argv[out] = NULL;
	return out;
}

bool
cli_events_on(void)
{
	return ev_fd >= 0;
}

bool
cli_events_on_stdout(void)
{
	return ev_stdout;
}

struct json_object *
cli_ev_new(const char *kind, const char *device)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "event", json_object_new_string(kind));
	json_object_object_add(o, "t", cli_json_num3(cli_now()));
	if (device != NULL)
		cli_json_str(o, "device", device);
	return o;
}

static void
write_line(struct json_object *o)
{
	const char *s = json_object_to_json_string_ext(o,
		JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	size_t n = strlen(s), off = 0;
	char *line = malloc(n + 1);

	if (line == NULL)
		return;
	memcpy(line, s, n);
	line[n] = '\n';
	while (off < n + 1) {
		ssize_t w = write(ev_fd, line + off, n + 1 - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;	/* a reader that went away: the job goes on */
		off += (size_t)w;
	}
	free(line);
}

static struct json_object *
start_event(const char *device, const char *file)
{
	struct json_object *o = cli_ev_new("start", NULL);

	cli_json_int(o, "schema", CLI_EVENTS_SCHEMA);
	cli_json_str(o, "program", cli_g.prog);
	cli_json_str(o, "version", cli_g.version);
	cli_json_str(o, "command", cli_g.cmd);
	cli_json_str(o, "device", device);
	cli_json_str(o, "file", file);
	cli_json_int(o, "pid", (int64_t)getpid());
	return o;
}

void
cli_ev_start(const char *device, const char *file)
{
	struct json_object *o;

	if (ev_fd < 0)
		return;
	pthread_mutex_lock(&ev_lock);
	if (!ev_started) {
		o = start_event(device, file);
		write_line(o);
		json_object_put(o);
		ev_started = true;
	}
	pthread_mutex_unlock(&ev_lock);
}

void
cli_ev_emit(struct json_object *o)
{
	if (ev_fd < 0) {
		json_object_put(o);
		return;
	}
	cli_ev_start(NULL, NULL);
	pthread_mutex_lock(&ev_lock);
	if (!ev_result_done)	/* the result is the last event */
		write_line(o);
	pthread_mutex_unlock(&ev_lock);
	json_object_put(o);
}

void
cli_json_copy(struct json_object *dst, struct json_object *src,
	      const char *skip)
{
	struct json_object_iterator it = json_object_iter_begin(src);
	struct json_object_iterator end = json_object_iter_end(src);

	for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
		const char *k = json_object_iter_peek_name(&it);

		if (strcmp(k, "event") == 0 || strcmp(k, "t") == 0 ||
		    (skip && strcmp(k, skip) == 0))
			continue;
		json_object_object_add(dst, k, json_object_get(
			json_object_iter_peek_value(&it)));
	}
}

void
cli_ev_result(struct json_object *obj)
{
	struct json_object *o;

	if (ev_fd < 0 || ev_result != NULL)
		return;
	/* kept until the program ends: what it says after the object
	 * (warnings) comes before it, and the exit code is known */
	o = json_object_new_object();
	cli_json_copy(o, obj, NULL);
	ev_result = o;
}

void
cli_ev_finish(int exit_code)
{
	struct json_object *o, *r = ev_result;

	if (ev_fd < 0 || ev_result_done)
		return;
	o = cli_ev_new("result", NULL);
	if (r == NULL) {
		cli_json_str(o, "result", exit_code == 0 ? "ok" : "error");
		cli_json_int(o, "exit_code", exit_code);
	} else {
		cli_json_copy(o, r, NULL);
		if (!json_object_object_get_ex(o, "exit_code", NULL))
			cli_json_int(o, "exit_code", exit_code);
		json_object_put(r);
		ev_result = NULL;
	}
	cli_ev_emit(o);
	ev_result_done = true;
}

void
cli_ev_message(const char *event, const char *kind, const char *device,
	       const char *msg)
{
	struct json_object *o;

	if (ev_fd < 0)
		return;
	o = cli_ev_new(event, device);
	cli_json_str(o, "kind", kind);
	cli_json_str(o, "message", msg);
	cli_ev_emit(o);
}

struct json_object *
cli_ev_drive_json(const struct odf_drive_ident *id)
{
	struct json_object *o = json_object_new_object();

	cli_json_str(o, "vendor", id->vendor);
	cli_json_str(o, "model", id->product);
	cli_json_str(o, "revision", id->revision);
	cli_json_str(o, "serial", id->serial);
	cli_json_str(o, "family", odf_family_name(id->family));
	cli_json_str(o, "mode", odf_mode_name(id->mode));
	cli_json_str(o, "target", id->target);
	cli_json_str(o, "driver", id->driver);
	return o;
}

void
cli_ev_rate(struct cli_ev_drive *dr, const struct odf_event *ev,
	    double *rate, double *eta)
{
	const char *phase = ev->stage == ODF_STAGE_WRITE ? "write" : "read";
	double now = cli_now(), dt;

	if (dr->phase != phase || ev->bytes_done < dr->t0_done) {
		/* no block start seen: from this event on */
		dr->phase = phase;
		dr->t0 = now;
		dr->t0_done = ev->bytes_done;
	}
	dt = now - dr->t0;
	*rate = dt > 0.001 ? (double)(ev->bytes_done - dr->t0_done) / dt : 0;
	*eta = *rate > 0 ? (double)(ev->bytes_total - ev->bytes_done) / *rate :
	       -1;
}

static void
ev_prompt(struct cli_ev_drive *dr, const struct odf_confirm *c)
{
	struct json_object *o = cli_ev_new("prompt", dr->device);

	{
		char text[8192], *q;

		cli_word_question(c, text, sizeof(text));
		q = cli_esc_dup(text, CLI_ESC_KEEP_NL);
		json_object_object_add(o, "question", q ?
				       json_object_new_string(q) : NULL);
		free(q);
	}
	cli_json_bool(o, "dry_run", c->dry_run);
	cli_json_str(o, "job", c->job == ODF_JOB_BOOTCODE ? "bootcode write" :
		     c->job == ODF_JOB_LEAVE_MODE ? "leave vendor mode" :
		     c->job == ODF_JOB_RECOVER ? "recover" : "flash");
	if (c->drive)
		json_object_object_add(o, "drive", cli_ev_drive_json(c->drive));
	cli_json_str(o, "file", c->file);
	cli_json_str(o, "image_version", c->image_version);
	cli_json_str(o, "version_change", odf_version_change_name(c->version));
	cli_json_str(o, "downgrade_guard", c->downgrade_guard);
	cli_json_str(o, "backup", c->backup);
	cli_json_str(o, "backup_skipped",
		     c->backup_skipped == ODF_BACKUP_SKIP_ASKED ? "--no-backup" :
		     c->backup_skipped == ODF_BACKUP_SKIP_RECOVERY ? "recovery" :
		     NULL);
	cli_json_bool(o, "eject", c->eject);
	cli_json_bool(o, "crossflash", c->crossflash);
	if (c->n_unit && c->unit) {
		struct json_object *a = json_object_new_array();

		for (size_t i = 0; a && i < c->n_unit; i++) {
			struct json_object *u = json_object_new_object();

			if (!u)
				break;
			cli_json_str(u, "what", c->unit[i].what);
			json_object_object_add(u, "start",
					       json_object_new_int64(c->unit[i].start));
			json_object_object_add(u, "end",
					       json_object_new_int64(c->unit[i].end));
			cli_json_str(u, "from", c->unit[i].from ?
				     c->unit[i].from : "drive");
			cli_json_str(u, "sha256", c->unit[i].sha256);
			json_object_array_add(a, u);
		}
		json_object_object_add(o, "unit_data", a);
	}
	cli_ev_emit(o);
}

struct json_object *
cli_json_num3(double v)
{
	char buf[48];

	snprintf(buf, sizeof(buf), "%.3f", v);
	return json_object_new_double_s(v, buf);
}

void
cli_ev_track(struct cli_ev_drive *dr, const struct odf_event *ev)
{
	/* a phase's rate counts from the start of its first block */
	if (ev->kind == ODF_EV_STEP_START && ev->block == 1) {
		dr->phase = ev->stage == ODF_STAGE_WRITE ? "write" : "read";
		dr->t0 = cli_now();
		dr->t0_done = 0;
	}
}

void
cli_ev_session(struct cli_ev_drive *dr, const struct odf_event *ev)
{
	struct json_object *o;
	double rate, eta;

	cli_ev_track(dr, ev);
	if (ev_fd < 0)
		return;
	switch (ev->kind) {
	case ODF_EV_STAGE:
		o = cli_ev_new("stage", dr->device);
		cli_json_str(o, "stage", odf_stage_name(ev->stage));
		if (ev->drive)
			json_object_object_add(o, "drive",
					       cli_ev_drive_json(ev->drive));
		if (ev->steps)
			cli_json_int(o, "steps", (int64_t)ev->steps);
		break;
	case ODF_EV_STEP_START:
	case ODF_EV_STEP_DONE:
		o = cli_ev_new("step", dr->device);
		cli_json_str(o, "stage", odf_stage_name(ev->stage));
		cli_json_str(o, "state", ev->kind == ODF_EV_STEP_START ?
			     "start" : "done");
		cli_json_int(o, "index", (int64_t)ev->step + 1);
		cli_json_int(o, "steps", (int64_t)ev->steps);
		cli_json_str(o, "label", ev->label);
		cli_json_int(o, "block", (int64_t)ev->block);
		cli_json_int(o, "blocks", (int64_t)ev->blocks);
		if (ev->kind == ODF_EV_STEP_DONE)
			cli_json_str(o, "status", ev->status < 0 ?
				     odf_err_name(ev->status) : "ok");
		break;
	case ODF_EV_PROGRESS:
		cli_ev_rate(dr, ev, &rate, &eta);
		o = cli_ev_new("progress", dr->device);
		cli_json_str(o, "stage", odf_stage_name(ev->stage));
		cli_json_int(o, "done", (int64_t)ev->bytes_done);
		cli_json_int(o, "total", (int64_t)ev->bytes_total);
		cli_json_int(o, "percent", ev->bytes_total ? (int64_t)
			     (ev->bytes_done * 100 / ev->bytes_total) : 100);
		cli_json_int(o, "block", (int64_t)ev->block);
		cli_json_int(o, "blocks", (int64_t)ev->blocks);
		json_object_object_add(o, "rate", cli_json_num3(rate));
		json_object_object_add(o, "eta", eta < 0 ? NULL :
				       cli_json_num3(eta));
		break;
	case ODF_EV_PONR_REACHED:
	case ODF_EV_PONR_LEFT:
		o = cli_ev_new("ponr", dr->device);
		cli_json_str(o, "state", ev->kind == ODF_EV_PONR_REACHED ?
			     "entered" : "left");
		cli_json_int(o, "index", (int64_t)ev->step + 1);
		cli_json_str(o, "label", ev->label);
		break;
	case ODF_EV_CONFIRM:
		if (ev->confirm)
			ev_prompt(dr, ev->confirm);
		return;
	default:
		return;	/* notices: worded by the caller; the result: the
			   --json object */
	}
	cli_ev_emit(o);
}

int
cli_ev_read_answer(void)
{
	char line[32];

	if (fgets(line, sizeof(line), stdin) == NULL)
		return 0;
	line[strcspn(line, "\r\n")] = '\0';
	return strcmp(line, "y") == 0 || strcmp(line, "yes") == 0 ? 1 : 0;
}
