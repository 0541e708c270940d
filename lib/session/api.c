/* odflash session: the public session API (odf/session.h) — the session
 * object, its events and its cancel flag — over the jobs of session.c,
 * bootcode.c and backup.c. */
#include <stdlib.h>
#include <string.h>

#include "session/session_int.h"

static const char *const stage_names[ODF_STAGE_COUNT] = {
	"identify", "compat", "preflight", "backup", "confirm", "write",
	"come-back", "verify", "journal",
};

const char *
odf_stage_name(enum odf_stage stage)
{
	return (unsigned)stage < ODF_STAGE_COUNT ? stage_names[stage] : "?";
}

static int
session_alloc(struct odf_ctx *ctx, const char *device, const char *image,
	      struct odf_session **out, struct odf_diag *d)
{
	struct odf_session *s;

	if (out)
		*out = NULL;
	if (out == NULL || device == NULL || device[0] == '\0')
		return odf_diag_set(d, ODF_E_USAGE, "no device given");
	s = calloc(1, sizeof(*s));
	if (s == NULL || (s->device = strdup(device)) == NULL ||
	    (image && (s->image = strdup(image)) == NULL)) {
		odf_session_free(s);
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	}
	s->ctx = ctx;
	*out = s;
	return 0;
}

int
odf_session_new(struct odf_ctx *ctx, const char *device, const char *image,
		struct odf_session **out, struct odf_diag *d)
{
	return session_alloc(ctx, device, image, out, d);
}

int
odf_session_new_dev(struct odf_ctx *ctx, struct odf_dev *dev,
		    const char *image, struct odf_session **out,
		    struct odf_diag *d)
{
	const struct odf_dev_info *in = odf_dev_get_info(dev);
	int rc;

	if (out)
		*out = NULL;
	if (in == NULL)
		return odf_diag_set(d, ODF_E_USAGE, "no device given");
	rc = session_alloc(ctx, in->name, image, out, d);
	if (rc == 0)
		(*out)->dev = dev;
	return rc;
}

int
odf_session_set_image(struct odf_session *s, const void *buf, size_t len,
		      const char *name, struct odf_diag *d)
{
	uint8_t *copy;
	char *n;

	if (s == NULL || buf == NULL || len == 0)
		return odf_diag_set(d, ODF_E_USAGE, "no image bytes given");
	copy = malloc(len);
	n = strdup(name ? name : "(memory)");
	if (copy == NULL || n == NULL) {
		free(copy);
		free(n);
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	}
	memcpy(copy, buf, len);
	free(s->img_buf);
	free(s->image);
	s->img_buf = copy;
	s->img_len = len;
	s->image = n;
	return 0;
}

void
odf_session_free(struct odf_session *s)
{
	if (s == NULL)
		return;
	free(s->device);
	free(s->image);
	free(s->img_buf);
	free(s);
}

int
odfi_dev_open(struct odfi_session *R, struct odf_diag *d)
{
	struct odf_dev *dev = R->S ? R->S->dev : NULL;
	int rc;

	if (dev == NULL)
		return odf_dev_open_ctx(R->ctx, R->o->device, ODF_OPEN_WRITE,
					&R->dev, d);
	if (R->dev_used) {
		rc = odf_dev_reopen(dev, d);
		if (rc < 0)
			return rc;
	}
	R->dev_used = true;
	R->dev = dev;
	return 0;
}

void
odfi_dev_drop(struct odfi_session *R)
{
	if (R->dev && !(R->S && R->S->dev == R->dev))
		odf_dev_close(R->dev);
	R->dev = NULL;
}

const uint8_t *
odfi_image_bytes(const struct odfi_session *R, size_t *len)
{
	*len = R->S ? R->S->img_len : 0;
	return R->S ? R->S->img_buf : NULL;
}

void
odf_session_set_events(struct odf_session *s, odf_event_fn fn, void *user)
{
	if (s) {
		s->ev = fn;
		s->ev_user = user;
	}
}

void
odf_session_cancel(struct odf_session *s, int sig)
{
	/* async-signal-safe: two sig_atomic_t stores */
	if (s) {
		s->cancel_sig = sig;
		s->cancelled = 1;
	}
}

bool
odfi_cancelled(const struct odfi_session *R)
{
	return R->S && R->S->cancelled;
}

int
odfi_cancel_sig(const struct odfi_session *R)
{
	return R->S && R->S->cancelled ? (int)R->S->cancel_sig : 0;
}

void
odfi_event(struct odfi_session *R, struct odf_event *ev)
{
	ev->stage = R->stage;
	/* the drive as identified, once it is */
	ev->drive = R->id.product[0] || R->id.vendor[0] ? &R->id : NULL;
	if (R->S && R->S->ev)
		R->S->ev(R->S->ev_user, ev);
}

void
odfi_stage(struct odfi_session *R, enum odf_stage stage)
{
	/* the write plan's size, once it is built (before the confirmation) */
	struct odf_event ev = { .kind = ODF_EV_STAGE, .steps = R->plan.n };

	R->stage = stage;
	odfi_event(R, &ev);
}

void
odfi_progress(void *ctx, const char *phase, uint64_t done, uint64_t total)
{
	struct odfi_session *R = ctx;
	struct odf_event ev = { .kind = ODF_EV_PROGRESS, .bytes_done = done,
				.bytes_total = total, .label = phase };

	odfi_event(R, &ev);
}

/* One job on the session: the session's device and file over what the
 * caller's options say. */
static int
job(struct odf_session *s, const struct odf_flash_opts *o,
    struct odf_flash_result *r, struct odf_diag *d, enum op op)
{
	struct odf_flash_opts c;

	if (s == NULL || o == NULL || r == NULL)
		return odf_diag_set(d, ODF_E_USAGE, "no session");
	c = *o;
	c.device = s->device;
	c.file = s->image;
	switch (op) {
	case OP_VERIFY:
		return odfi_verify_job(s, &c, r, d);
	case OP_DUMP:
		return odfi_dump_job(s, &c, r, d);
	case OP_RECOVER:
		return odfi_write_job(s, &c, r, d, OP_RECOVER,
				      &odfi_kind_firmware);
	default:
		return c.bootcode ?
		       odfi_write_job(s, &c, r, d, OP_BOOTCODE,
				      &odfi_kind_bootcode) :
		       odfi_write_job(s, &c, r, d, OP_FLASH,
				      &odfi_kind_firmware);
	}
}

int
odf_session_flash(struct odf_session *s, const struct odf_flash_opts *o,
		  struct odf_flash_result *r, struct odf_diag *d)
{
	return job(s, o, r, d, OP_FLASH);
}

int
odf_session_recover(struct odf_session *s, const struct odf_flash_opts *o,
		    struct odf_flash_result *r, struct odf_diag *d)
{
	return job(s, o, r, d, OP_RECOVER);
}

int
odf_session_verify(struct odf_session *s, const struct odf_flash_opts *o,
		   struct odf_flash_result *r, struct odf_diag *d)
{
	return job(s, o, r, d, OP_VERIFY);
}

int
odf_session_dump(struct odf_session *s, const struct odf_flash_opts *o,
		 struct odf_flash_result *r, struct odf_diag *d)
{
	return job(s, o, r, d, OP_DUMP);
}

int
odf_session_leave_mode(struct odf_session *s, const struct odf_flash_opts *o,
		       struct odf_flash_result *r, struct odf_diag *d)
{
	struct odf_flash_opts c;

	if (s == NULL || o == NULL || r == NULL)
		return odf_diag_set(d, ODF_E_USAGE, "no session");
	c = *o;
	c.device = s->device;
	c.file = NULL;
	return odfi_leave_mode_job(s, &c, r, d);
}
