/* What the benchmarks share: a monotonic clock and the CPU clock, in
 * seconds. */
#ifndef ODF_BENCH_UTIL_H
#define ODF_BENCH_UTIL_H

#include <stdio.h>
#include <time.h>

static inline double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* This process's CPU time (user + system) in seconds. */
static inline double
cpu_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The 1-minute load average, as /proc/loadavg says ("?" elsewhere). */
static inline const char *
loadavg(void)
{
	static char buf[16] = "?";
	FILE *f = fopen("/proc/loadavg", "r");

	if (f) {
		if (fscanf(f, "%15s", buf) != 1)
			snprintf(buf, sizeof(buf), "?");
		fclose(f);
	}
	return buf;
}

#endif
