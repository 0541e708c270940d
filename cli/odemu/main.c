/* odemu: create and inspect emulated optical drives (docs/odemu.1).
 * The drives themselves live in emu/ (include/odemu/odemu.h); this file
 * only parses arguments, prints and maps errors to exit codes. */
#include <stdio.h>
#include <string.h>

#include "../common/cli.h"
#include "odemu/odemu.h"
#include "cmd_tcmu.h"
#include "commands.h"

#ifndef ODF_VERSION
#define ODF_VERSION "0.0.0"
#endif

static const char usage_text[] =
	"Usage: odemu COMMAND [ARGS]\n"
	"Emulated optical drives for testing odflash and other SG_IO tools.\n"
	"\n"
	"Commands:\n"
	"  models                          list the drive models it can emulate\n"
	"  new MODEL STATE [--version V] [--firmware FILE] [--serial S]\n"
	"                  [--vendor S] [--product S] [--revision S]\n"
	"                  (S: any bytes; \\e, \\xNN, \\n, \\\\ escapes)\n"
	"                  [--time-scale F]\n"
	"                                  create a drive (never overwrites)\n"
	"  show STATE [--json]             model, mode, revision, flash sha256,\n"
	"                                  faults, power, counters, blocks\n"
	"  fault STATE [--power-cut-after-cmds N] [--power-cut-after-bytes N]\n"
	"              [--max-transfer BYTES] [--drop-vendor-opcodes]\n"
	"              [--disc on|off] [--tray-locked on|off] [--hang-ms N]\n"
	"              [--reenumerate N] [--reenumerate-skip K]\n"
	"              [--signal-after-cmds N [--signal INT|TERM|HUP|KILL]]\n"
	"              [--fail-commit KK/AA/QQ|off] [--clear]\n"
	"                                  inject faults\n"
	"  power-on STATE                  power the drive back on after a cut\n"
	"  mkimage MODEL -o FILE [--version V]\n"
	"                                  write a format-valid firmware image\n"
	"  mkboot MODEL -o FILE [--version NN]\n"
	"                                  write a bootcode file (NEC models)\n"
	"  dumpflash STATE -o FILE         the drive's whole flash\n"
	"  log STATE                       the commands the drive received\n"
	"  tcmu STATE                      serve the drive to a real kernel\n"
	"\n"
	"Any SG_IO program can talk to a drive through the preload library:\n"
	"  LD_PRELOAD=.../libodemu-preload.so ODEMU_MAP=/dev/sg90=STATE "
	"sg_inq /dev/sg90\n"
	"\n"
	"Exit codes: 0 ok, 1 usage, 2 no such drive / powered off,\n"
	"4 bad firmware file, 5 refused or in use, 10 internal error.\n";

static int
is_help(const char *a)
{
	return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0;
}


/* ---- dispatch ------------------------------------------------------------------ */
struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
};

static const struct command commands[] = {
	/* one command a line */
	{ "models", cmd_models },
	{ "new", cmd_new },
	{ "show", cmd_show },
	{ "fault", cmd_fault },
	{ "power-on", cmd_power_on },
	{ "mkimage", cmd_mkimage },
	{ "mkboot", cmd_mkboot },
	{ "dumpflash", cmd_dumpflash },
	{ "log", cmd_log },
	{ "tcmu", odemu_cmd_tcmu },
};

int
main(int argc, char **argv)
{
	cli_init("odemu");
	(void)odemu_transport_register();	/* emu:STATE drives */
	if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
		cli_out(stdout, "odemu %s\n", ODF_VERSION);
		return 0;
	}
	argc = cli_take_global_opts(argc, argv, 1);
	cli_setup_logging();
	if (argc < 2)
		return cli_usage_error("no command given");
	if (is_help(argv[1]) || strcmp(argv[1], "help") == 0) {
		fputs(usage_text, stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name) != 0)
			continue;
		cli_g.cmd = commands[i].name;
		for (int k = 2; k < argc; k++)
			if (is_help(argv[k]) && commands[i].fn != odemu_cmd_tcmu) {
				fputs(usage_text, stdout);
				return 0;
			}
		return commands[i].fn(argc - 1, argv + 1);
	}
	return cli_usage_error("unknown command '%s' (commands: models new "
			       "show fault power-on mkimage mkboot dumpflash log "
			       "tcmu)", argv[1]);
}
