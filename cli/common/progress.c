/* odflash: the text progress of a job on stderr (cli.h "progress"). */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "events.h"

static bool bar_open;		/* a redrawn line is on the terminal */
static size_t bar_len;		/* its length (for padding without ANSI) */

int
cli_percent_of(uint64_t done, uint64_t total)
{
	if (total == 0)
		return done ? 100 : 0;
	if (done >= total)
		return 100;
	return (int)((done * 100) / total);
}

bool
cli_ansi_ok(int fd)
{
	const char *nc = getenv("NO_COLOR");

	return isatty(fd) && (nc == NULL || nc[0] == '\0');
}

void
cli_progress_break(void)
{
	if (bar_open) {
		fputc('\n', stderr);
		bar_open = false;
		bar_len = 0;
	}
}

/* "85.3 KiB/s" */
static const char *
fmt_rate(double rate, char *buf, size_t len)
{
	if (rate >= 1024.0 * 1024.0)
		snprintf(buf, len, "%.1f MiB/s", rate / (1024.0 * 1024.0));
	else
		snprintf(buf, len, "%.1f KiB/s", rate / 1024.0);
	return buf;
}

/* "ETA 1:07", "ETA ?" */
static const char *
fmt_eta(double eta, char *buf, size_t len)
{
	if (eta < 0)
		snprintf(buf, len, "ETA ?");
	else
		snprintf(buf, len, "ETA %u:%02u", (unsigned)(eta + 0.5) / 60,
			 (unsigned)(eta + 0.5) % 60);
	return buf;
}

static const char *
what_of(const struct cli_bar *b)
{
	switch (b->stage) {
	case ODF_STAGE_WRITE: return "writing";
	case ODF_STAGE_BACKUP: return "reading the backup";
	case ODF_STAGE_VERIFY: return "reading back";
	default: return "reading";
	}
}

/* The progress line, without a newline. */
void
cli_bar_text(const struct cli_bar *b, double rate, double eta, char *buf,
	     size_t len)
{
	char r[32], e[32];
	int n;

	n = snprintf(buf, len, "%s", what_of(b));
	if (b->blocks && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " block %zu/%zu",
			      b->block, b->blocks);
	if ((size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, ": %3d%%  %" PRIu64
			      "/%" PRIu64 " bytes  %s  %s",
			      cli_percent_of(b->done, b->total), b->done,
			      b->total, fmt_rate(rate, r, sizeof(r)),
			      fmt_eta(eta, e, sizeof(e)));
	if (b->unsafe && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, "  DO NOT POWER OFF");
}

void
cli_bar_init(struct cli_bar *b, const char *device)
{
	memset(b, 0, sizeof(*b));
	b->rate.device = device;
	b->last_step = -1;
	b->show = !cli_g.quiet && !cli_g.json_user;
	b->tty = b->show && isatty(STDERR_FILENO);
	b->ansi = b->tty && cli_ansi_ok(STDERR_FILENO);
}

static void
bar_progress(struct cli_bar *b, const struct odf_event *ev)
{
	char line[256];
	double rate, eta;
	int step;

	b->done = ev->bytes_done;
	b->total = ev->bytes_total;
	if (ev->blocks) {
		b->block = ev->block;
		b->blocks = ev->blocks;
	}
	cli_ev_rate(&b->rate, ev, &rate, &eta);
	if (!b->show)
		return;
	step = cli_percent_of(b->done, b->total);
	if (!b->tty)
		step = step / 10 * 10;
	if (step == b->last_step && b->stage == b->last_stage)
		return;
	b->last_step = step;
	b->last_stage = b->stage;
	cli_bar_text(b, rate, eta, line, sizeof(line));
	fflush(stdout);
	if (!b->tty) {
		fprintf(stderr, "%s: %s\n", cli_g.prog, line);
		return;
	}
	if (b->ansi)
		fprintf(stderr, "\r%s\033[K", line);
	else
		fprintf(stderr, "\r%s%*s", line, bar_len > strlen(line) ?
			(int)(bar_len - strlen(line)) : 0, "");
	bar_len = strlen(line);
	bar_open = true;
	fflush(stderr);
}

void
cli_bar_event(struct cli_bar *b, const struct odf_event *ev)
{
	cli_ev_track(&b->rate, ev);
	switch (ev->kind) {
	case ODF_EV_STAGE:
		if (b->stage != ev->stage)
			cli_progress_break();
		b->stage = ev->stage;
		b->blocks = 0;
		b->last_step = -1;
		break;
	case ODF_EV_STEP_START:
		b->block = ev->block;
		b->blocks = ev->blocks;
		break;
	case ODF_EV_PROGRESS:
		bar_progress(b, ev);
		break;
	case ODF_EV_PONR_REACHED:
		b->unsafe = true;
		if (b->show) {
			cli_progress_break();
			fprintf(stderr, "%s: do not power off or unplug the "
				"drive: its flash is being rewritten (odflash "
				"says when it is safe)\n", cli_g.prog);
		}
		break;
	case ODF_EV_PONR_LEFT:
		b->unsafe = false;
		if (b->show) {
			cli_progress_break();
			fprintf(stderr, "%s: the drive is safe again: its "
				"flash is whole\n", cli_g.prog);
		}
		break;
	default:
		break;
	}
}

void
cli_bar_end(struct cli_bar *b)
{
	(void)b;
	cli_progress_break();
}
