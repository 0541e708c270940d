/* Test helpers: an emulated drive with a firmware image beside it
 * (helper_session.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "helper_session.h"
#include "helper_tmpdir.h"
#include "odf/transport.h"

void
odf_test_drive_new(struct odf_test_drive *t, const char *model,
		   const char *from, const char *to, const char *tag)
{
	struct odemu_new_opts no = { .version = from, .serial = "SES1" };
	struct odf_diag d;
	FILE *fp;

	memset(t, 0, sizeof(*t));
	assert_int_equal(odf_test_mkdtemp(t->dir, sizeof(t->dir), tag), 0);
	snprintf(t->state, sizeof(t->state), "%s/d.state", t->dir);
	snprintf(t->img, sizeof(t->img), "%s/new.bin", t->dir);
	snprintf(t->sdir, sizeof(t->sdir), "%s/state", t->dir);
	snprintf(t->dev, sizeof(t->dev), "emu:%s", t->state);
	snprintf(t->ldev, sizeof(t->ldev), "lazy:%s", t->state);
	if (odemu_create(model, t->state, &no, &d) < 0)
		fail_msg("odemu_create %s: %s", model, d.msg);
	if (odemu_mkimage(model, to, &t->img_buf, &t->img_len, &d) < 0)
		fail_msg("odemu_mkimage %s %s: %s", model, to, d.msg);
	fp = fopen(t->img, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(t->img_buf, 1, t->img_len, fp), t->img_len);
	assert_int_equal(fclose(fp), 0);
}

void
odf_test_drive_free(struct odf_test_drive *t)
{
	odf_test_rmtree(t->dir);
	free(t->img_buf);
	t->img_buf = NULL;
}

void
odf_test_drive_status(const struct odf_test_drive *t, struct odemu_status *st)
{
	struct odemu *e = NULL;
	struct odf_diag d;

	if (odemu_open_admin(t->state, &e, &d) < 0)
		fail_msg("odemu_open_admin: %s", d.msg);
	odemu_get_status(e, st);
	odemu_close(e);
}

struct odf_ctx *
odf_test_ctx(const struct odf_test_drive *t)
{
	struct odf_ctx *ctx = odf_ctx_new();

	assert_non_null(ctx);
	odf_ctx_set_knob(ctx, ODF_KNOB_POLL_MS, 1);
	odf_ctx_set_knob(ctx, ODF_KNOB_REOPEN_DELAY_MS, 1);
	odf_ctx_set_knob(ctx, ODF_KNOB_WAIT_MAX_MS, 0);
	odf_ctx_set_path(ctx, ODF_PATH_STATE_DIR, t->sdir);
	return ctx;
}

static int
yes(void *ctx, const struct odf_confirm *c)
{
	(void)ctx;
	(void)c;
	return 1;
}

void
odf_test_opts(struct odf_flash_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->no_backup = true;
	o->ui.confirm = yes;
}

/* ---- the "lazy:" transport -------------------------------------------- */
bool (*odf_test_exec_hook)(struct odemu *emu, struct odf_cmd *c);

static int
lazy_open(void **priv, const char *path, unsigned flags,
	  struct odf_dev_info *info, struct odf_diag *d)
{
	struct odemu *e = NULL;
	int rc = odemu_open(path, &e, d);

	if (rc < 0)
		return rc;
	odemu_set_lazy_save(e, true);
	*priv = e;
	info->bus = odemu_bus(e);
	info->max_transfer = odemu_max_transfer(e);
	info->writable = (flags & ODF_OPEN_WRITE) != 0;
	snprintf(info->sysfs, sizeof(info->sysfs), "%s", path);
	return 0;
}

static int
lazy_exec(void *priv, struct odf_cmd *c)
{
	if (!odf_test_exec_hook || !odf_test_exec_hook(priv, c))
		odemu_exec(priv, c);
	return 0;
}

static void
lazy_close(void *priv)
{
	odemu_close(priv);
}

static const struct odf_backend_ops lazy_ops = {
	.name = "lazy", .prefix = "lazy:",
	.open = lazy_open, .exec = lazy_exec, .close = lazy_close,
};

static void register_lazy(void) __attribute__((constructor));

static void
register_lazy(void)
{
	if (odf_transport_register(&lazy_ops) < 0)
		abort();
}
