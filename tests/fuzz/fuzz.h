/* Shared by the libFuzzer entry points of tests/fuzz (not installed). */
#ifndef ODF_FUZZ_H
#define ODF_FUZZ_H

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* The target this binary plays: -DODF_FUZZ_TARGET="name" when built for
 * one, else the environment's ODF_FUZZ_TARGET (tools/fuzz.sh builds one
 * binary per source and sets it), else dflt. */
static inline const char *
fuzz_target(const char *dflt)
{
#ifdef ODF_FUZZ_TARGET
	(void)dflt;
	return ODF_FUZZ_TARGET;
#else
	const char *t = getenv("ODF_FUZZ_TARGET");

	return t != NULL && t[0] ? t : dflt;
#endif
}

/* A string a parser returned must end inside its field. */
static inline void
fuzz_terminated(const char *s, size_t n)
{
	if (memchr(s, 0, n) == NULL)
		abort();
}

#endif
