/* examples/flash_emu.c: flash a drive through libodf's session API and
 * print what happens, as a front end (a GUI, a duplicator daemon) would.
 *
 *   cc flash_emu.c $(pkg-config --cflags --libs odemu odflash) -o flash_emu
 *   odemu new nec-nd3500 d.state && odemu mkimage nec-nd3500 -o v2.bin
 *   ./flash_emu emu:d.state v2.bin /tmp/odflash-state
 *
 * With libodemu linked, "emu:PATH" names an emulated drive; without it,
 * any /dev/srN works the same way (as root). */
#include <stdio.h>
#include <string.h>

#include <odemu/odemu.h>
#include <odf/ctx.h>
#include <odf/session.h>

static void
on_event(void *user, const struct odf_event *ev)
{
	(void)user;
	switch (ev->kind) {
	case ODF_EV_STAGE:
		printf("stage %s\n", odf_stage_name(ev->stage));
		break;
	case ODF_EV_STEP_DONE:
		if (ev->status != 0)
			printf("  step %zu/%zu %s failed (%d)\n", ev->step + 1,
			       ev->steps, ev->label, ev->status);
		break;
	case ODF_EV_PONR_REACHED:
		printf("  point of no return at step %zu: %s\n", ev->step + 1,
		       ev->label);
		break;
	case ODF_EV_PONR_LEFT:
		printf("  the drive is safe again after step %zu\n",
		       ev->step + 1);
		break;
	case ODF_EV_PROGRESS:
		if (ev->bytes_done == ev->bytes_total)
			printf("  %llu of %llu bytes of the image sent\n",
			       (unsigned long long)ev->bytes_done,
			       (unsigned long long)ev->bytes_total);
		break;
	case ODF_EV_RESULT:
		printf("result %s (error: %s, changed: %s)\n",
		       ev->result->result, ev->result->err ?
		       odf_err_name(ev->result->err) : "none",
		       ev->result->changed ? "yes" : "no");
		break;
	default:
		break;
	}
}

/* The confirmation: the library gives the facts, the front end words
 * them (odflash: cli/common/question.c). */
static int
yes(void *user, const struct odf_confirm *c)
{
	(void)user;
	printf("confirm: %s %s %s with %s (version %s -> %s), backup %s -> "
	       "yes\n", c->job == ODF_JOB_RECOVER ? "recover" : "flash",
	       c->drive->vendor, c->drive->product, c->file,
	       c->drive->revision, c->image_version,
	       c->backup[0] ? c->backup : "none");
	return 1;
}

int
main(int argc, char **argv)
{
	struct odf_ctx *ctx;
	struct odf_session *s = NULL;
	struct odf_flash_opts o;
	struct odf_flash_result r;
	struct odf_diag d;
	int rc;

	if (argc != 4) {
		fprintf(stderr, "usage: %s DEVICE IMAGE STATE_DIR\n", argv[0]);
		return 1;
	}
	if (odemu_transport_register() < 0)
		return 1;
	ctx = odf_ctx_new();
	if (ctx == NULL)
		return 1;
	odf_ctx_set_path(ctx, ODF_PATH_STATE_DIR, argv[3]);
	odf_ctx_set_knob(ctx, ODF_KNOB_POLL_MS, 5);
	odf_ctx_set_knob(ctx, ODF_KNOB_REOPEN_DELAY_MS, 10);
	rc = odf_session_new(ctx, argv[1], argv[2], &s, &d);
	if (rc == 0) {
		memset(&o, 0, sizeof(o));
		o.ui.confirm = yes;
		odf_session_set_events(s, on_event, NULL);
		rc = odf_session_flash(s, &o, &r, &d);
		if (rc == 0)
			printf("flashed: %s -> %s, backup %s\n",
			       r.before.revision, r.after.revision, r.backup);
	}
	if (rc != 0)
		fprintf(stderr, "%s: %s\n", argv[0], d.msg);
	odf_session_free(s);
	odf_ctx_free(ctx);
	return rc == 0 ? 0 : 1;
}
