/* Unit tests of the pure CLI helpers: number parsing, global options,
 * formatting, exit codes of cli_fail.  The CLI objects are not part of
 * libodf, so the source is compiled into this test directly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../cli/common/cli.c"
#include "../../cli/common/esc.c"
#include "../../cli/common/events.c"
#include "../../cli/common/plan.c"
#include "../../cli/common/progress.c"
#include "../../cli/common/question.c"
#include "../../cli/common/statedir.c"
#include "../../cli/common/statedir_win32.c"
#include "../../cli/common/words.c"

static void
parse_ok(const char *s, uint64_t want)
{
	uint64_t v = 12345;
	struct odf_diag d;

	odf_diag_clear(&d);
	assert_int_equal(cli_parse_u64(s, 0, UINT64_MAX, &v, &d), 0);
	assert_true(v == want);
}

static void
parse_bad(const char *s)
{
	uint64_t v = 777;
	struct odf_diag d;

	odf_diag_clear(&d);
	assert_int_equal(cli_parse_u64(s, 0, UINT64_MAX, &v, &d), ODF_E_USAGE);
	assert_true(v == 777);	/* untouched */
	assert_true(d.msg[0] != '\0');
}

static void
test_parse_forms(void **state)
{
	(void)state;
	parse_ok("32768", 32768);
	parse_ok("32k", 32768);
	parse_ok("32K", 32768);
	parse_ok("32KiB", 32768);
	parse_ok("32kB", 32768);
	parse_ok("0x8000", 32768);
	parse_ok("0X8000", 32768);
	parse_ok("0xfFfF", 65535);
	parse_ok("2M", 2 * 1024 * 1024);
	parse_ok("1G", 1024ull * 1024 * 1024);
	parse_ok("0", 0);
	parse_ok("18446744073709551615", UINT64_MAX);
}

static void
test_parse_garbage(void **state)
{
	(void)state;
	parse_bad("");
	parse_bad("abc");
	parse_bad("12x");
	parse_bad("-1");
	parse_bad("+1");
	parse_bad(" 1");
	parse_bad("1 ");
	parse_bad("0x");
	parse_bad("0x12k");	/* no suffix on hex */
	parse_bad("32kk");
	parse_bad("1.5M");
	parse_bad("18446744073709551616");	/* 2^64 */
	parse_bad("17179869184G");		/* overflows when scaled */
}

static void
test_parse_range(void **state)
{
	struct odf_diag d;
	uint64_t v = 0;

	(void)state;
	odf_diag_clear(&d);
	assert_int_equal(cli_parse_u64("1k", 2048, 65536, &v, &d), ODF_E_USAGE);
	assert_non_null(strstr(d.msg, "out of range"));
	assert_non_null(strstr(d.msg, "2048"));
	assert_non_null(strstr(d.msg, "65536"));
	assert_int_equal(cli_parse_u64("65537", 2048, 65536, &v, &d),
			 ODF_E_USAGE);
	assert_int_equal(cli_parse_u64("64k", 2048, 65536, &v, &d), 0);
	assert_true(v == 65536);
	assert_int_equal(cli_parse_u64("0x800", 2048, 65536, &v, &d), 0);
	assert_true(v == 2048);
	assert_int_equal(cli_parse_u64(NULL, 0, 1, &v, NULL), ODF_E_USAGE);
}

static void
test_global_opts(void **state)
{
	char a0[] = "odflash", a1[] = "-v", a2[] = "info", a3[] = "--json",
	     a4[] = "/dev/sr0", a5[] = "-vv", a6[] = "--", a7[] = "--json",
	     a8[] = "-q";
	char *argv[] = { a0, a1, a2, a3, a4, a5, a6, a7, a8, NULL };
	int argc;

	(void)state;
	cli_init("odflash");
	argc = cli_take_global_opts(9, argv, 1);
	assert_int_equal(argc, 6);
	assert_string_equal(argv[1], "info");
	assert_string_equal(argv[2], "/dev/sr0");
	assert_string_equal(argv[3], "--");
	assert_string_equal(argv[4], "--json");	/* after --: kept */
	assert_string_equal(argv[5], "-q");
	assert_null(argv[6]);
	assert_int_equal(cli_g.verbose, 3);
	assert_true(cli_g.json);
	assert_false(cli_g.quiet);
}

static void
test_global_opts_not_verbose(void **state)
{
	char a0[] = "odflash", a1[] = "-vx", a2[] = "-o", a3[] = "-qq";
	char *argv[] = { a0, a1, a2, a3, NULL };

	(void)state;
	cli_init("odflash");
	assert_int_equal(cli_take_global_opts(4, argv, 1), 4);
	assert_string_equal(argv[1], "-vx");
	assert_int_equal(cli_g.verbose, 0);
	assert_false(cli_g.quiet);
}

static void
test_fmt(void **state)
{
	const uint8_t cdb[6] = { 0x12, 0x00, 0x00, 0x00, 0x60, 0x00 };
	char buf[64], small[10];

	(void)state;
	assert_string_equal(cli_fmt_hex(cdb, 6, 16, buf, sizeof(buf)),
			    "12 00 00 00 60 00");
	assert_string_equal(cli_fmt_hex(cdb, 6, 2, buf, sizeof(buf)),
			    "12 00 ...");
	cli_fmt_hex(cdb, 6, 16, small, sizeof(small));
	assert_true(strlen(small) < sizeof(small));
	assert_string_equal(cli_fmt_size(262144, buf, sizeof(buf)),
			    "262144 bytes (256 KiB)");
	assert_string_equal(cli_fmt_size(2097152, buf, sizeof(buf)),
			    "2097152 bytes (2 MiB)");
	assert_string_equal(cli_fmt_size(1000, buf, sizeof(buf)),
			    "1000 bytes");
	assert_string_equal(cli_opcode_name(0x3b, buf, sizeof(buf)),
			    "WRITE BUFFER");
	assert_string_equal(cli_opcode_name(0x12, buf, sizeof(buf)),
			    "INQUIRY");
	assert_string_equal(cli_opcode_name(0xe7, buf, sizeof(buf)),
			    "vendor 0xe7");
	assert_string_equal(cli_opcode_name(0x99, buf, sizeof(buf)),
			    "opcode 0x99");
}

static int
plan_fill(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_len,
	  struct odf_diag *d)
{
	(void)in;
	(void)in_len;
	(void)out;
	(void)out_len;
	(void)d;
	return 0;
}

/* --dry-run's plan lines: the library gives the steps as data (odf/
 * plan.h), cli/common/plan.c words them; every kind and every flag the
 * line names, pinned to the letter (the lines lib/drivers/plan.c's
 * odf_plan_format_step printed for the same plan before the wording
 * moved to cli/). */
static void
test_plan_lines(void **state)
{
	static const uint8_t wb[10] = { 0x3B, 0x05, 0, 0, 0x80, 0, 0, 0x80, 0,
					0 };
	static const uint8_t rb[10] = { 0x3C, 0x02, 0, 0, 0, 0, 0, 0x04, 0, 0 };
	static const uint8_t an[10] = { 0x3B, 0x01, 0xF2, 0, 0, 0, 0, 0x04, 0,
					0 };
	static const uint8_t tur[6] = { 0 };
	static const char *const want[] = {
		"   1 CMD    3B 05 00 00 80 00 00 80 00 00       OUT  32768 "
		"@0x008000 t=300s [point of no return] [may reboot] [BOOTCODE]"
		"  stage 0x008000",
		"   2 CMD    3C 02 00 00 00 00 00 04 00 00       IN    1024 "
		"@0x010000 t=10s (kept)  seed",
		"   3 CMD    3B 01 F2 00 00 00 00 04 00 00       OUT   1024 "
		"@0x010400 t=10s [only after a failure] (computed from step 2)"
		"  answer",
		"   4 CMD    00 00 00 00 00 00                   -        0 "
		"@0x000000 t=5s [cleanup]  leave",
		"   5 WAIT   2000ms  settle",
		"   6 POLL   60000ms [TEST UNIT READY until ready] [stops on a "
		"fatal sense]  ready",
		"   7 REOPEN 30000ms [then INQUIRY, INQUIRY VPD 00h/80h: the same "
		"drive?]  again",
		"   8 DRAIN  5000ms [TEST UNIT READY until no unit attention]  "
		"drain",
	};
	struct odf_plan p;
	char line[512], hex[ODF_CDB_MAX * 3 + 1], small[8];
	size_t n = 0;

	(void)state;
	odf_plan_init(&p, "test");
	assert_non_null(odf_plan_add_cmd(&p, wb, 10, ODF_DIR_OUT, 0x8000, 32768,
					 300000, 1, ODF_STEP_PONR |
					 ODF_STEP_MAY_REBOOT |
					 ODF_STEP_BOOTBLOCK,
					 "stage 0x008000"));
	assert_non_null(odf_plan_add_cmd(&p, rb, 10, ODF_DIR_IN, 0x10000, 0x400,
					 10000, 1, ODF_STEP_KEEP_IN, "seed"));
	assert_non_null(odf_plan_add_cmd(&p, an, 10, ODF_DIR_OUT, 0x10400,
					 0x400, 10000, 1, ODF_STEP_CLEANUP |
					 ODF_STEP_FAILURE_ONLY, "answer"));
	assert_non_null(odf_plan_add_cmd(&p, tur, 6, ODF_DIR_NONE, 0, 0, 5000,
					 1, ODF_STEP_CLEANUP, "leave"));
	assert_non_null(odf_plan_add_kind(&p, ODF_STEP_WAIT, 2000, 1, 0,
					  "settle"));
	assert_non_null(odf_plan_add_kind(&p, ODF_STEP_POLL_READY, 60000, 1,
					  ODF_STEP_FATAL_SENSE, "ready"));
	assert_non_null(odf_plan_add_kind(&p, ODF_STEP_REOPEN, 30000, 1, 0,
					  "again"));
	assert_non_null(odf_plan_add_kind(&p, ODF_STEP_DRAIN_UA, 5000, 1, 0,
					  "drain"));
	assert_int_equal(odf_plan_set_computed(&p, 2, 1, plan_fill), 0);
	assert_int_equal(p.n, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < p.n; i++, n++) {
		cli_step_line(&p, i, line, sizeof(line));
		assert_string_equal(line, want[i]);
	}
	printf("# plan lines: %zu steps compared\n", n);
	assert_int_equal(n, 8);
	/* past the end: an empty line; a short buffer: cut, terminated */
	cli_step_line(&p, p.n, line, sizeof(line));
	assert_string_equal(line, "");
	cli_step_line(&p, 0, small, sizeof(small));
	assert_string_equal(small, "   1 CM");
	/* JSON's "sends" and "cdb" are the same words */
	assert_string_equal(cli_step_sends(ODF_STEP_REOPEN),
			    "then INQUIRY, INQUIRY VPD 00h/80h: the same drive?");
	assert_string_equal(cli_step_sends(ODF_STEP_CMD), "");
	assert_string_equal(cli_step_sends(ODF_STEP_WAIT), "");
	assert_string_equal(cli_step_cdb(&p.steps[3], hex, sizeof(hex)),
			    "00 00 00 00 00 00");
	odf_plan_release(&p);
}

static void
test_fail_exit_codes(void **state)
{
	struct odf_diag d;

	(void)state;
	cli_init("odflash");
	assert_int_equal(cli_fail(NULL, 0), 0);
	assert_int_equal(cli_fail(NULL, ODF_E_NODEV), 2);
	assert_int_equal(cli_fail(NULL, ODF_E_NOTSCSI), 2);
	assert_int_equal(cli_fail(NULL, ODF_E_SENSE), 3);
	assert_int_equal(cli_fail(NULL, ODF_E_CHECKSUM), 4);
	assert_int_equal(cli_fail(NULL, ODF_E_NOT_CONFIRMED), 5);
	assert_int_equal(cli_fail(NULL, ODF_E_FLASH), 6);
	assert_int_equal(cli_fail(NULL, ODF_E_VERIFY), 7);
	assert_int_equal(cli_fail(NULL, ODF_E_INTERNAL), 10);
	/* err 0 but a filled diag: the diag's error counts */
	odf_diag_clear(&d);
	odf_diag_set(&d, ODF_E_TRUNCATED, "x.bin is 10 bytes short");
	assert_int_equal(cli_fail(&d, 0), 4);
	assert_false(cli_g.json_done);
}

static void
test_require_confirm_yes(void **state)
{
	(void)state;
	cli_init("odflash");
	assert_int_equal(cli_require_confirm("Flash?", true), 0);
}

static void
test_progress_steps(void **state)
{
	struct cli_bar p;
	char line[256];

	(void)state;
	cli_init("odflash");
	cli_g.quiet = true;	/* nothing printed; state still kept */
	cli_bar_init(&p, "emu:x");
	assert_false(p.show);
	p.stage = ODF_STAGE_WRITE;
	p.block = 7;
	p.blocks = 17;
	p.done = 420000;
	p.total = 1024000;
	cli_bar_text(&p, 87347.2, 67.4, line, sizeof(line));
	assert_string_equal(line, "writing block 7/17:  41%  420000/1024000 "
			    "bytes  85.3 KiB/s  ETA 1:07");
	p.unsafe = true;
	p.stage = ODF_STAGE_BACKUP;
	p.blocks = 0;
	cli_bar_text(&p, 2.5 * 1024 * 1024, -1, line, sizeof(line));
	assert_string_equal(line, "reading the backup:  41%  420000/1024000 "
			    "bytes  2.5 MiB/s  ETA ?  DO NOT POWER OFF");
	assert_int_equal(cli_percent_of(0, 0), 0);
	assert_int_equal(cli_percent_of(5, 0), 100);
	assert_int_equal(cli_percent_of(999, 1000), 99);
	assert_int_equal(cli_percent_of(2000, 1000), 100);
}

/* Run fn with fd `fd` redirected to a temp file; return what was written
 * (static buffer). */
static const char *
capture(int fd, void (*fn)(void))
{
	static char out[8192];
	FILE *tmp = tmpfile();
	int saved;
	size_t n;

	assert_non_null(tmp);
	fflush(stdout);
	fflush(stderr);
	saved = dup(fd);
	assert_true(saved >= 0);
	assert_true(dup2(fileno(tmp), fd) >= 0);
	fn();
	fflush(stdout);
	fflush(stderr);
	assert_true(dup2(saved, fd) >= 0);
	close(saved);
	rewind(tmp);
	n = fread(out, 1, sizeof(out) - 1, tmp);
	out[n] = '\0';
	fclose(tmp);
	return out;
}

static void
do_trace(void)
{
	struct odf_cmd c;
	uint8_t cdb[6] = { 0x12, 0x00, 0x00, 0x00, 0x60, 0x00 };
	uint8_t buf[96];
	static const uint8_t sense[18] = { 0x70, 0, 0x05, 0, 0, 0, 0, 10,
					   0, 0, 0, 0, 0x20, 0x00 };

	odf_cmd_init(&c, cdb, 6, ODF_DIR_IN, buf, sizeof(buf), 0);
	c.scsi_status = ODF_SAM_CHECK_CONDITION;
	c.host_status = 0x0007;
	memcpy(c.sense, sense, sizeof(sense));
	c.sense_len = sizeof(sense);
	c.resid = 96;
	trace_cmd(NULL, NULL, &c);
}

static void
test_trace_line(void **state)
{
	const char *t;

	(void)state;
	cli_init("odflash");
	cli_g.verbose = 2;
	t = capture(2, do_trace);
	assert_non_null(strstr(t, "odflash: cdb 12 00 00 00 60 00 [INQUIRY]"));
	assert_non_null(strstr(t, "dir in, length 96, resid 96"));
	assert_non_null(strstr(t, "status 0x02, host 0x0007, driver 0x0000"));
	assert_non_null(strstr(t, "sense 70 00 05 00"));
	assert_non_null(strstr(t, "sense 05/20/00: "));
}

static void
do_fail_json(void)
{
	struct odf_diag d;

	odf_diag_clear(&d);
	odf_diag_set(&d, ODF_E_NODEV, "device /dev/x does not exist");
	odf_diag_reason(&d, ODF_R_NO_SUCH_DEVICE);
	odf_diag_fact_device(&d, "/dev/x");
	assert_int_equal(cli_fail(&d, ODF_E_NODEV), 2);
}

static void
test_fail_json_object(void **state)
{
	struct json_object *o, *e, *v;
	const char *t;

	(void)state;
	cli_init("odflash");
	cli_g.json = true;
	cli_g.json_user = true;
	t = capture(1, do_fail_json);
	assert_true(cli_g.json_done);
	o = json_tokener_parse(t);
	assert_non_null(o);
	assert_true(json_object_object_get_ex(o, "exit_code", &v));
	assert_int_equal(json_object_get_int(v), 2);
	assert_true(json_object_object_get_ex(o, "error", &e));
	assert_true(json_object_object_get_ex(e, "message", &v));
	assert_string_equal(json_object_get_string(v),
			    "device /dev/x does not exist");
	assert_true(json_object_object_get_ex(e, "code", &v));
	assert_string_equal(json_object_get_string(v), "no-such-device");
	/* the one error shape: code, message, hint, exit_code, changed,
	 * state */
	assert_true(json_object_object_get_ex(e, "exit_code", &v));
	assert_int_equal(json_object_get_int(v), 2);
	assert_true(json_object_object_get_ex(e, "changed", &v));
	assert_false(json_object_get_boolean(v));
	assert_true(json_object_object_get_ex(e, "state", &v));
	assert_null(v);
	assert_false(json_object_object_get_ex(e, "error", &v));
	assert_true(json_object_object_get_ex(e, "hint", &v));
	assert_string_equal(json_object_get_string(v),
			    "run `odflash scan` to list drives");
	json_object_put(o);
	/* a second failure prints no second object */
	t = capture(1, do_fail_json);
	assert_string_equal(t, "");
	cli_g.json = false;
	cli_g.json_user = false;
}

/* issue #18: every control byte and every byte outside well-formed UTF-8
 * becomes \xNN; valid UTF-8 passes; a message keeps its newlines. */
static void
test_esc(void **state)
{
	static const struct { const char *in, *out; } c[] = {
		{ "NEC ND-3500", "NEC ND-3500" },
		{ "\x1b[2J", "\\x1b[2J" },
		{ "\x1b]8;;http://x\x1b\\y", "\\x1b]8;;http://x\\x1b\\y" },
		{ "a\x7f\x01\tb\n", "a\\x7f\\x01\\x09b\\x0a" },
		{ "caf\xc3\xa9 \xe2\x80\x94", "caf\xc3\xa9 \xe2\x80\x94" },
		{ "\xc2\x9b" "2J", "\\xc2\\x9b2J" },		/* C1 CSI */
		{ "\xff\xfe", "\\xff\\xfe" },
		{ "\xc0\xaf", "\\xc0\\xaf" },		/* overlong '/' */
		{ "\xed\xa0\x80", "\\xed\\xa0\\x80" },	/* surrogate */
		{ "\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80" },
		{ "\xe2\x80", "\\xe2\\x80" },		/* cut */
	};
	char buf[128], small[6];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		assert_string_equal(cli_esc(c[i].in, buf, sizeof(buf)),
				    c[i].out);
	assert_int_equal(i, 11);
	/* cut on a whole character, the needed length still counted */
	assert_int_equal(cli_esc_n("ab\x1b", 3, small, sizeof(small), 0), 6);
	assert_string_equal(small, "ab");
	{
		char *m = cli_esc_dup("x\ny\t\x1bz", CLI_ESC_KEEP_NL);

		assert_non_null(m);
		assert_string_equal(m, "x\ny\t\\x1bz");
		free(m);
	}
}

static void
test_unescape(void **state)
{
	char out[8];
	struct odf_diag d;

	(void)state;
	odf_diag_clear(&d);
	assert_int_equal(cli_unescape("a\\e\\x9b\\\\", out, sizeof(out), &d),
			 4);
	assert_memory_equal(out, "a\x1b\x9b\\", 5);
	assert_int_equal(cli_unescape("\\x00", out, sizeof(out), &d),
			 ODF_E_USAGE);
	assert_int_equal(cli_unescape("\\xg1", out, sizeof(out), &d),
			 ODF_E_USAGE);
	assert_int_equal(cli_unescape("\\q", out, sizeof(out), &d),
			 ODF_E_USAGE);
	assert_int_equal(cli_unescape("123456789", out, sizeof(out), &d),
			 ODF_E_USAGE);
}

/* cli/common/words.c: the library's reasons and facts in odflash's
 * words, the exit codes, the recover command. */
/* The confirmation is worded here from the library's facts (issue #11:
 * the library words nothing). */
static void
test_question(void **state)
{
	struct odf_drive_ident id;
	struct odf_confirm c;
	char q[2048];

	(void)state;
	memset(&id, 0, sizeof(id));
	snprintf(id.vendor, sizeof(id.vendor), "_NEC");
	snprintf(id.product, sizeof(id.product), "DVD_RW ND-3500AG");
	snprintf(id.revision, sizeof(id.revision), "2.16");
	snprintf(id.target, sizeof(id.target), "K350");
	memset(&c, 0, sizeof(c));
	c.job = ODF_JOB_FLASH;
	c.drive = &id;
	c.driver = "K350";
	c.file = "fw.bin";
	c.image_version = "2.18";
	c.version = ODF_VERSION_UPGRADE;
	c.backup = "/s/backups/x.bin";
	c.learn_bootcode = true;
	cli_word_question(&c, q, sizeof(q));
	assert_string_equal(q,
		"Flash _NEC DVD_RW ND-3500AG (K350, revision 2.16) with fw.bin?"
		"\n  - version: 2.18 replaces 2.16 (an upgrade)"
		"\n  - bootcode: the drive enters safe mode for a moment to "
		"tell its bootcode version, which the image must match"
		"\n  - backup: the drive's firmware is read twice and saved to "
		"/s/backups/x.bin first"
		"\nA failure can make the drive unusable.");
	/* a downgrade past a guard, a crossflash, an eject, no backup */
	c.version = ODF_VERSION_DOWNGRADE;
	c.image_version = "2.10";
	c.downgrade_guard = "the kernel refuses older firmware";
	c.crossflash = true;
	c.crossflash_from = "K350";
	c.crossflash_to = "K450";
	c.disc = ODF_DISC_EJECT;
	c.learn_bootcode = false;
	c.backup = "";
	c.backup_skipped = ODF_BACKUP_SKIP_ASKED;
	cli_word_question(&c, q, sizeof(q));
	assert_non_null(strstr(q, "a DOWNGRADE from 2.16 to the older 2.10; "
			       "the drive guards against older firmware (the "
			       "kernel refuses older firmware) and odflash "
			       "answers it (--allow-downgrade)"));
	assert_non_null(strstr(q, "CROSSFLASH (--crossflash): the drive, a "
			       "K350, will run firmware made for K450"));
	assert_non_null(strstr(q, "the tray is opened first (--eject)"));
	assert_non_null(strstr(q, "backup: none (--no-backup)\n"));
	assert_null(strstr(q, "bootcode"));
	/* a drive whose protocol reads nothing back: the way back named */
	c.no_read_back = true;
	cli_word_question(&c, q, sizeof(q));
	assert_non_null(strstr(q, "\n  - backup: none (--no-backup): this "
			       "drive cannot give its firmware back; keep the "
			       "vendor's file of the firmware it runs now "
			       "(revision 2.16) to flash it back\n"));
	c.no_read_back = false;
	/* a recovery; a drive in safe mode names no revision */
	c.job = ODF_JOB_RECOVER;
	c.version = ODF_VERSION_UNKNOWN;
	c.crossflash = false;
	c.disc = ODF_DISC_STOP;
	c.backup_skipped = ODF_BACKUP_SKIP_RECOVERY;
	id.mode = ODF_MODE_SAFE;
	cli_word_question(&c, q, sizeof(q));
	assert_true(strncmp(q, "Recover _NEC", 12) == 0);
	assert_non_null(strstr(q, "version: 2.10; the drive, in safe mode, "
			       "runs no firmware version to compare with"));
	assert_non_null(strstr(q, "it is stopped first (START STOP UNIT, no "
			       "eject)"));
	assert_non_null(strstr(q, "backup: none (a recovery writes without "
			       "one)"));
	/* a bootcode write: its own first sentence and warning, no version */
	c.job = ODF_JOB_BOOTCODE;
	c.backup = "/s/backups/boot.bin";
	c.learn_bootcode = true;
	cli_word_question(&c, q, sizeof(q));
	assert_true(strncmp(q, "Write the BOOTCODE fw.bin into _NEC DVD_RW "
			    "ND-3500AG (K350, bootcode version not read yet)?",
			    86) == 0);
	assert_null(strstr(q, "version: "));
	assert_non_null(strstr(q, "tell its bootcode version\n"));
	assert_non_null(strstr(q, "the drive's bootcode is read twice"));
	assert_non_null(strstr(q, "the drive is dead for good"));
	cli_word_typed("BOOTCODE K350", q, sizeof(q));
	assert_string_equal(q, "Second confirmation: type BOOTCODE K350 to "
			    "write the bootcode");
	/* a small buffer is cut, never overrun */
	cli_word_question(&c, q, 16);
	assert_int_equal(strlen(q), 15);
}

static void
test_words(void **state)
{
	struct odf_diag d;
	struct odf_flash_result r;
	char h[2600];
	int n = 0;

	(void)state;
	cli_init("odflash");
	odf_diag_clear(&d);
	odf_diag_set(&d, ODF_E_FORMAT, "not known");
	odf_diag_reason(&d, ODF_R_MAYBE_TRUNCATED);
	odf_diag_fact_bytes(&d, 0x200000 - 1000, 0x200000);
	odf_diag_fact_model(&d, "MediaTek MT1939 (TSST)", "");
	assert_string_equal(cli_hint_for(&d, NULL, h, sizeof(h)),
			    "if this should be a MediaTek MT1939 (TSST) image, "
			    "1000 bytes are missing: those are 2097152 bytes "
			    "and identify themselves in their last bytes");
	assert_string_equal(cli_error_code(&d, ODF_E_FORMAT),
			    "maybe-truncated");
	/* a new reason clears the facts of the old one */
	odf_diag_reason(&d, ODF_R_BRIDGE_CAP);
	assert_int_equal(d.size, 0);
	assert_string_equal(d.expected, "");
	assert_string_equal(cli_hint_for(&d, NULL, h, sizeof(h)),
			    "use smaller transfers (--chunk 4096) or connect "
			    "the drive directly (SATA instead of a USB bridge)");
	odf_diag_fact_bytes(&d, 32768, 16384);
	assert_non_null(strstr(cli_hint_for(&d, NULL, h, sizeof(h)),
			       "a bridge that carries 32768 bytes"));
	odf_diag_reason(&d, ODF_R_NO_SUCH_DEVICE);
	odf_diag_fact_device(&d, "1:0:0:0");
	assert_string_equal(cli_hint_for(&d, NULL, h, sizeof(h)),
			    "run `odflash scan` (or lsscsi) to list drives");
	/* no reason: the emulator's own words, or nothing */
	odf_diag_reason(&d, ODF_R_NONE);
	assert_string_equal(cli_hint_for(&d, NULL, h, sizeof(h)), "");
	snprintf(d.hint, sizeof(d.hint), "power it on with: odemu power-on x");
	assert_string_equal(cli_hint_for(&d, NULL, h, sizeof(h)),
			    "power it on with: odemu power-on x");
	assert_string_equal(cli_error_code(&d, ODF_E_OPEN), "open");
	/* a failed write: the state from the result, the recover command
	 * from the facts */
	memset(&r, 0, sizeof(r));
	snprintf(r.state, sizeof(r.state), "the drive reports revision '0.00'");
	odf_diag_clear(&d);
	odf_diag_set(&d, ODF_E_FLASH, "flash failed");
	odf_diag_reason(&d, ODF_R_FLASH_INCOMPLETE);
	odf_diag_fact_device(&d, "emu:x.state");
	odf_diag_fact_path(&d, "fw.bin");
	assert_string_equal(cli_hint_for(&d, &r, h, sizeof(h)),
			    "the drive reports revision '0.00'. Do not power "
			    "off or unplug the drive; run: odflash recover "
			    "emu:x.state fw.bin");
	assert_string_equal(cli_recover_cmd(&r, h, sizeof(h)), "");
	r.needs_recover = true;
	snprintf(r.device, sizeof(r.device), "emu:x.state");
	assert_string_equal(cli_recover_cmd(&r, h, sizeof(h)),
			    "odflash recover emu:x.state FIRMWARE");
	snprintf(r.recover_file, sizeof(r.recover_file), "fw.bin");
	assert_string_equal(cli_recover_cmd(&r, h, sizeof(h)),
			    "odflash recover emu:x.state fw.bin");
	r.recover_crossflash = true;	/* a failed crossflash */
	assert_string_equal(cli_recover_cmd(&r, h, sizeof(h)),
			    "odflash recover emu:x.state fw.bin --crossflash");
	r.recover_crossflash = false;
	/* a read left the drive in safe mode, nothing written: leave it */
	r.recover_leave = true;
	r.recover_file[0] = '\0';
	assert_string_equal(cli_recover_cmd(&r, h, sizeof(h)),
			    "odflash recover emu:x.state");
	snprintf(r.state, sizeof(r.state), "the drive stayed in safe mode");
	odf_diag_reason(&d, ODF_R_MODE_KEPT);
	odf_diag_fact_device(&d, "emu:x.state");
	assert_string_equal(cli_hint_for(&d, &r, h, sizeof(h)),
			    "the drive stayed in safe mode. Its firmware was "
			    "not written; run: odflash recover emu:x.state (it "
			    "leaves the mode)");
	assert_string_equal(cli_error_code(&d, ODF_E_FLASH), "mode-kept");
	r.recover_leave = false;
	/* every reason has a name, and every name is kebab-case */
	for (int i = 1; i < ODF_R_COUNT; i++, n++) {
		const char *s = odf_reason_name(i);

		assert_string_not_equal(s, "none");
		assert_int_equal(strspn(s, "abcdefghijklmnopqrstuvwxyz-"),
				 strlen(s));
	}
	assert_int_equal(n, ODF_R_COUNT - 1);
	/* the exit codes of README.md "Exit codes" */
	assert_int_equal(cli_exit_code(0), 0);
	assert_int_equal(cli_exit_code(ODF_E_USAGE), 1);
	assert_int_equal(cli_exit_code(ODF_E_NODEV), 2);
	assert_int_equal(cli_exit_code(ODF_E_SENSE), 3);
	assert_int_equal(cli_exit_code(ODF_E_CHECKSUM), 4);
	assert_int_equal(cli_exit_code(ODF_E_INTERRUPTED), 5);
	assert_int_equal(cli_exit_code(ODF_E_FLASH), 6);
	assert_int_equal(cli_exit_code(ODF_E_VERIFY), 7);
	assert_int_equal(cli_exit_code(ODF_E_NOMEM), 10);
	assert_int_equal(cli_exit_code(-999), 10);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_esc),
		cmocka_unit_test(test_unescape),
		cmocka_unit_test(test_parse_forms),
		cmocka_unit_test(test_parse_garbage),
		cmocka_unit_test(test_parse_range),
		cmocka_unit_test(test_global_opts),
		cmocka_unit_test(test_global_opts_not_verbose),
		cmocka_unit_test(test_fmt),
		cmocka_unit_test(test_plan_lines),
		cmocka_unit_test(test_fail_exit_codes),
		cmocka_unit_test(test_require_confirm_yes),
		cmocka_unit_test(test_progress_steps),
		cmocka_unit_test(test_trace_line),
		cmocka_unit_test(test_fail_json_object),
		cmocka_unit_test(test_esc),
		cmocka_unit_test(test_unescape),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_question),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
