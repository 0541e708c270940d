/* odflash: the library context (include/odf/ctx.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "odf/ctx.h"

struct odf_ctx {
	odf_log_fn log_fn;
	void *log_user;
	int log_max;
	odf_ctx_trace_fn trace_fn;
	void *trace_user;
	struct odf_clock clock;		/* now_ns NULL = the system clock */
	long knob[ODF_KNOB_COUNT];
	char *path[ODF_PATH_COUNT];
};

struct odf_ctx *
odf_ctx_new(void)
{
	struct odf_ctx *ctx = calloc(1, sizeof(*ctx));

	if (ctx == NULL)
		return NULL;
	ctx->log_max = ODF_LOG_WARN;
	for (int i = 0; i < ODF_KNOB_COUNT; i++)
		ctx->knob[i] = -1;
	return ctx;
}

void
odf_ctx_free(struct odf_ctx *ctx)
{
	if (ctx == NULL)
		return;
	for (int i = 0; i < ODF_PATH_COUNT; i++)
		free(ctx->path[i]);
	free(ctx);
}

void
odf_ctx_set_log(struct odf_ctx *ctx, odf_log_fn fn, void *user, int max_level)
{
	if (ctx == NULL)
		return;
	ctx->log_fn = fn;
	ctx->log_user = user;
	ctx->log_max = max_level;
}

void
odf_ctx_set_trace(struct odf_ctx *ctx, odf_ctx_trace_fn fn, void *user)
{
	if (ctx == NULL)
		return;
	ctx->trace_fn = fn;
	ctx->trace_user = user;
}

void
odf_ctx_set_clock(struct odf_ctx *ctx, const struct odf_clock *clock)
{
	if (ctx == NULL)
		return;
	if (clock && clock->now_ns && clock->sleep_ms)
		ctx->clock = *clock;
	else
		memset(&ctx->clock, 0, sizeof(ctx->clock));
}

int
odf_ctx_set_knob(struct odf_ctx *ctx, enum odf_knob knob, long value)
{
	if (ctx == NULL || (unsigned)knob >= ODF_KNOB_COUNT || value < -1)
		return ODF_E_USAGE;
	ctx->knob[knob] = value;
	return 0;
}

long
odf_ctx_knob(const struct odf_ctx *ctx, enum odf_knob knob, long def)
{
	if (ctx == NULL || (unsigned)knob >= ODF_KNOB_COUNT ||
	    ctx->knob[knob] < 0)
		return def;
	return ctx->knob[knob];
}

int
odf_ctx_set_path(struct odf_ctx *ctx, enum odf_path path, const char *value)
{
	char *copy = NULL;

	if (ctx == NULL || (unsigned)path >= ODF_PATH_COUNT)
		return ODF_E_USAGE;
	if (value && (copy = strdup(value)) == NULL)
		return ODF_E_NOMEM;
	free(ctx->path[path]);
	ctx->path[path] = copy;
	return 0;
}

const char *
odf_ctx_path(const struct odf_ctx *ctx, enum odf_path path)
{
	if (ctx == NULL || (unsigned)path >= ODF_PATH_COUNT)
		return NULL;
	return ctx->path[path];
}

int
odf_ctx_log_enabled(const struct odf_ctx *ctx, int level)
{
	return ctx && ctx->log_fn && level <= ctx->log_max;
}

void
odf_ctx_log(const struct odf_ctx *ctx, int level, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	if (!odf_ctx_log_enabled(ctx, level))
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	ctx->log_fn(ctx->log_user, level, buf);
}

void
odf_ctx_trace(const struct odf_ctx *ctx, const struct odf_dev *dev,
	      const struct odf_cmd *c)
{
	if (ctx && ctx->trace_fn)
		ctx->trace_fn(ctx->trace_user, dev, c);
}

uint64_t
odf_ctx_now_ns(const struct odf_ctx *ctx)
{
	struct timespec ts;

	if (ctx && ctx->clock.now_ns)
		return ctx->clock.now_ns(ctx->clock.user);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void
odf_ctx_sleep_ms(const struct odf_ctx *ctx, unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	if (ctx && ctx->clock.sleep_ms) {
		ctx->clock.sleep_ms(ctx->clock.user, ms);
		return;
	}
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}
