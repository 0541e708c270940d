/* libFuzzer entry point for odemu's state file loader (emu/state.c).
 * The input is a state body; the harness frames it as the file would be
 * (magic, body length, body, the torn-file hash: odemu_state_hash) so
 * that the fuzzer reaches the field checks rather than the hash.  When
 * the fixed fields name a flash size of at most 64 KiB (a multiple of
 * the 4 KiB page) and the body is shorter than that flash needs, the
 * body is padded with FFh to the length the fields call for.  The magic
 * is the one odemu_state_save writes (read back from a saved drive).  A state
 * that loads must save and load again to the same flash and fields. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "emu.h"
#include "odf/bytes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[256], one[300], two[300];
static size_t fixed;	/* bytes of the fixed fields */
static uint8_t magic[8];	/* the state file's, as odemu writes it */

static void
cleanup(void)
{
	unlink(one);
	unlink(two);
	rmdir(dir);
}

static void
setup(void)
{
	const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" :
			   getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	struct odemu_state st;
	struct odf_diag d;
	struct stat sb;
	FILE *f;

	if (snprintf(dir, sizeof(dir), "%s/odf-fuzz.XXXXXX", base) >=
	    (int)sizeof(dir) || mkdtemp(dir) == NULL)
		abort();
	snprintf(one, sizeof(one), "%s/one", dir);
	snprintf(two, sizeof(two), "%s/two", dir);
	atexit(cleanup);
	/* the fixed fields' length, from a saved 4 KiB drive */
	memset(&st, 0, sizeof(st));
	if (odemu_state_alloc(&st, ODEMU_PAGE, &d) < 0 ||
	    odemu_state_save(one, &st, &d) < 0 || stat(one, &sb) < 0)
		abort();
	odemu_state_free(&st);
	/* the magic (format version) from that file, never a copy here
	 * that would go stale when the format moves on */
	f = fopen(one, "rb");
	if (f == NULL || fread(magic, 1, 8, f) != 8 || fclose(f) != 0)
		abort();
	fixed = (size_t)sb.st_size - 20 - 2 * ODEMU_PAGE - 1;
}

static void
frame(const uint8_t *body, size_t n)
{
	uint8_t *f = malloc(n + 20);
	uint64_t h;
	FILE *o;

	if (f == NULL)
		abort();
	memcpy(f, magic, 8);
	odf_put_le32(f + 8, (uint32_t)n);
	if (n)
		memcpy(f + 12, body, n);
	h = odemu_state_hash(f + 12, n);
	odf_put_le32(f + 12 + n, (uint32_t)h);
	odf_put_le32(f + 16 + n, (uint32_t)(h >> 32));
	o = fopen(one, "wb");
	if (o == NULL || fwrite(f, 1, n + 20, o) != n + 20 || fclose(o) != 0)
		abort();
	free(f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct odemu_state a, b;
	struct odf_diag d;
	uint8_t *pad = NULL;

	if (!dir[0])
		setup();
	if (size >= fixed && size >= 4) {
		uint32_t fsz = odf_le32(data + fixed - 4);
		size_t need = fixed + 2 * (size_t)fsz + fsz / ODEMU_PAGE;

		if (fsz && fsz <= 0x10000 && fsz % ODEMU_PAGE == 0 &&
		    size < need && (pad = malloc(need)) != NULL) {
			memcpy(pad, data, size);
			memset(pad + size, 0xFF, need - size);
			data = pad;
			size = need;
		}
	}
	frame(data, size);
	free(pad);
	odf_diag_clear(&d);
	if (odemu_state_load(one, &a, &d) < 0) {
		if (d.msg[0] == 0)
			abort();
		return 0;
	}
	if (memchr(a.model, 0, sizeof(a.model)) == NULL ||
	    memchr(a.serial, 0, sizeof(a.serial)) == NULL ||
	    a.n_ua > ODEMU_MAX_UA)
		abort();
	if (odemu_state_save(two, &a, &d) < 0 ||
	    odemu_state_load(two, &b, &d) < 0 ||
	    a.flash_size != b.flash_size ||
	    memcmp(a.flash, b.flash, a.flash_size) != 0 ||
	    memcmp(a.ram, b.ram, a.flash_size) != 0 ||
	    strcmp(a.model, b.model) != 0 || strcmp(a.serial, b.serial) != 0)
		abort();
	odemu_state_free(&a);
	odemu_state_free(&b);
	return 0;
}
