/* libFuzzer entry point for the files odflash reads on the host: each
 * input is written where the reader looks (a private directory made once
 * per process, under /dev/shm when there is one) and the public reader
 * is called on it.  Targets (tools/fuzz.sh, -DODF_FUZZ_TARGET="name"):
 *   journal  the input is journal.jsonl: odf_journal_read, then
 *            odf_journal_pick_recovery when every file the entries name
 *            lies in the private directory (it reads and hashes them);
 *   sidecar  a journal with one good dump of b.bin; the input's first
 *            byte N gives b.bin's length, the next N bytes are b.bin and
 *            the rest is its sidecar b.bin.json: pick_recovery checks
 *            the backup against the sidecar's sha256;
 *   mounts   the input is the mounts file: odf_preflight_mounted;
 *   power    fields cut at NUL bytes are the type and online files of up
 *            to four power supplies: odf_preflight_power;
 *   sysfs    a fake sysfs tree with one SCSI device (ATA path, sr0, sg0);
 *            fields cut at NUL bytes are its type, max_hw_sectors_kb and
 *            max_segments files and a device name: odf_scan and
 *            odf_resolve_name.
 * Strings returned must be terminated inside their fields. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "odf/flash.h"
#include "odf/ident.h"
#include "odf/transport.h"


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[256];

static void
cleanup(void)
{
	char cmd[300];

	if (dir[0] && snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir) <
		      (int)sizeof(cmd))
		(void)system(cmd);
}

static void
path(char *out, size_t n, const char *rel)
{
	if (snprintf(out, n, "%s/%s", dir, rel) >= (int)n)
		abort();
}

static void
put(const char *rel, const uint8_t *b, size_t n)
{
	char p[512];
	FILE *f;

	path(p, sizeof(p), rel);
	f = fopen(p, "wb");
	if (f == NULL || (n && fwrite(b, 1, n, f) != n) || fclose(f) != 0)
		abort();
}

static void
mkdirs(const char *rel)
{
	char p[512];

	path(p, sizeof(p), rel);
	for (char *s = p + strlen(dir) + 1; *s; s++)
		if (*s == '/') {
			*s = '\0';
			(void)mkdir(p, 0700);
			*s = '/';
		}
	(void)mkdir(p, 0700);
}

/* Field i of the input cut at NUL bytes (empty past the last). */
static const uint8_t *
field(const uint8_t *b, size_t n, unsigned i, size_t *len)
{
	size_t s = 0, e;

	for (;;) {
		for (e = s; e < n && b[e] != 0; e++)
			;
		if (i-- == 0)
			break;
		if (e >= n) {
			*len = 0;
			return b;
		}
		s = e + 1;
	}
	*len = e - s;
	return b + s;
}

static bool
inside(const char *f)
{
	return f[0] == 0 || (strncmp(f, dir, strlen(dir)) == 0 &&
			     strstr(f, "..") == NULL);
}

static const struct odf_drive_ident drive = {
	.vendor = "FZ", .product = "DRIVE", .serial = "S1",
};

static void
journal(const uint8_t *b, size_t n)
{
	struct odf_journal_entry *v = NULL;
	struct odf_recovery_pick pick;
	struct odf_diag d;
	size_t cnt = 0, skipped = 0;
	bool safe = true;

	put("journal.jsonl", b, n);
	odf_diag_clear(&d);
	if (odf_journal_read(dir, &v, &cnt, &skipped, &d) < 0)
		return;
	for (size_t i = 0; i < cnt; i++) {
		fuzz_terminated(v[i].id, sizeof(v[i].id));
		fuzz_terminated(v[i].file, sizeof(v[i].file));
		fuzz_terminated(v[i].backup, sizeof(v[i].backup));
		fuzz_terminated(v[i].message, sizeof(v[i].message));
		fuzz_terminated(v[i].result, sizeof(v[i].result));
		safe = safe && inside(v[i].file) && inside(v[i].backup);
	}
	free(v);
	if (!safe)
		return;
	odf_diag_clear(&d);
	if (odf_journal_pick_recovery(dir, "fz:drive", &drive, &pick, &d) == 0) {
		fuzz_terminated(pick.file, sizeof(pick.file));
		fuzz_terminated(pick.passed_over, sizeof(pick.passed_over));
	}
}

static void
sidecar(const uint8_t *b, size_t n)
{
	char line[1024], bin[512];
	size_t blen = n ? b[0] : 0;
	struct odf_recovery_pick pick;
	struct odf_diag d;
	int k;

	if (blen > n - (n ? 1 : 0))
		blen = n ? n - 1 : 0;
	path(bin, sizeof(bin), "b.bin");
	put("b.bin", b + 1, blen);
	put("b.bin.json", n ? b + 1 + blen : b, n ? n - 1 - blen : 0);
	k = snprintf(line, sizeof(line),
		     "{\"id\":\"1\",\"phase\":\"outcome\",\"op\":\"dump\","
		     "\"device\":\"fz:drive\",\"file\":\"%s\",\"result\":"
		     "\"ok\",\"vendor\":\"FZ\",\"model\":\"DRIVE\","
		     "\"serial\":\"S1\"}\n", bin);
	if (k < 0 || (size_t)k >= sizeof(line))
		abort();
	put("journal.jsonl", (const uint8_t *)line, (size_t)k);
	odf_diag_clear(&d);
	if (odf_journal_pick_recovery(dir, "fz:drive", &drive, &pick, &d) < 0)
		abort();	/* the journal itself is good */
	if (pick.why == ODF_PICK_BACKUP && strcmp(pick.file, bin) != 0)
		abort();
}

static void
power(const uint8_t *b, size_t n)
{
	struct odf_diag d;
	char sys[512];

	for (unsigned i = 0; i < 4; i++) {
		char rel[64];
		size_t tl, ol;
		const uint8_t *t = field(b, n, 2 * i, &tl);
		const uint8_t *o = field(b, n, 2 * i + 1, &ol);

		snprintf(rel, sizeof(rel), "sys/class/power_supply/ps%u", i);
		mkdirs(rel);
		snprintf(rel, sizeof(rel), "sys/class/power_supply/ps%u/type", i);
		put(rel, t, tl);
		snprintf(rel, sizeof(rel), "sys/class/power_supply/ps%u/online", i);
		put(rel, o, ol);
	}
	path(sys, sizeof(sys), "sys");
	odf_diag_clear(&d);
	if (odf_preflight_power(sys, &d) < 0 && d.msg[0] == 0)
		abort();
}

#define ATA_DEV "sys/devices/pci0000:00/0000:00:1f.2/ata3/host2/" \
		"target2:0:0/2:0:0:0"

static void
sysfs_tree(void)
{
	static const char *const links[][2] = {
		{ "sys/class/scsi_device/2:0:0:0/device", ATA_DEV },
		{ "sys/block/sr0/device", ATA_DEV },
		{ "sys/class/scsi_generic/sg0/device", ATA_DEV },
	};
	char a[512], b[512];

	mkdirs(ATA_DEV "/block/sr0");
	mkdirs(ATA_DEV "/scsi_generic/sg0");
	mkdirs("sys/class/scsi_device/2:0:0:0");
	mkdirs("sys/class/scsi_generic/sg0");
	mkdirs("sys/block/sr0/queue");
	mkdirs("dev");
	put("dev/sr0", (const uint8_t *)"", 0);
	put("dev/sg0", (const uint8_t *)"", 0);
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		path(a, sizeof(a), links[i][1]);
		path(b, sizeof(b), links[i][0]);
		if (symlink(a, b) != 0)
			abort();
	}
}

static void
sysfs(const uint8_t *b, size_t n)
{
	static bool made;
	struct odf_scan_entry *list = NULL;
	struct odf_dev_info info;
	struct odf_diag d;
	char sys[512], dev[512], name[300];
	size_t l;
	const uint8_t *f;

	if (!made) {
		sysfs_tree();
		made = true;
	}
	f = field(b, n, 0, &l);
	put(ATA_DEV "/type", f, l);
	f = field(b, n, 1, &l);
	put("sys/block/sr0/queue/max_hw_sectors_kb", f, l);
	f = field(b, n, 2, &l);
	put("sys/block/sr0/queue/max_segments", f, l);
	f = field(b, n, 3, &l);
	if (l >= sizeof(name))
		l = sizeof(name) - 1;
	memcpy(name, f, l);
	name[l] = 0;
	path(sys, sizeof(sys), "sys");
	path(dev, sizeof(dev), "dev");
	odf_diag_clear(&d);
	if (odf_scan(sys, &list, &l, &d) == 0) {
		for (size_t i = 0; i < l; i++) {
			fuzz_terminated(list[i].info.name, sizeof(list[i].info.name));
			fuzz_terminated(list[i].info.hctl, sizeof(list[i].info.hctl));
		}
		free(list);
	}
	/* a name with a slash that is not /dev/... is a path the reader
	 * would look at anywhere: kept to the fake tree */
	if (strchr(name, '/') && strncmp(name, "/dev/", 5) != 0)
		return;
	if (strstr(name, ".."))
		return;
	odf_diag_clear(&d);
	if (odf_resolve_name(sys, dev, name, &info, &d) == 0) {
		fuzz_terminated(info.sg_path, sizeof(info.sg_path));
		fuzz_terminated(info.block_path, sizeof(info.block_path));
		fuzz_terminated(info.sysfs, sizeof(info.sysfs));
	} else if (d.msg[0] == 0) {
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *t = fuzz_target("journal");

	if (!dir[0]) {
		const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" :
				   getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";

		if (snprintf(dir, sizeof(dir), "%s/odf-fuzz.XXXXXX", base) >=
		    (int)sizeof(dir) || mkdtemp(dir) == NULL)
			abort();
		atexit(cleanup);
	}
	if (strcmp(t, "journal") == 0) {
		journal(data, size);
	} else if (strcmp(t, "sidecar") == 0) {
		sidecar(data, size);
	} else if (strcmp(t, "mounts") == 0) {
		char p[512];

		put("mounts", data, size);
		path(p, sizeof(p), "mounts");
		if (odf_preflight_mounted(p, "/dev/sr0") < 0)
			abort();
	} else if (strcmp(t, "power") == 0) {
		power(data, size);
	} else if (strcmp(t, "sysfs") == 0) {
		sysfs(data, size);
	} else {
		abort();	/* a target name tools/fuzz.sh mistyped */
	}
	return 0;
}
