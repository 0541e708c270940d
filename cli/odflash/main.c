/* odflash: entry point — global options, help, dispatch to cmd_*.
 * The user contract (commands, exit codes) is docs/odflash.1. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "../common/cli.h"
#include "commands.h"
#include "odemu/odemu.h"

#ifndef ODF_VERSION
#define ODF_VERSION "0.0.0"
#endif

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *synopsis;
	const char *summary;
	const char *options;
};

static const struct command commands[] = {
	{ "scan", cmd_scan, "scan [--json]",
	  "list every optical drive (and emulated ones in ODFLASH_EMU)",
	  "  --json           one JSON object {\"drives\":[...]} on stdout\n" },
	{ "info", cmd_info, "info DEVICE [--json]",
	  "identity, features, firmware date, region, mode, driver",
	  "  --json           one JSON object on stdout\n" },
	{ "identify", cmd_identify, "identify FILE... [--json]",
	  "what firmware files are: family, target, version, checksum",
	  "  --json           {\"files\":[...]} on stdout\n" },
	{ "dump", cmd_dump, "dump DEVICE [-o FILE] [--raw] [--json]",
	  "back up the drive's firmware to a file",
	  "  -o, --output FILE  where to write (default: a name from the drive)\n"
	  "  --raw            the whole flash as the drive holds it\n"
	  "  --json           one JSON object on stdout\n" },
	{ "flash", cmd_flash,
	  "flash DEVICE FILE [--yes] [--dry-run] [--no-backup] [--backup FILE]"
	  " [--crossflash] [--allow-downgrade] [--eject] [--chunk BYTES]"
	  " [--bootcode [--yes-bootcode]] [--json]",
	  "flash FILE, with every safety check, backup and read-back",
	  "  -y, --yes        do not ask for confirmation (the question names\n"
	  "                   the backup, an eject, a downgrade, a crossflash)\n"
	  "  --dry-run        run every check, show the question, change "
	  "nothing\n"
	  "  --allow-downgrade  older firmware on a drive that guards against "
	  "it\n"
	  "                   (Pioneer DVR-103/104)\n"
	  "  --eject          open the tray when a disc is in it (else "
	  "refused)\n"
	  "  --no-backup      skip the backup (not recommended)\n"
	  "  --backup FILE    where to write the backup\n"
	  "  --crossflash     allow an image for another model of the same "
	  "hardware\n"
	  "  --chunk BYTES    bytes per command (32768, 32k, 0x8000)\n"
	  "  --bootcode       FILE is an NEC bootcode (16/32 KiB): asks a second,\n"
	  "                   typed confirmation; the firmware must follow\n"
	  "  --yes-bootcode   that second confirmation, for scripts (with --yes)\n"
	  "  --json           one JSON object on stdout\n"
	  "Several drives: flash --all|DEVICE... FILE [--model M] [--revision R]\n"
	  "                   [--skip-current] [--yes] [--no-backup] (also dump,\n"
	  "                   verify): one session per drive at once, one\n"
	  "                   confirmation, the worst drive's exit code\n" },
	{ "verify", cmd_verify, "verify DEVICE FILE [--json]",
	  "compare what the drive holds with FILE",
	  "  --json           one JSON object on stdout\n" },
	{ "recover", cmd_recover, "recover DEVICE FILE [--yes] [--dry-run]"
	  " [--allow-downgrade] [--eject]",
	  "bring back a drive stuck in safe or boot mode",
	  "  -y, --yes        do not ask for confirmation\n"
	  "  --dry-run        run every check, show the question, change "
	  "nothing\n" },
	{ "history", cmd_history, "history [--json]",
	  "past flashes and dumps, from the journal",
	  "  --json           one JSON object on stdout\n" },
};
#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static const char exit_table[] =
	"Exit codes:\n"
	"  0   success\n"
	"  1   usage error\n"
	"  2   device not found, cannot be opened, or permission denied\n"
	"  3   the drive or the path rejected a command; nothing was changed\n"
	"  4   bad firmware file: unreadable, unknown format, truncated, "
	"checksum wrong\n"
	"  5   refused for safety (wrong model, disc present, drive busy or "
	"mounted,\n"
	"      on battery, not confirmed, a guarded downgrade, path cannot "
	"carry the\n"
	"      transfer, backup failed);\n"
	"      nothing was changed\n"
	"  6   the flash failed after the drive was changed: the message names "
	"the\n"
	"      drive's state and the exact 'odflash recover' command\n"
	"  7   verification failed: the drive does not hold what was flashed, its\n"
	"      new content could not be confirmed, or nothing could be compared\n"
	"      (cannot-verify)\n"
	"  10  internal error\n";

static const char global_opts[] =
	"Global options (before or after the command):\n"
	"  -v, -vv, -vvv    more detail on stderr; -vv prints every command "
	"sent\n"
	"                   (CDB, direction, length, status, sense), -vvv also "
	"data\n"
	"  --json           one JSON object on stdout, messages on stderr\n"
	"  --events[=FD]    NDJSON events on stdout (or FD): start, stage, step,\n"
	"                   progress, ponr, warning, prompt, one result last\n"
	"                   (docs/events.md)\n"
	"  -q, --quiet      no progress or information messages\n"
	"  -h, --help       this help; 'odflash COMMAND --help' for one command\n"
	"  --version        print the version\n";

static void
usage_all(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: odflash [OPTIONS] COMMAND [ARGS]\n"
		"Scan, identify, back up, flash, verify and recover the "
		"firmware of optical drives.\n\nCommands:\n");
	for (i = 0; i < N_COMMANDS; i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n%s\n", global_opts);
	fprintf(f, "DEVICE is /dev/srN, /dev/sgN, a /dev/disk/by-id/ or "
		"/dev/disk/by-path/ link,\nH:C:T:L as lsscsi prints it, or "
		"emu:PATH for an emulated drive (odemu new).\n\n");
	fputs(exit_table, f);
	fprintf(f, "\nSee odflash(1).\n");
}

static void
usage_cmd(const struct command *c)
{
	printf("Usage: odflash %s\n%c%s.\n\nOptions:\n%s\n%s\n",
	       c->synopsis, toupper((unsigned char)c->summary[0]),
	       c->summary + 1, c->options, global_opts);
	fputs(exit_table, stdout);
}

static const struct command *
find_command(const char *name)
{
	size_t i;

	for (i = 0; i < N_COMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static int
is_help(const char *a)
{
	return strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0;
}

static int
run(int argc, char **argv)
{
	const struct command *c;
	char everr[200];
	int i, cmd_at = -1, n;

	/* --events first: whatever follows may print */
	n = cli_events_take_opt(argc, argv, everr, sizeof(everr));
	/* Global options may come before or after the command. */
	argc = cli_take_global_opts(n < 0 ? argc : n, argv, 1);
	if (n < 0)
		return cli_usage_error("%s", everr);
	if (cli_events_on())
		cli_g.json = true;	/* the result event is the object */
	for (i = 1; i < argc; i++) {
		if (is_help(argv[i])) {
			usage_all(stdout);
			return 0;
		}
		if (strcmp(argv[i], "--version") == 0 ||
		    strcmp(argv[i], "-V") == 0) {
			printf("odflash %s\n", ODF_VERSION);
			return 0;
		}
		if (argv[i][0] != '-' || strcmp(argv[i], "-") == 0) {
			cmd_at = i;
			break;
		}
		return cli_usage_error("unknown option '%s'", argv[i]);
	}
	if (cmd_at < 0) {
		usage_all(stderr);
		fprintf(stderr, "\nodflash: no command given.\n");
		return CLI_EXIT_USAGE;
	}
	c = find_command(argv[cmd_at]);
	if (c == NULL)
		return cli_usage_error("unknown command '%s' (commands: scan, "
				       "info, identify, dump, flash, verify, "
				       "recover, history)", argv[cmd_at]);
	cli_g.cmd = c->name;
	for (i = cmd_at + 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (is_help(argv[i])) {
			usage_cmd(c);
			return 0;
		}
	}
	/* -q would silently win over -v (or the reverse): refuse */
	if (cli_g.quiet && cli_g.verbose)
		return cli_usage_error("-q and -v contradict each other: give "
				       "one of them");
	cli_setup_logging();
	return c->fn(argc - cmd_at, argv + cmd_at);
}

int
main(int argc, char **argv)
{
	int rc;

	cli_init("odflash");
	cli_g.version = ODF_VERSION;
	(void)odemu_transport_register();	/* emu:STATE drives */
	rc = run(argc, argv);
	cli_ev_finish(rc);	/* exactly one result, the last event */
	return rc;
}
