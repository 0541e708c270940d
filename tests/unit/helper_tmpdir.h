/* Test helpers: a scratch directory per test group. */
#ifndef ODF_TEST_HELPER_TMPDIR_H
#define ODF_TEST_HELPER_TMPDIR_H

#include <stddef.h>

/* Make "$TMPDIR/odf-test-TAG.XXXXXX" (TMPDIR defaults to /tmp) into dir;
 * returns 0 or -1. */
int odf_test_mkdtemp(char *dir, size_t len, const char *tag);
/* Remove dir and everything below it; returns 0 or -1. */
int odf_test_rmtree(const char *dir);
/* The whole of a non-empty file in a malloc'd buffer, its size in *len;
 * NULL if it cannot be read whole or is empty. */
unsigned char *odf_test_slurp(const char *path, size_t *len);

#endif
