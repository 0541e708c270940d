/* odflash: helpers shared by the command-line tools (odflash, odemu).
 *
 * Only the CLI prints.  The rules every command follows:
 *   - stdout carries the result: text for people, or with --json exactly
 *     one JSON object and nothing else;
 *   - stderr carries messages ("odflash: ...", "hint: ..."), progress,
 *     the -v log and the -vv command trace;
 *   - the exit code comes from cli_exit_code (README.md "Exit codes",
 *     docs/odflash.1 EXIT STATUS), once; the hint sentence from
 *     cli_hint_for (words.c), the one place that words the library's
 *     reason codes with odflash's flags and commands.
 *
 * Global options (-v, -vv, -vvv, --verbose, --json, -q/--quiet) are taken
 * out of argv by cli_take_global_opts() in main(), wherever they appear,
 * before the command function runs: a cmd_* function sees only its own
 * options and reads cli_g for the global ones.
 */
#ifndef ODF_CLI_H
#define ODF_CLI_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

#include "odf/ctx.h"
#include "odf/error.h"
#include "odf/plan.h"
#include "events.h"

struct odf_flash_result;

/* ---- exit codes and words (words.c) -------------------------------------- */
/* Process exit codes of the user-facing contract (README.md "Exit codes",
 * docs/odflash.1 EXIT STATUS). */
enum cli_exit {
	CLI_EXIT_OK = 0,
	CLI_EXIT_USAGE = 1,
	CLI_EXIT_DEVICE = 2,
	CLI_EXIT_REJECTED = 3,
	CLI_EXIT_BAD_FILE = 4,
	CLI_EXIT_REFUSED = 5,
	CLI_EXIT_FLASH_FAILED = 6,
	CLI_EXIT_VERIFY = 7,
	CLI_EXIT_INTERNAL = 10,
};
/* The exit code of an error (its class, odf_err_class); 0 for ODF_OK. */
int cli_exit_code(int err);
/* The "code" of a --json error: d's reason name (odf_reason_name), or
 * the error's name (odf_err_name) when the library gave no reason. */
const char *cli_error_code(const struct odf_diag *d, int err);
/* The one error shape of --json and the result event:
 * {"code","message","hint","exit_code","changed","state"} (+ "sense" when
 * the drive sent sense data).  code: cli_error_code; message: d's (with
 * the step it happened at); changed/state: r's (false/null without r). */
struct json_object *cli_error_json(const struct odf_diag *d, int err,
				   const struct odf_flash_result *r);
/* The hint sentence for d (its reason and facts, in odflash's words;
 * d->hint when there is no reason), "" when there is nothing to advise.
 * r (may be NULL): a job's result, for the drive's state after a failed
 * write.  Returns buf. */
const char *cli_hint_for(const struct odf_diag *d,
			 const struct odf_flash_result *r, char *buf,
			 size_t len);
/* The confirmation question for what c names (question.c), and the
 * prompt of a bootcode write's second, typed confirmation. */
struct odf_confirm;
void cli_word_question(const struct odf_confirm *c, char *buf, size_t len);
void cli_word_typed(const char *token, char *buf, size_t len);
/* "odflash recover DEVICE FILE" when r says the drive needs a recover
 * (FIRMWARE when the file is not known), else "".  Returns buf. */
const char *cli_recover_cmd(const struct odf_flash_result *r, char *buf,
			    size_t len);

/* ---- global state ------------------------------------------------------- */
struct cli_global {
	const char *prog;	/* "odflash" or "odemu", prefix of messages */
	const char *cmd;	/* current command name, "" before dispatch */
	int verbose;		/* 0 default, 1 -v, 2 -vv (CDB trace), 3 -vvv */
	bool quiet;		/* -q: no progress, no info messages */
	bool json;		/* --json or --events: the commands build
				   their result object */
	bool json_user;		/* --json given: the object goes to stdout */
	const char *version;	/* the program's version (events) */
	bool json_done;		/* a JSON object has been printed on stdout */
	struct odf_ctx *ctx;	/* the library context (cli_setup_logging) */
};
extern struct cli_global cli_g;

/* Set the program name and defaults (call first in main). */
void cli_init(const char *prog);
/* Remove every global option from argv[first..argc-1] (stops at "--"),
 * setting cli_g; returns the new argc.  argv[argc] stays NULL. */
int cli_take_global_opts(int argc, char **argv, int first);
/* Make cli_g.ctx: the log sink (stderr, threshold from cli_g.verbose),
 * with -vv or more the CDB trace printer, and the knobs and paths from
 * the environment (ODF_POLL_MS, ODF_WAIT_MAX_MS, ODF_REOPEN_DELAY_MS,
 * ODF_SYSFS_ROOT, ODF_MOUNTS, the state directory).  Call after the
 * global options are known; safe to call more than once. */
void cli_setup_logging(void);
/* The state directory (statedir.c): $ODFLASH_STATE_DIR when set (an
 * absolute path, else ODF_E_USAGE); under sudo (euid 0 and SUDO_USER set)
 * root's ~/.local/state/odflash; else $XDG_STATE_HOME/odflash, else
 * $HOME/.local/state/odflash.  0, or ODF_E_BACKUP with d set. */
int cli_state_dir(char *buf, size_t len, struct odf_diag *d);

/* ---- strings from devices and files (esc.c) ------------------------------ */
/* Every string the CLI prints is escaped: C0/C1 controls, DEL and bytes
 * that are not well-formed UTF-8 become \xNN; valid UTF-8 text passes.
 * CLI_ESC_KEEP_NL keeps newline and tab (whole messages). */
#define CLI_ESC_KEEP_NL 1u
/* Escape n bytes of s into buf (len bytes, always terminated when len >
 * 0, cut on a whole character); returns the length the whole escaped
 * text needs (without the NUL). */
size_t cli_esc_n(const char *s, size_t n, char *buf, size_t len,
		 unsigned flags);
/* One field: the escaped s in buf (NULL s = ""); returns buf. */
const char *cli_esc(const char *s, char *buf, size_t len);
/* The escaped s, malloc'd (NULL when out of memory). */
char *cli_esc_dup(const char *s, unsigned flags);
/* printf to f with the whole text escaped (CLI_ESC_KEEP_NL): the one way
 * cli/ writes text holding a device's or a file's strings. */
void cli_out(FILE *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void cli_vout(FILE *f, const char *fmt, va_list ap);
/* C-style escapes (\\ \e \n \r \t \xNN) to raw bytes, for options that
 * let a test play a hostile device (odemu new --serial).  Returns the
 * length, or ODF_E_USAGE (d says why: a bad escape, \x00, too long). */
int cli_unescape(const char *s, char *out, size_t len, struct odf_diag *d);

/* ---- messages (all to stderr) ------------------------------------------ */
/* "odflash: <text>" (error or plain statement). */
void cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "odflash: warning: <text>". */
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* cli_warn naming a device (NULL = none) whose warning event has a
 * kind ("cancel-held", "eject"; NULL = none). */
void cli_warn_kind(const char *kind, const char *device, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* "odflash: <text>" only when not quiet (progress-like information). */
void cli_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "hint: <text>". */
void cli_hint(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Report a failure and return its exit code: prints "odflash: <msg>"
 * (d->msg, or odf_err_str(err) when d is NULL or its msg empty; the
 * sense key/ASC/ASCQ decoded when d carries sense) and "hint: <hint>"
 * (cli_hint_for).  With --json, when nothing was printed on stdout yet,
 * also prints {"error":{cli_error_json},"result":"error","exit_code":N}
 * there, so
 * that stdout always holds one object.  err 0 returns 0 silently. */
int cli_fail(const struct odf_diag *d, int err);
/* cli_fail for a job's failure: r gives the drive's state to the hint. */
int cli_fail_result(const struct odf_diag *d, int err,
		    const struct odf_flash_result *r);
/* A usage error: "odflash CMD: <text>" + "Try 'odflash CMD --help'.";
 * returns CLI_EXIT_USAGE (1). */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- JSON --------------------------------------------------------------- */
/* Add s as a string, or null when s is NULL or "".  The string is
 * escaped as text is (cli_esc): no control character and no invalid
 * UTF-8 reaches a JSON consumer either (jq -r prints what it gets). */
void cli_json_str(struct json_object *o, const char *key, const char *s);
void cli_json_int(struct json_object *o, const char *key, int64_t v);
void cli_json_bool(struct json_object *o, const char *key, bool v);
/* Print obj as the one JSON object on stdout (pretty when stdout is a
 * terminal), set cli_g.json_done and drop the reference.  Returns 0, or
 * CLI_EXIT_INTERNAL when stdout cannot be written. */
int cli_json_print(struct json_object *obj);

/* ---- confirmation ------------------------------------------------------- */
enum cli_answer { CLI_ANSWER_NO = 0, CLI_ANSWER_YES = 1,
		  CLI_ANSWER_NO_TTY = -1 };
/* Ask "question [y/N] " on the terminal (stdin and stderr).  Returns
 * CLI_ANSWER_NO_TTY without asking when stdin is not a terminal. */
enum cli_answer cli_confirm(const char *question);
/* For commands with --yes: 0 when yes is true or the user typed y/yes;
 * otherwise prints why (not confirmed / no terminal: "use --yes") and
 * returns CLI_EXIT_REFUSED (5). */
int cli_require_confirm(const char *question, bool yes);

/* ---- progress (progress.c) ---------------------------------------------- */
/* The text progress of one job on stderr, from the session's events:
 * "writing block 7/17:  41%  420000/1024006 bytes  85.3 KiB/s  ETA 0:07",
 * "DO NOT POWER OFF" at its end while the drive is past the point of no
 * return, and a line of its own when it enters and leaves it.  On a
 * terminal one redrawn line (ANSI clear-to-end only without NO_COLOR);
 * otherwise one line per 10% ("odflash: writing block ..."), no control
 * codes.  Nothing with -q or --json (--events carries the progress). */
struct cli_bar {
	bool show, tty, ansi, unsafe;
	enum odf_stage stage, last_stage;
	size_t block, blocks;
	uint64_t done, total;
	int last_step;		/* percent (tty) or 10% step last shown */
	struct cli_ev_drive rate;
};
void cli_bar_init(struct cli_bar *b, const char *device);
void cli_bar_event(struct cli_bar *b, const struct odf_event *ev);
void cli_bar_end(struct cli_bar *b);
/* The line cli_bar_event shows (rate in bytes/s, eta in s, -1 = ?). */
void cli_bar_text(const struct cli_bar *b, double rate, double eta, char *buf,
		  size_t len);
/* End a redrawn line so that a message starts on a line of its own. */
void cli_progress_break(void);
int cli_percent_of(uint64_t done, uint64_t total);
/* May fd get ANSI codes: a terminal, and NO_COLOR unset or empty. */
bool cli_ansi_ok(int fd);

/* ---- numbers ------------------------------------------------------------- */
/* Strict size/offset parsing: decimal ("32768"), hex ("0x8000"), or a
 * decimal with a binary suffix k/K (KiB), m/M (MiB), g/G (GiB), optional
 * trailing "B"/"iB" ("32k", "32KiB").  Rejects empty strings, signs,
 * spaces, garbage, overflow and values outside [min, max]: returns
 * ODF_E_USAGE with diag msg naming the text and the range. */
int cli_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out,
		  struct odf_diag *d);

/* ---- formatting helpers (pure) ------------------------------------------- */
/* Bytes as "262144 bytes (256 KiB)" / "1.5 MiB" style, into buf. */
const char *cli_fmt_size(uint64_t bytes, char *buf, size_t len);
/* Hex dump "12 00 00 00 60 00" of up to max bytes ("..." when cut). */
const char *cli_fmt_hex(const uint8_t *p, size_t n, size_t max, char *buf,
			size_t len);
/* Name of a SCSI/MMC opcode ("INQUIRY", "WRITE BUFFER"), or "vendor
 * 0xNN" / "opcode 0xNN". */
const char *cli_opcode_name(uint8_t op, char *buf, size_t len);

/* ---- a plan's steps (plan.c) ---------------------------------------------- */
/* What a step of this kind sends besides a CMD step's own CDB ("" for CMD
 * and WAIT): TEST UNIT READY (POLL, DRAIN), the identity INQUIRYs
 * (REOPEN); the text shows it in [], JSON as "sends". */
const char *cli_step_sends(enum odf_step_kind k);
/* A step's CDB as "CB 01 00 ..." (upper-case hex), into buf. */
const char *cli_step_cdb(const struct odf_plan_step *s, char *buf,
			 size_t len);
/* --dry-run's line for step i: "  12 CMD    CB 01 ... OUT  32768
 * @0x000000 t=300s [point of no return] ...  label".  Always
 * NUL-terminates. */
void cli_step_line(const struct odf_plan *p, size_t i, char *buf,
		   size_t len);

#endif
