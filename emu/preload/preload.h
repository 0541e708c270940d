/* libodemu-preload.so internals: what the interposed open/close/stat
 * (preload.c) share with the kernel's ioctl face (kernel.c). */
#ifndef ODEMU_PRELOAD_H
#define ODEMU_PRELOAD_H

#include <stdbool.h>
#include <stdint.h>

struct odemu;

/* The node a mapped path stands for: sr (block, major 11) or sg (char,
 * major 21), Linux Documentation/admin-guide/devices.txt. */
enum pl_kind { PL_SG = 0, PL_SR };

/* One open descriptor on a mapped node. */
struct pl_fd {
	struct odemu *e;
	int map;		/* index into the ODEMU_MAP entries */
	enum pl_kind kind;
	unsigned minor;
	unsigned host;		/* SCSI host number: 90 + drive index */
	bool caps_known;	/* the sr probe of page 2Ah ran */
	uint32_t caps_mask;	/* CDC_* bits the drive lacks */
};

/* Open sr descriptors on the drive of a map (the cdrom layer's
 * use_count: opens of the block device, Linux drivers/cdrom/cdrom.c
 * cdrom_open). */
unsigned odemu_pl_use_count(int map);
/* The cdrom layer's keeplocked flag of a map's drive. */
bool odemu_pl_keeplocked(int map);
void odemu_pl_set_keeplocked(int map, bool on);

/* Answer ioctl `req` on a mapped descriptor as the kernel's sr or sg
 * driver would: 0 or a positive value, or -1 with errno set. */
int odemu_pl_ioctl(struct pl_fd *f, unsigned long req, void *arg);

/* Before the descriptor closes: what the driver does on release. */
void odemu_pl_release(struct pl_fd *f);

#endif
