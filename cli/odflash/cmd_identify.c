/* odflash identify FILE...: what each firmware file is.  Never touches a
 * device.  A bad file does not stop the others; exit 4 if any is bad. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../common/cli.h"
#include "commands.h"
#include "odf/image.h"

static void
fmt_sum(const struct odf_checksum *c, uint32_t v, char *buf, size_t len)
{
	if (c->bits == 16)
		snprintf(buf, len, "0x%04" PRIx32, v & 0xffffu);
	else
		snprintf(buf, len, "0x%08" PRIx32, v);
}

static struct json_object *
checksum_json(const struct odf_image_info *in)
{
	struct json_object *o = json_object_new_object();
	char e[16], a[16];

	if (in == NULL || !in->checksum.present) {
		json_object_object_add(o, "ok", NULL);
		json_object_object_add(o, "expected", NULL);
		json_object_object_add(o, "actual", NULL);
		return o;
	}
	fmt_sum(&in->checksum, in->checksum.expected, e, sizeof(e));
	fmt_sum(&in->checksum, in->checksum.actual, a, sizeof(a));
	cli_json_bool(o, "ok", in->checksum.ok);
	cli_json_str(o, "expected", e);
	cli_json_str(o, "actual", a);
	return o;
}

static struct json_object *
record_json(const char *file, const struct odf_image_info *in,
	    const char *sha256, const struct odf_diag *error)
{
	struct json_object *o = json_object_new_object();

	cli_json_str(o, "file", file);
	cli_json_str(o, "family", in ? odf_family_name(in->family) : NULL);
	cli_json_str(o, "target", in ? in->target : NULL);
	cli_json_str(o, "version", in ? in->version : NULL);
	cli_json_str(o, "bootcode", in ? in->bootcode : NULL);
	if (in)
		cli_json_int(o, "size", (int64_t)in->size);
	else
		json_object_object_add(o, "size", NULL);
	json_object_object_add(o, "checksum", checksum_json(in));
	cli_json_str(o, "sha256", in ? sha256 : NULL);
	/* the one error shape (cli_error_json), null for a good file */
	json_object_object_add(o, "error", error ?
			       cli_error_json(error, error->err, NULL) : NULL);
	if (in) {
		cli_json_str(o, "vendor", in->vendor);
		cli_json_str(o, "model", in->product);
		cli_json_str(o, "revision", in->revision);
		cli_json_str(o, "variant", in->variant);
		cli_json_str(o, "form", in->form);
		cli_json_int(o, "file_offset", (int64_t)in->file_offset);
		cli_json_str(o, "layout", in->layout[0] ? in->layout : NULL);
		cli_json_str(o, "note", in->note);
	}
	return o;
}

static void
print_text(const char *file, const struct odf_image_info *in,
	   const char *sha256)
{
	char e[16], a[16];

	cli_out(stdout, "%s: %s", file, odf_family_name(in->family));
	if (in->target[0])
		cli_out(stdout, " %s", in->target);
	if (in->product[0])
		cli_out(stdout, " (%s%s%s)", in->vendor, in->vendor[0] ? " " : "",
		       in->product);
	if (in->version[0])
		cli_out(stdout, ", version %s", in->version);
	if (in->bootcode[0])
		cli_out(stdout, ", bootcode %s", in->bootcode);
	if (in->variant[0])
		cli_out(stdout, ", %s", in->variant);
	cli_out(stdout, ", %zu bytes", in->size);
	if (strcmp(in->form, "exe") == 0)
		cli_out(stdout, " (inside a Windows updater at offset 0x%zx)",
		       in->file_offset);
	if (in->layout[0])
		cli_out(stdout, ", %s layout", in->layout);
	if (strcmp(in->layout, "rebanked") == 0)
		cli_out(stdout, " (converted to flash layout)");
	if (in->checksum.present) {
		fmt_sum(&in->checksum, in->checksum.expected, e, sizeof(e));
		fmt_sum(&in->checksum, in->checksum.actual, a, sizeof(a));
		if (in->checksum.ok)
			cli_out(stdout, ", checksum ok (%s)", a);
		else
			cli_out(stdout, ", checksum WRONG (file says %s, contents give "
			       "%s)", e, a);
	} else {
		cli_out(stdout, ", no checksum in this format");
	}
	cli_out(stdout, ", sha256 %s\n", sha256);
}

/* Identify one file: 0 good, else the odf_err; err filled for bad files. */
static int
identify_one(const char *file, struct json_object *arr, char *err,
	     size_t errlen)
{
	struct odf_image *img = NULL;
	const struct odf_image_info *in = NULL;
	struct odf_diag d;
	char hint[1200];
	struct stat st;
	size_t parts, p;
	int rc;

	err[0] = '\0';
	odf_diag_clear(&d);
	if (stat(file, &st) != 0) {
		rc = ODF_E_FILE;
		if (errno == ENOENT)
			snprintf(err, errlen, "firmware file '%s' does not "
				 "exist", file);
		else
			snprintf(err, errlen, "cannot read firmware file "
				 "'%s': %s", file, strerror(errno));
		goto bad;
	}
	rc = odf_image_load(file, ODF_FAMILY_UNKNOWN, &img, &d);
	if (rc != 0) {
		const char *m = d.msg[0] ? d.msg : odf_err_str(rc);

		if (strstr(m, file) != NULL)
			snprintf(err, errlen, "%s", m);
		else
			snprintf(err, errlen, "%s: %s", file, m);
		goto bad;
	}
	parts = odf_image_parts(img);
	for (p = 0; p < parts; p++) {
		char name[4200];

		in = odf_image_info(img, p);
		if (in == NULL)
			continue;
		if (parts > 1)
			snprintf(name, sizeof(name), "%s[%zu]", file, p);
		else
			snprintf(name, sizeof(name), "%s", file);
		if (in->checksum.present && !in->checksum.ok) {
			char e[16], a[16];

			fmt_sum(&in->checksum, in->checksum.expected, e,
				sizeof(e));
			fmt_sum(&in->checksum, in->checksum.actual, a,
				sizeof(a));
			snprintf(err, errlen, "%s: checksum wrong: the file "
				 "says %s, its contents give %s", name, e, a);
			rc = ODF_E_CHECKSUM;
			odf_diag_set(&d, rc, "%s", err);
		}
		if (cli_g.json) {
			struct json_object *o = record_json(file, in,
				odf_image_sha256(img, p),
				(rc == ODF_E_CHECKSUM) ? &d : NULL);

			if (parts > 1)
				cli_json_int(o, "part", (int64_t)p);
			json_object_array_add(arr, o);
		} else {
			print_text(name, in, odf_image_sha256(img, p));
		}
	}
	odf_image_free(img);
	if (rc != 0)
		cli_err("%s", err);
	return rc;
bad:
	cli_err("%s", err);
	if (cli_hint_for(&d, NULL, hint, sizeof(hint))[0])
		cli_hint("%s", hint);
	if (cli_g.json) {
		/* the message as printed above, the reason and facts kept */
		d.err = rc;
		snprintf(d.msg, sizeof(d.msg), "%.*s", (int)sizeof(d.msg) - 1,
			 err);
		json_object_array_add(arr, record_json(file, NULL, NULL, &d));
	}
	return rc;
}

int
cmd_identify(int argc, char **argv)
{
	struct json_object *arr = NULL;
	char err[ODF_DIAG_MSG_MAX + 4200];
	int i, nfiles = 0, bad = 0, first_err = 0, opts = 1;

	for (i = 1; i < argc; i++) {
		if (opts && strcmp(argv[i], "--") == 0) {
			opts = 0;
			continue;
		}
		if (opts && argv[i][0] == '-' && argv[i][1] != '\0')
			return cli_usage_error("unknown option '%s'", argv[i]);
		nfiles++;
	}
	if (nfiles == 0)
		return cli_usage_error("missing FILE (one or more firmware "
				       "files)");
	if (cli_g.json)
		arr = json_object_new_array();
	opts = 1;
	for (i = 1; i < argc; i++) {
		int rc;

		if (opts && strcmp(argv[i], "--") == 0) {
			opts = 0;
			continue;
		}
		rc = identify_one(argv[i], arr, err, sizeof(err));
		if (rc != 0) {
			bad++;
			if (first_err == 0)
				first_err = rc;
		}
	}
	if (cli_g.json) {
		struct json_object *o = json_object_new_object();
		int prc;

		json_object_object_add(o, "files", arr);
		prc = cli_json_print(o);
		if (prc != 0)
			return prc;
	} else if (fflush(stdout) != 0) {
		return CLI_EXIT_INTERNAL;
	}
	if (bad == 0)
		return 0;
	if (nfiles > 1)
		cli_err("%d of %d files are bad", bad, nfiles);
	/* every identify error is a bad-file error (exit 4) */
	return cli_exit_code(first_err) == CLI_EXIT_BAD_FILE ?
	       CLI_EXIT_BAD_FILE : cli_exit_code(first_err);
}
