/* odflash: the advice that differs between Linux and Windows, in one
 * place (cli/common/words.c uses these for its reasons). */
#ifndef CLI_OS_WORDS_H
#define CLI_OS_WORDS_H

#ifdef _WIN32
#define OS_HINT_NOT_A_DRIVE "give an optical drive: D:, \\\\.\\D: or " \
	"CdRom0; run `odflash scan` to list drives"
#define OS_HINT_PERMISSION "run as administrator: open the Command " \
	"Prompt with \"Run as administrator\" and run odflash there"
#define OS_HINT_BUSY "close Explorer windows showing the disc and any " \
	"burning or media software, then try again"
#else
#define OS_HINT_NOT_A_DRIVE "give an optical drive: /dev/srN, /dev/sgN " \
	"or H:C:T:L; run `odflash scan` to list drives"
#define OS_HINT_PERMISSION "add your user to the cdrom group (sudo " \
	"usermod -aG cdrom $USER, then log in again) or run as root"
#define OS_HINT_BUSY "close burning or media software and unmount any " \
	"disc in the drive, then try again"
#endif

#endif
