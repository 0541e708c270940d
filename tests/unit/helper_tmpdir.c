/* Test helpers: a scratch directory per test group (helper_tmpdir.h). */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "helper_tmpdir.h"
#include "util/platform.h"

int
odf_test_mkdtemp(char *dir, size_t len, const char *tag)
{
	const char *base = getenv("TMPDIR");
	int n;

	if (base == NULL || *base == '\0')
		base = getenv("TEMP");	/* Windows */
	if (base == NULL || *base == '\0')
		base = "/tmp";
	n = snprintf(dir, len, "%s/odf-test-%s.XXXXXX", base, tag);
	if (n < 0 || (size_t)n >= len)
		return -1;
	return mkdtemp(dir) ? 0 : -1;
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	/* rmdir for a directory: Windows' remove() deletes files only */
	return flag == FTW_DP ? rmdir(path) : remove(path);
}

int
odf_test_rmtree(const char *dir)
{
	return nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

unsigned char *
odf_test_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *b = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (b = malloc((size_t)n)) != NULL &&
	    fread(b, 1, (size_t)n, f) == (size_t)n)
		*len = (size_t)n;
	else {
		free(b);
		b = NULL;
	}
	fclose(f);
	return b;
}
