/* odemu mkimage, mkboot, dumpflash: files out of the emulator (moved
 * from cli/odemu/main.c). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/cli.h"
#include "odemu/odemu.h"
#include "commands.h"
#include "util/platform.h"

/* ---- files ------------------------------------------------------------------ */
static int
write_file(const char *path, const uint8_t *p, size_t n)
{
	struct odf_diag d;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	size_t done = 0;

	odf_diag_clear(&d);
	if (fd < 0) {
		odf_diag_set(&d, ODF_E_FILE, "cannot write %s: %s", path,
			     strerror(errno));
		return cli_fail(&d, ODF_E_FILE);
	}
	while (done < n) {
		ssize_t w = write(fd, p + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			odf_diag_set(&d, ODF_E_FILE, "cannot write %s: %s",
				     path, strerror(errno));
			close(fd);
			return cli_fail(&d, ODF_E_FILE);
		}
		done += (size_t)w;
	}
	if (close(fd) < 0) {
		odf_diag_set(&d, ODF_E_FILE, "cannot write %s: %s", path,
			     strerror(errno));
		return cli_fail(&d, ODF_E_FILE);
	}
	return 0;
}

static int
take_output(int argc, char **argv, const char **pos, const char **out,
	    const char **version)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0 ||
		    (version && strcmp(a, "--version") == 0)) {
			if (i + 1 >= argc)
				return cli_usage_error("%s needs a value", a);
			if (a[1] == 'o' || a[2] == 'o')
				*out = argv[++i];
			else
				*version = argv[++i];
		} else if (a[0] == '-' && a[1]) {
			return cli_usage_error("unknown option '%s'", a);
		} else if (*pos == NULL) {
			*pos = a;
		} else {
			return cli_usage_error("unexpected argument '%s'", a);
		}
	}
	return 0;
}

/* odemu mkimage / mkboot: build a file for MODEL with the emulator's own
 * builder and write it to -o FILE. */
typedef int (*make_fn)(const char *model, const char *version, uint8_t **out,
		       size_t *len, struct odf_diag *d);

static int
make_file(int argc, char **argv, make_fn make, const char *usage,
	  const char *what)
{
	const char *model = NULL, *out = NULL, *version = NULL;
	struct odf_diag d;
	uint8_t *img = NULL;
	size_t len = 0;
	int rc;

	rc = take_output(argc, argv, &model, &out, &version);
	if (rc)
		return rc;
	if (model == NULL || out == NULL)
		return cli_usage_error("%s (models: %s)", usage,
				       odemu_model_names());
	odf_diag_clear(&d);
	rc = make(model, version, &img, &len, &d);
	if (rc < 0)
		return cli_fail(&d, rc);
	rc = write_file(out, img, len);
	free(img);
	if (rc == 0)
		cli_note("wrote %s %s (%zu bytes) to %s", model, what, len, out);
	return rc;
}

int
cmd_mkimage(int argc, char **argv)
{
	return make_file(argc, argv, odemu_mkimage,
			 "usage: odemu mkimage MODEL -o FILE [--version V]",
			 "image");
}

int
cmd_mkboot(int argc, char **argv)
{
	return make_file(argc, argv, odemu_mkboot,
			 "usage: odemu mkboot MODEL -o FILE [--version NN]",
			 "bootcode");
}

int
cmd_dumpflash(int argc, char **argv)
{
	const char *state = NULL, *out = NULL;
	struct odemu *e;
	const uint8_t *p;
	size_t len;
	int rc;

	rc = take_output(argc, argv, &state, &out, NULL);
	if (rc)
		return rc;
	if (state == NULL || out == NULL)
		return cli_usage_error("usage: odemu dumpflash STATE -o FILE");
	rc = open_admin(state, &e);
	if (rc)
		return rc;
	p = odemu_flash(e, &len);
	rc = write_file(out, p, len);
	odemu_close(e);
	return rc;
}
