/* What the benchmarks share: a monotonic clock in seconds. */
#ifndef ODF_BENCH_UTIL_H
#define ODF_BENCH_UTIL_H

#include <time.h>

static inline double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

#endif
