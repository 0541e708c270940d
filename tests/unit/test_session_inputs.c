/* The session's other inputs and its progress, in-process against
 * emulated drives: the image given as bytes with a display name
 * (odf_session_set_image), a device the caller opened
 * (odf_session_new_dev: used, found again after the drive re-enumerates,
 * never closed by the session), and ODF_EV_PROGRESS counted in bytes of
 * the image for each family the emulator has: monotonic, one total, the
 * last event at exactly the image's size. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "helper_session.h"
#include "odf/image.h"
#include "odf/scsi.h"
#include "odf/session.h"
#include "odf/transport.h"

/* The last journal entry of the drive's state directory. */
static void
last_journal(const struct odf_test_drive *t, struct odf_journal_entry *e)
{
	struct odf_journal_entry *list = NULL;
	size_t n = 0, skipped = 0;
	struct odf_diag d;

	assert_int_equal(odf_journal_read(t->sdir, &list, &n, &skipped, &d),
			 0);
	assert_true(n > 0);
	*e = list[n - 1];
	free(list);
}

static void
test_flash_from_bytes(void **state)
{
	static const char name[] = "ND3500A 2.00 (downloaded)";
	struct odf_test_drive t;
	struct odf_flash_opts o;
	struct odf_flash_result res;
	struct odf_journal_entry je;
	struct odemu_status st;
	struct odf_session *s = NULL;
	struct odf_diag d;
	struct odf_ctx *ctx;
	uint8_t *copy;
	(void)state;

	odf_test_drive_new(&t, "nec-nd3500", "1.00", "2.00", "ses-bytes");
	ctx = odf_test_ctx(&t);
	odf_test_opts(&o);
	/* no file at all: the session gets the bytes, copies them, and the
	 * caller's buffer is gone (and scribbled over) before the flash */
	assert_int_equal(odf_session_new(ctx, t.dev, NULL, &s, &d), 0);
	assert_int_equal(odf_session_set_image(s, NULL, 0, name, &d),
			 ODF_E_USAGE);
	copy = malloc(t.img_len);
	assert_non_null(copy);
	memcpy(copy, t.img_buf, t.img_len);
	assert_int_equal(odf_session_set_image(s, copy, t.img_len, name, &d),
			 0);
	memset(copy, 0xA5, t.img_len);
	free(copy);
	assert_int_equal(remove(t.img), 0);
	assert_int_equal(odf_session_flash(s, &o, &res, &d), 0);
	assert_string_equal(res.result, "ok");
	assert_true(res.changed);
	odf_test_drive_status(&t, &st);
	assert_string_equal(st.revision, "2.00");
	/* the journal names the image by the name given, with its hash */
	last_journal(&t, &je);
	assert_string_equal(je.op, "flash");
	assert_string_equal(je.file, name);
	assert_string_equal(je.result, "ok");
	assert_string_equal(je.sha256, res.sha256);
	assert_string_equal(je.rev_after, "2.00");
	/* a flash from bytes that fails half way: the recover command
	 * cannot name a file, it says FILE */
	{
		struct odemu_fault_opts fo;
		struct odemu *e = NULL;

		memset(&fo, 0, sizeof(fo));
		fo.set[ODEMU_F_CUT_BYTES] = true;
		fo.val[ODEMU_F_CUT_BYTES] = 1000;
		assert_int_equal(odemu_open_admin(t.state, &e, &d), 0);
		assert_int_equal(odemu_set_faults(e, &fo, &d), 0);
		odemu_close(e);
	}
	assert_int_equal(odf_session_flash(s, &o, &res, &d), ODF_E_FLASH);
	assert_true(res.changed);
	assert_string_equal(res.result, "failed");
	{
		/* the CLI builds "odflash recover DEV FILE" from these
		 * (cli_recover_cmd): bytes have no path */
		assert_true(res.needs_recover);
		assert_string_equal(res.device, t.dev);
		assert_string_equal(res.recover_file, "FILE");
	}
	last_journal(&t, &je);
	assert_string_equal(je.file, name);
	assert_string_equal(je.result, "failed");
	{
		struct odemu *e = NULL;

		assert_int_equal(odemu_open_admin(t.state, &e, &d), 0);
		assert_int_equal(odemu_power_on(e, &d), 0);
		odemu_close(e);
	}
	assert_int_equal(odf_session_recover(s, &o, &res, &d), 0);
	assert_string_equal(res.after.revision, "2.00");
	/* the same session again, now with bytes that are no firmware: the
	 * refusal names the image by its name, the drive is untouched */
	{
		uint8_t junk[4096];

		memset(junk, 'x', sizeof(junk));
		assert_int_equal(odf_session_set_image(s, junk, sizeof(junk),
						       "junk.bin (memory)",
						       &d), 0);
	}
	assert_int_equal(odf_session_flash(s, &o, &res, &d), ODF_E_FORMAT);
	assert_false(res.changed);
	assert_non_null(strstr(d.msg, "junk.bin (memory)"));
	odf_session_free(s);
	/* NULL name: "(memory)" */
	assert_int_equal(odf_session_new(ctx, t.dev, "ignored.bin", &s, &d), 0);
	assert_int_equal(odf_session_set_image(s, t.img_buf, t.img_len, NULL,
					       &d), 0);
	o.dry_run = true;
	assert_int_equal(odf_session_flash(s, &o, &res, &d), 0);
	assert_string_equal(res.result, "dry-run");
	odf_session_free(s);
	odf_ctx_free(ctx);
	odf_test_drive_free(&t);
}

static void
test_flash_on_a_callers_device(void **state)
{
	struct odf_test_drive t;
	struct odf_flash_opts o;
	struct odf_flash_result res;
	struct odf_journal_entry je;
	struct odemu_status st, before;
	struct odemu_fault_opts fo;
	struct odf_session *s = NULL;
	struct odf_inquiry inq;
	struct odf_dev *dev = NULL;
	struct odemu *e = NULL;
	struct odf_diag d;
	struct odf_ctx *ctx;
	(void)state;

	odf_test_drive_new(&t, "nec-nd3500", "1.00", "2.00", "ses-dev");
	ctx = odf_test_ctx(&t);
	odf_test_opts(&o);
	/* after the flash the drive reboots and stays off the bus for two
	 * opens: the session must find it again on the caller's handle */
	memset(&fo, 0, sizeof(fo));
	fo.set[ODEMU_F_REENUM] = true;
	fo.val[ODEMU_F_REENUM] = 2;
	assert_int_equal(odemu_open_admin(t.state, &e, &d), 0);
	assert_int_equal(odemu_set_faults(e, &fo, &d), 0);
	odemu_close(e);
	odf_test_drive_status(&t, &before);

	/* a handle opened for reading only is refused for a flash */
	assert_int_equal(odf_dev_open_ctx(ctx, t.dev, ODF_OPEN_READ, &dev,
					  &d), 0);
	assert_int_equal(odf_session_new_dev(ctx, dev, t.img, &s, &d), 0);
	assert_int_equal(odf_session_flash(s, &o, &res, &d), ODF_E_USAGE);
	assert_false(res.changed);
	assert_non_null(strstr(d.msg, "reading only"));
	odf_session_free(s);
	/* ... and left open: it still answers */
	assert_int_equal(odf_inquiry(dev, &inq, &d), 0);
	assert_string_equal(inq.revision, "1.00");
	odf_dev_close(dev);
	odf_test_drive_status(&t, &st);
	assert_string_equal(st.flash_sha256, before.flash_sha256);

	assert_int_equal(odf_dev_open_ctx(ctx, t.dev, ODF_OPEN_WRITE, &dev,
					  &d), 0);
	assert_int_equal(odf_session_new_dev(NULL, NULL, t.img, &s, &d),
			 ODF_E_USAGE);
	assert_null(s);
	assert_int_equal(odf_session_new_dev(ctx, dev, t.img, &s, &d), 0);
	assert_int_equal(odf_session_flash(s, &o, &res, &d), 0);
	assert_string_equal(res.result, "ok");
	assert_string_equal(res.after.revision, "2.00");
	odf_session_free(s);
	/* the session did not close the caller's handle: it answers, with
	 * the new firmware, through the reopened connection */
	assert_int_equal(odf_inquiry(dev, &inq, &d), 0);
	assert_string_equal(inq.revision, "2.00");
	/* the journal names the device by the handle's name */
	last_journal(&t, &je);
	assert_string_equal(je.device, t.dev);
	assert_string_equal(je.file, t.img);
	assert_string_equal(je.result, "ok");
	odf_dev_close(dev);
	odf_test_drive_status(&t, &st);
	assert_string_equal(st.revision, "2.00");
	assert_int_equal(st.fault[ODEMU_F_REENUM_LEFT], 0);
	odf_ctx_free(ctx);
	odf_test_drive_free(&t);
}

/* ---- progress in bytes of the image ------------------------------------ */
struct prog {
	size_t n, bad;
	uint64_t last, total;
};

static void
on_progress(void *user, const struct odf_event *ev)
{
	struct prog *p = user;

	if (ev->kind != ODF_EV_PROGRESS || ev->stage != ODF_STAGE_WRITE)
		return;
	if (ev->bytes_done <= p->last ||
	    (p->n && ev->bytes_total != p->total) ||
	    ev->bytes_done > ev->bytes_total)
		p->bad++;
	p->n++;
	p->last = ev->bytes_done;
	p->total = ev->bytes_total;
}

static const struct {
	const char *model, *from, *to;
} fams[] = {
	{ "nec-nd3500", "1.00", "2.00" },
	{ "nec-nd3550", "1.00", "2.00" },
	{ "optiarc-ad7170", "1.00", "2.00" },
	{ "spc-generic", "1.00", "2.00" },
	{ "lg-gsa4163b", "1.00", "2.00" },
	{ "plextor-px716", "1.00", "2.00" },
	{ "pioneer-dvr109", "1.00", "2.00" },
	{ "pioneer-dvr104", "1.00", "2.00" },
	{ "ps3-bd", "1.00", "2.00" },
	{ "tsst-se506cb", "1.00", "2.00" },
	{ "tsst-tsh353c", "1.00", "2.00" },
};

static void
test_progress_in_image_bytes(void **state)
{
	size_t ran = 0;
	(void)state;

	for (size_t i = 0; i < sizeof(fams) / sizeof(fams[0]); i++) {
		struct odf_test_drive t;
		struct odf_flash_opts o;
		struct odf_flash_result res;
		struct odf_session *s = NULL;
		struct odf_image *img = NULL;
		const struct odf_image_info *info;
		struct prog p = { 0 };
		struct odf_diag d;
		struct odf_ctx *ctx;
		size_t plen = 0;
		int rc;

		odf_test_drive_new(&t, fams[i].model, fams[i].from,
				   fams[i].to, "ses-progress");
		ctx = odf_test_ctx(&t);
		odf_test_opts(&o);
		assert_int_equal(odf_image_load(t.img, ODF_FAMILY_UNKNOWN, &img,
						&d), 0);
		info = odf_image_info(img, 0);
		assert_non_null(info);
		assert_non_null(odf_image_data(img, 0, &plen));
		/* "lazy:": the emulator, its state saved once */
		assert_int_equal(odf_session_new(ctx, t.ldev, t.img, &s, &d),
				 0);
		odf_session_set_events(s, on_progress, &p);
		rc = odf_session_flash(s, &o, &res, &d);
		print_message("%-15s image %zu bytes (file %zu): %zu progress "
			      "events, last %llu of %llu%s%s\n", fams[i].model,
			      plen, t.img_len, p.n,
			      (unsigned long long)p.last,
			      (unsigned long long)p.total,
			      rc ? ", flash failed: " : "", rc ? d.msg : "");
		/* a Plextor file names no version: the flash ends
		 * cannot-verify (exit 7) with the drive written */
		if (strcmp(fams[i].model, "plextor-px716") == 0) {
			assert_int_equal(rc, ODF_E_VERIFY);
			assert_true(res.changed);
		} else {
			assert_int_equal(rc, 0);
		}
		assert_true(p.n > 0);
		assert_int_equal(p.bad, 0);
		assert_int_equal(p.total, plen);
		assert_int_equal(p.last, plen);
		odf_image_free(img);
		odf_session_free(s);
		odf_ctx_free(ctx);
		odf_test_drive_free(&t);
		ran++;
	}
	print_message("progress pinned for %zu models\n", ran);
	assert_int_equal(ran, sizeof(fams) / sizeof(fams[0]));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flash_from_bytes),
		cmocka_unit_test(test_flash_on_a_callers_device),
		cmocka_unit_test(test_progress_in_image_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
