/* odflash session: the state directory, new-file writes, and the
 * journal (JSON lines). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "odf/flash.h"
#include "session/session_int.h"
#include "util/platform.h"

int
odfi_mkdirs(const char *path, struct odf_diag *d)
{
	char tmp[4096];
	size_t l = strlen(path);
	struct stat sb = { 0 };

	if (l >= sizeof(tmp))
		return odf_diag_set(d, ODF_E_BACKUP, "path too long: %s", path);
	memcpy(tmp, path, l + 1);
	for (size_t i = 1; i <= l; i++) {
		if (ODFI_IS_SEP(tmp[i]) || tmp[i] == '\0') {
			char c = tmp[i];

			tmp[i] = '\0';
			/* "C:" (Windows): a drive, not a directory to make */
			if (i == 2 && tmp[1] == ':') {
				tmp[i] = c;
				continue;
			}
			if (mkdir(tmp, 0700) < 0 && errno != EEXIST) {
				if (d)
					d->os_errno = errno;
				return odf_diag_set(d, ODF_E_BACKUP,
						    "cannot create %s: %s", tmp,
						    strerror(errno));
			}
			tmp[i] = c;
		}
	}
	/* The directory itself is ours alone: a symbolic link planted where
	 * it should be (the parents may be links: $HOME often is one) would
	 * send our backups and journal elsewhere (issue #18). */
	if (lstat(path, &sb) < 0 || !S_ISDIR(sb.st_mode)) {
		odf_diag_set(d, ODF_E_BACKUP, "%s is not a directory%s: "
			     "refusing to keep backups or the journal there",
			     path, S_ISLNK(sb.st_mode) ? " but a symbolic link" :
			     "");
		odf_diag_reason(d, ODF_R_STATE_LINK);
		odf_diag_fact_path(d, path);
		return ODF_E_BACKUP;
	}
	return 0;
}

/* EEXIST/ELOOP on a name in the state directory: a link planted there
 * is refused by name (O_EXCL and O_NOFOLLOW never follow it). */
static int
refuse_existing(const char *path, int e, int err, struct odf_diag *d)
{
	struct stat sb;

	if (d)
		d->os_errno = e;
	if ((e == EEXIST || e == ELOOP) && lstat(path, &sb) == 0 &&
	    S_ISLNK(sb.st_mode)) {
		odf_diag_set(d, err, "%s is a symbolic link: refusing to "
			     "follow it (odflash never writes through a link "
			     "in its state directory)", path);
		odf_diag_reason(d, ODF_R_STATE_LINK);
		odf_diag_fact_path(d, path);
		return err;
	}
	odf_diag_set(d, err, "cannot create %s: %s%s", path, strerror(e),
		     e == EEXIST ? " (odflash never overwrites a file)" : "");
	if (e == EEXIST) {
		odf_diag_reason(d, ODF_R_FILE_EXISTS);
		odf_diag_fact_path(d, path);
	}
	return err;
}

int
odfi_write_new_file(const char *path, const uint8_t *buf, size_t len,
		    int err, struct odf_diag *d)
{
	/* O_EXCL: never overwrite, and never follow a link (POSIX open:
	 * with O_CREAT|O_EXCL a symbolic link fails EEXIST); 0600: a backup
	 * is the user's alone. */
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		      O_CLOEXEC, 0600);
	size_t o = 0;

	if (fd < 0)
		return refuse_existing(path, errno, err, d);
	while (o < len) {
		ssize_t w = write(fd, buf + o, len - o);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			int e = errno;

			close(fd);
			unlink(path);
			return odf_diag_set(d, err, "cannot write %s: %s",
					    path, strerror(e));
		}
		o += (size_t)w;
	}
	if (fsync(fd) < 0 || close(fd) < 0) {
		unlink(path);
		return odf_diag_set(d, err, "cannot write %s", path);
	}
	return 0;
}

/* Does the file end without a newline? */
static bool
cut_tail(int fd)
{
	struct stat sb;
	char c;

	return fstat(fd, &sb) == 0 && sb.st_size > 0 &&
	       pread(fd, &c, 1, sb.st_size - 1) == 1 && c != '\n';
}

static void
jstr(struct json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v ? v : ""));
}

/* Write all of buf to fd (O_APPEND: one write per line where it fits). */
static int
write_all(int fd, const char *buf, size_t len)
{
	size_t o = 0;

	while (o < len) {
		ssize_t w = write(fd, buf + o, len - o);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		o += (size_t)w;
	}
	return 0;
}

int
odf_journal_append(const char *state_dir, const struct odf_journal_entry *e,
		   struct odf_diag *d)
{
	char path[4200];
	struct json_object *o;
	const char *s;
	int rc = 0, fd;

	rc = odfi_mkdirs(state_dir, d);
	if (rc < 0)
		return rc;
	snprintf(path, sizeof(path), "%s" ODFI_SEP "journal.jsonl", state_dir);
	o = json_object_new_object();
	if (!o)
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	jstr(o, "id", e->id);
	if (e->phase[0])
		jstr(o, "phase", e->phase);
	if (e->mode[0])
		jstr(o, "mode", e->mode);
	jstr(o, "time", e->time);
	jstr(o, "op", e->op);
	jstr(o, "device", e->device);
	jstr(o, "file", e->file);
	jstr(o, "sha256", e->sha256);
	jstr(o, "result", e->result);
	jstr(o, "error", e->err ? odf_err_name(e->err) : "");
	jstr(o, "vendor", e->vendor);
	jstr(o, "model", e->product);
	jstr(o, "revision_before", e->rev_before);
	jstr(o, "revision_after", e->rev_after);
	jstr(o, "target", e->target);
	jstr(o, "serial", e->serial);
	jstr(o, "backup", e->backup);
	json_object_object_add(o, "plan_steps",
			       json_object_new_int64((int64_t)e->plan_steps));
	if (e->crossflash)
		json_object_object_add(o, "crossflash",
				       json_object_new_boolean(1));
	jstr(o, "message", e->message);
	s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	/* O_NOFOLLOW: a link planted at journal.jsonl is refused, its
	 * target untouched; 0600: the journal is the user's alone. */
	fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
		  0600);
	if (fd < 0) {
		rc = refuse_existing(path, errno, ODF_E_BACKUP, d);
		json_object_put(o);
		return rc;
	}
	/* a line cut by a crash (no newline) ends here, so that it does
	 * not swallow this one: the reader skips it alone */
	if ((cut_tail(fd) && write_all(fd, "\n", 1) < 0) ||
	    write_all(fd, s, strlen(s)) < 0 || write_all(fd, "\n", 1) < 0 ||
	    fsync(fd) < 0)
		rc = odf_diag_set(d, ODF_E_BACKUP, "cannot append to %s: %s",
				  path, strerror(errno));
	if (close(fd) != 0 && rc == 0)
		rc = odf_diag_set(d, ODF_E_BACKUP, "cannot write %s", path);
	json_object_put(o);
	return rc;
}

static void
jget(struct json_object *o, const char *k, char *dst, size_t len)
{
	struct json_object *v;

	dst[0] = '\0';
	if (json_object_object_get_ex(o, k, &v) &&
	    json_object_is_type(v, json_type_string))
		snprintf(dst, len, "%s", json_object_get_string(v));
}

/* The enum odf_err a line names in "error" (0 when none or unknown). */
static int
err_by_name(struct json_object *o)
{
	struct json_object *x;
	const char *name;

	if (!json_object_object_get_ex(o, "error", &x) ||
	    !json_object_is_type(x, json_type_string))
		return 0;
	name = json_object_get_string(x);
	for (int err = -1; err > -100; err--)
		if (strcmp(odf_err_name(err), name) == 0)
			return err;
	return 0;
}

/* One line into *e: 0, or -1 when it is not one whole JSON object. */
static int
parse_line(const char *line, size_t len, struct odf_journal_entry *e)
{
	struct json_tokener *tok;
	struct json_object *o, *x;

	if (len == 0 || line[len - 1] != '\n')
		return -1;	/* cut: the newline is written last */
	tok = json_tokener_new();
	if (!tok)
		return -1;
	o = json_tokener_parse_ex(tok, line, (int)len);
	if (o && tok->char_offset < (int)len - 1) {
		/* something after the object: two lines run together */
		json_object_put(o);
		o = NULL;
	}
	json_tokener_free(tok);
	if (!o || !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		return -1;
	}
	memset(e, 0, sizeof(*e));
	jget(o, "id", e->id, sizeof(e->id));
	jget(o, "phase", e->phase, sizeof(e->phase));
	jget(o, "mode", e->mode, sizeof(e->mode));
	jget(o, "time", e->time, sizeof(e->time));
	jget(o, "op", e->op, sizeof(e->op));
	jget(o, "device", e->device, sizeof(e->device));
	jget(o, "file", e->file, sizeof(e->file));
	jget(o, "sha256", e->sha256, sizeof(e->sha256));
	jget(o, "result", e->result, sizeof(e->result));
	jget(o, "vendor", e->vendor, sizeof(e->vendor));
	jget(o, "model", e->product, sizeof(e->product));
	jget(o, "revision_before", e->rev_before, sizeof(e->rev_before));
	jget(o, "revision_after", e->rev_after, sizeof(e->rev_after));
	jget(o, "target", e->target, sizeof(e->target));
	jget(o, "serial", e->serial, sizeof(e->serial));
	jget(o, "backup", e->backup, sizeof(e->backup));
	jget(o, "message", e->message, sizeof(e->message));
	e->exit_code = -1;
	if (json_object_object_get_ex(o, "exit_code", &x))
		e->exit_code = json_object_get_int(x);
	e->err = err_by_name(o);
	if (json_object_object_get_ex(o, "plan_steps", &x) &&
	    json_object_get_int64(x) > 0)
		e->plan_steps = (size_t)json_object_get_int64(x);
	e->crossflash = json_object_object_get_ex(o, "crossflash", &x) &&
			json_object_get_boolean(x);
	e->outcome_recorded = strcmp(e->phase, "intent") != 0 &&
			      strcmp(e->phase, "started") != 0 &&
			      strcmp(e->phase, "mode") != 0;
	json_object_put(o);
	return 0;
}

int
odf_journal_read(const char *state_dir, struct odf_journal_entry **list,
		 size_t *n, size_t *skipped, struct odf_diag *d)
{
	char path[4200];
	char *line = NULL;
	size_t cap = 0, cnt = 0, lcap = 0, bad = 0;
	struct odf_journal_entry *v = NULL, e;
	ssize_t ll;
	FILE *f;
	int fd;

	*list = NULL;
	*n = 0;
	if (skipped)
		*skipped = 0;
	snprintf(path, sizeof(path), "%s" ODFI_SEP "journal.jsonl", state_dir);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	f = fd < 0 ? NULL : fdopen(fd, "r");
	if (!f) {
		int err = errno;

		if (fd >= 0)
			close(fd);
		if (err == ENOENT)
			return 0;
		if (err == ELOOP)
			return refuse_existing(path, err, ODF_E_FILE, d);
		return odf_diag_set(d, ODF_E_FILE, "cannot read %s: %s", path,
				    strerror(err));
	}
	while ((ll = getline(&line, &lcap, f)) > 0) {
		size_t k = 0;

		if (ll == 1 && line[0] == '\n')
			continue;
		if (parse_line(line, (size_t)ll, &e) < 0) {
			bad++;
			continue;
		}
		/* a later line of a run (mode, started again, intent,
		 * outcome) replaces the earlier one (started, mode,
		 * intent) */
		if (e.id[0] && (strcmp(e.phase, "outcome") == 0 ||
				strcmp(e.phase, "intent") == 0 ||
				strcmp(e.phase, "mode") == 0 ||
				strcmp(e.phase, "started") == 0))
			for (k = cnt; k > 0; k--)
				if (strcmp(v[k - 1].id, e.id) == 0 &&
				    !v[k - 1].outcome_recorded)
					break;
		if (k > 0) {
			v[k - 1] = e;
			continue;
		}
		if (cnt == cap) {
			/* 4 to start: an entry is 9 KB, and 16 of them
			 * (147 KB) for a journal of a line or two cost the
			 * fuzz targets "journal" and "sidecar" an mmap and
			 * munmap each time */
			size_t nc = cap ? cap * 2 : 4;
			struct odf_journal_entry *nv = realloc(v, nc * sizeof(*nv));

			if (!nv) {
				free(v);
				free(line);
				fclose(f);
				return odf_diag_set(d, ODF_E_NOMEM,
						    "out of memory");
			}
			v = nv;
			cap = nc;
		}
		v[cnt++] = e;
	}
	free(line);
	fclose(f);
	for (size_t i = 0; i < cnt; i++) {
		if (v[i].outcome_recorded)
			continue;
		/* the run wrote its intent and never its outcome */
		snprintf(v[i].result, sizeof(v[i].result), "interrupted");
		v[i].exit_code = -1;
	}
	*list = v;
	*n = cnt;
	if (skipped)
		*skipped = bad;
	return 0;
}

static const char *const op_names[] = { "flash", "recover", "verify", "dump",
					"bootcode" };

/* The entry of this run as far as it is known now. */
static void
fill_entry(struct odfi_session *R, struct odf_journal_entry *e,
	   const char *phase)
{
	const char *f = R->op == OP_DUMP ? R->r->out :
			(R->o->file ? R->o->file : "");
	char *abs = f[0] ? realpath(f, NULL) : NULL;

	memset(e, 0, sizeof(*e));
	snprintf(e->id, sizeof(e->id), "%s", R->jid);
	snprintf(e->phase, sizeof(e->phase), "%s", phase);
	odfi_now_iso(e->time, sizeof(e->time), false);
	snprintf(e->op, sizeof(e->op), "%s", op_names[R->op]);
	snprintf(e->device, sizeof(e->device), "%s", R->o->device);
	/* absolute, so that `recover DEVICE` finds it from anywhere */
	snprintf(e->file, sizeof(e->file), "%s", abs ? abs : f);
	free(abs);
	snprintf(e->sha256, sizeof(e->sha256), "%s", R->r->sha256);
	snprintf(e->vendor, sizeof(e->vendor), "%s", R->r->before.vendor);
	snprintf(e->product, sizeof(e->product), "%s", R->r->before.product);
	snprintf(e->rev_before, sizeof(e->rev_before), "%s", R->r->before.revision);
	snprintf(e->rev_after, sizeof(e->rev_after), "%s", R->r->after.revision);
	snprintf(e->target, sizeof(e->target), "%s", R->r->before.target);
	snprintf(e->serial, sizeof(e->serial), "%s", R->r->before.serial);
	snprintf(e->backup, sizeof(e->backup), "%s", R->r->backup);
	e->plan_steps = R->plan.n;
	e->crossflash = R->xfrom[0] != '\0';
	e->outcome_recorded = true;
}

/* A write job's first line, before the drive is opened ("started"),
 * then, before the first command that can change the drive, the intent,
 * each on disk (fsync'd), so that a run killed or cut by a power loss is
 * still in the journal ("interrupted" in history; before the intent, the
 * drive was not written). */
int
odfi_journal_intent(struct odfi_session *R, bool started,
		    struct odf_diag *d)
{
	struct odf_journal_entry e;
	int rc;

	if (R->o->dry_run || !R->state_dir[0])
		return 0;
	fill_entry(R, &e, started ? "started" : "intent");
	snprintf(e.result, sizeof(e.result), "started");
	e.exit_code = -1;
	rc = odf_journal_append(R->state_dir, &e, d);
	if (rc < 0) {
		odf_diag_reason(d, ODF_R_JOURNAL_UNWRITABLE);
		odf_diag_fact_path(d, R->state_dir);
		return ODF_E_BACKUP;
	}
	R->intent_written = true;
	if (!started)
		R->write_intent = true;
	return 0;
}

/* A read that enters a vendor mode (odf_plan.enters), before any write
 * intent: before the plan runs, a "mode" line naming the mode (a run
 * killed inside it is "interrupted", and `odflash recover DEVICE` leaves
 * the mode: recovery.c); after it, a "started" line of the same run (the
 * mode was left, or the cleanup tried to).  A dry run writes no journal.
 * Entering: a journal that cannot be written refuses the read
 * (ODF_E_BACKUP, as for the intent); leaving: logged only. */
int
odfi_journal_mode(struct odfi_session *R, enum odf_mode mode, bool entering,
		  struct odf_diag *d)
{
	struct odf_journal_entry e;
	struct odf_diag jd;
	int rc;

	if (R->o->dry_run || !R->state_dir[0] || R->write_intent)
		return 0;
	fill_entry(R, &e, entering ? "mode" : "started");
	if (entering)
		snprintf(e.mode, sizeof(e.mode), "%s", odf_mode_name(mode));
	snprintf(e.result, sizeof(e.result), "started");
	e.plan_steps = 0;
	odf_diag_clear(&jd);
	rc = odf_journal_append(R->state_dir, &e, entering ? d : &jd);
	if (rc < 0 && entering) {
		odf_diag_reason(d, ODF_R_JOURNAL_UNWRITABLE);
		odf_diag_fact_path(d, R->state_dir);
		return ODF_E_BACKUP;
	}
	if (rc < 0)
		odf_ctx_log(R->ctx, ODF_LOG_WARN, "journal not written: %s",
			    jd.msg);
	R->mode_written = true;
	return 0;
}

/* ---- stage 11: journal ---------------------------------------------------------------- */
void
odfi_stage_journal(struct odfi_session *R, const char *msg)
{
	struct odf_journal_entry e;
	struct odf_diag jd;

	if (R->o->dry_run || !R->state_dir[0])
		return;
	fill_entry(R, &e, R->intent_written || R->mode_written ? "outcome" :
		   "");
	snprintf(e.result, sizeof(e.result), "%s", R->r->result);
	if (R->mode_kept != ODF_MODE_NORMAL)	/* left in it: recovery.c */
		snprintf(e.mode, sizeof(e.mode), "%s",
			 odf_mode_name(R->mode_kept));
	e.err = R->r->err;
	snprintf(e.message, sizeof(e.message), "%s", msg ? msg : "");
	odf_diag_clear(&jd);
	if (odf_journal_append(R->state_dir, &e, &jd) < 0)
		odf_ctx_log(R->ctx, ODF_LOG_WARN, "journal not written: %s", jd.msg);
}
