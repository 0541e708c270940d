/* odflash: what a drive says about itself, as the vendor driver probed it.
 * Shared by the image library (compatibility check), the vendor drivers
 * (probe) and the CLI (info).  Plain data, no dependencies. */
#ifndef ODF_IDENT_H
#define ODF_IDENT_H

#include <stdbool.h>
#include <stdint.h>

enum odf_family {
	ODF_FAMILY_UNKNOWN = 0,
	ODF_FAMILY_NEC,		/* "nec": NEC / Optiarc */
	ODF_FAMILY_PIONEER,	/* "pioneer" */
	ODF_FAMILY_PLEXTOR,	/* "plextor" */
	ODF_FAMILY_LG_RENESAS,	/* "lg-renesas" */
	ODF_FAMILY_MTK_FF,	/* "mtk-ff": MT1939/MT1339/TSST */
	ODF_FAMILY_MTK_8051,	/* "mtk-8051": classic MediaTek / Lite-On */
	ODF_FAMILY_PS3,		/* "ps3" */
	ODF_FAMILY_SPC,		/* "spc": generic standard WRITE BUFFER */
	ODF_FAMILY_MT1959,	/* "mt1959": MediaTek MT1959 (LG/ASUS BD) */
	ODF_FAMILY_BTC,		/* "btc": BTC DRW1008/1004/1108 (btcflash) */
	ODF_FAMILY_SD616,	/* "sd616": Samsung SD-616F (MT1329E) */
	ODF_FAMILY_COUNT
};
/* Short stable name ("nec", "lg-renesas", ...); "unknown" for others. */
const char *odf_family_name(enum odf_family f);
/* Inverse of odf_family_name; ODF_FAMILY_UNKNOWN if not a family name. */
enum odf_family odf_family_from_name(const char *name);

enum odf_mode { ODF_MODE_NORMAL = 0, ODF_MODE_SAFE, ODF_MODE_BOOT,
		ODF_MODE_UNKNOWN };
const char *odf_mode_name(enum odf_mode m);	/* "normal","safe","boot" */

struct odf_drive_ident {
	enum odf_family family;
	enum odf_mode mode;
	char vendor[9], product[17], revision[5];	/* INQUIRY, trimmed */
	char serial[64];	/* VPD 80h or vendor source, may be "" */
	char target[32];	/* family drive ID: NEC "K350", Pioneer
				   kernel type "PIO_ADV", Plextor "PX-716A" */
	char bootcode[8];	/* NEC bootcode "05", "" if unknown */
	char variant[32];	/* "master"/"slave"/"" */
	char oem[32];		/* OEM/brand string where the family has one */
	char driver[16];	/* driver name that probed it */
	char detail[128];	/* anything else worth showing */
	/* INQUIRY names this family's vendor but its vendor probe got no
	 * answer: the path (a USB/FireWire bridge) most likely filters
	 * vendor opcodes.  Such a drive is refused before anything else
	 * is sent. */
	bool vendor_silent;
	/* Bytes of its own flash the drive reads out to the probe, to match
	 * a copy of its flash to this unit (MT1959: the 32-byte block at
	 * 0x3000, READ BUFFER mode 6); unit_len 0 = none. */
	uint32_t unit_at;
	uint8_t unit_len;
	uint8_t unit[32];
	/* What the probing driver keeps for its own later operations (plan,
	 * verify), typed per family: the strings above are for display and
	 * are never parsed back.  Zero = not known. */
	union {
		struct {
			int generation;	/* ID block bytes 20..23 */
		} pioneer;
	} priv;
};

#endif
