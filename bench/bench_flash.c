/* Benchmark: how much time the flash pipeline adds to what the drive
 * itself needs.  An emulated ND-3500A (1 MiB NEC) runs with a time
 * scale, so it sleeps its modeled erase, program and transfer times; a
 * whole `odflash flash` (identify, bootcode read, backup read twice,
 * plan, verify by reading back) runs in-process through the emu:
 * transport.  The figure is wall time / the drive's own modeled time
 * (times the scale): 1.00 would mean odflash costs nothing on top of
 * the drive.  Target <= 1.02.  Prints figures, never fails on timing.
 *
 * BENCH_TIME_SCALE (default 0.25; 1 = the real part's timings, about
 * 25 s per flash) and BENCH_RUNS (default 2) tune it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"
#include "odemu/odemu.h"
#include "odf/flash.h"
#include "odf/session.h"

static int
yes(void *ctx, const struct odf_confirm *c)
{
	(void)ctx;
	(void)c;
	return 1;
}

static int
status(const char *st, struct odemu_status *s)
{
	struct odemu *e;
	struct odf_diag d = { 0 };

	if (odemu_open_admin(st, &e, &d) < 0) {
		fprintf(stderr, "bench_flash: %s\n", d.msg);
		return -1;
	}
	odemu_get_status(e, s);
	odemu_close(e);
	return 0;
}

static int
one(const char *dir, int k, double scale, bool backup)
{
	char st[4200], img[4200], sdir[4200], dev[4300];
	struct odemu_new_opts no = { .version = "1.00", .time_scale = scale };
	struct odemu_status s0, s1;
	struct odf_flash_opts o;
	struct odf_session *sess = NULL;
	struct odf_flash_result r;
	struct odf_diag d = { 0 };
	uint8_t *buf = NULL;
	size_t len = 0;
	FILE *f;
	double t0, wall, model, cpu0, cpu, slept, rest;
	int rc;

	snprintf(st, sizeof(st), "%s/drive%d.state", dir, k);
	snprintf(img, sizeof(img), "%s/v2.bin", dir);
	snprintf(sdir, sizeof(sdir), "%s/state%d", dir, k);
	snprintf(dev, sizeof(dev), "emu:%s", st);
	if (odemu_create("nec-nd3500", st, &no, &d) < 0 ||
	    odemu_mkimage("nec-nd3500", "2.00", &buf, &len, &d) < 0) {
		fprintf(stderr, "bench_flash: %s\n", d.msg);
		return -1;
	}
	f = fopen(img, "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "bench_flash: cannot write %s\n", img);
		free(buf);
		return -1;
	}
	free(buf);
	if (status(st, &s0) < 0)
		return -1;
	memset(&o, 0, sizeof(o));
	o.device = dev;
	o.file = img;
	o.no_backup = !backup;
	o.state_dir = sdir;
	o.ui.confirm = yes;
	cpu0 = cpu_now();
	t0 = now();
	rc = odf_session_new(NULL, dev, img, &sess, &d);
	if (rc == 0)
		rc = odf_session_flash(sess, &o, &r, &d);
	odf_session_free(sess);
	wall = now() - t0;
	cpu = cpu_now() - cpu0;
	if (rc < 0) {
		fprintf(stderr, "bench_flash: flash failed: %s\n", d.msg);
		return -1;
	}
	if (status(st, &s1) < 0)
		return -1;
	model = (double)(s1.modeled_ns - s0.modeled_ns) / 1e9;
	slept = (double)(s1.slept_ns - s0.slept_ns) / 1e9;
	rest = wall - model * scale;
	printf("bench_flash: ND-3500A 1 MiB, %s, time scale %.2f: wall %.3f s, "
	       "drive's modeled time %.3f s x %.2f = %.3f s (slept %.3f s), "
	       "%llu commands: ratio %.3f (target <= 1.02)\n",
	       backup ? "backup + flash + read-back" : "flash + read-back "
	       "(--no-backup)", scale, wall, model, scale, model * scale,
	       slept, (unsigned long long)(s1.n_cmds - s0.n_cmds),
	       wall / (model * scale));
	/* where the rest goes.  The emulated drive does its own work (its
	 * state file saves, ~4 ms each on a disk) within its modelled busy
	 * time and makes up answers that came late (emu/flash.c, the
	 * drive's clock), so wall - model is odflash's own time between
	 * commands plus what the drive could not make up; the CPU figure
	 * is odflash's and the drive's together (one process). */
	printf("bench_flash:   wall - the drive's time: %.3f s (odflash "
	       "between commands, and the drive's answers later than its "
	       "model that it could not make up); CPU %.3f s (odflash and "
	       "the emulated drive, in one process; the drive's share is "
	       "done within its busy time); load %s\n", rest, cpu,
	       loadavg());
	return 0;
}

int
main(void)
{
	const char *e = getenv("BENCH_TIME_SCALE");
	const char *n = getenv("BENCH_RUNS");
	double scale = e ? atof(e) : 0.25;
	int runs = n ? atoi(n) : 2;
	char dir[4096];
	const char *tmp = getenv("TMPDIR");
	int rc = 0;

	(void)odemu_transport_register();	/* emu:STATE drives */
	if (scale <= 0 || runs < 1) {
		fprintf(stderr, "bench_flash: BENCH_TIME_SCALE > 0, BENCH_RUNS "
			">= 1\n");
		return 1;
	}
	snprintf(dir, sizeof(dir), "%s/odf-bench-flash.XXXXXX",
		 tmp && tmp[0] ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		perror("bench_flash: mkdtemp");
		return 1;
	}
	for (int k = 0; k < runs && rc == 0; k++)
		rc = one(dir, k, scale, k % 2 == 0);
	{	/* our own scratch directory, made above */
		pid_t pid = fork();

		if (pid == 0) {
			execlp("rm", "rm", "-rf", "--", dir, (char *)NULL);
			_exit(127);
		}
		if (pid > 0)
			waitpid(pid, NULL, 0);
	}
	return rc ? 1 : 0;
}
