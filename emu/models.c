/* odemu personalities: one const table per drive model.
 *
 * To add a model: add its block-size array and a struct odemu_model below
 * (and a protocol in emu/proto_<family>.c if it speaks a new one).
 * Sources of the facts are cited at each entry.
 */
#include <stddef.h>
#include <string.h>

#include "emu.h"

/* NEC 1 MiB family, bottom-boot: 16K, 8K, 8K, 32K, then 15 x 64K = 19
 * blocks, which puts blocks 2..18 at exactly 0x6000..0xFFFFF, the 0xFA000-
 * byte binflash image (INFERRED: binflash states no block addresses,
 * docs/internals/protocols.md §2.6; binflash necinterface.cpp Flash1M
 * erases and
 * programs blocks 2..18). */
static const uint32_t nec1m_blocks[19] = {
	0x4000, 0x2000, 0x2000, 0x8000,
	0x10000, 0x10000, 0x10000, 0x10000, 0x10000, 0x10000, 0x10000,
	0x10000, 0x10000, 0x10000, 0x10000, 0x10000, 0x10000, 0x10000,
	0x10000,
};

/* NEC 2 MiB family: the same boot blocks, then 31 x 64K = 35 blocks;
 * binflash Flash2M erases 4..34 and programs 4..33 (necinterface.cpp
 * Flash2M; docs/internals/protocols.md §2.5, §2.6),
 * so the firmware 0x10000..0x1EFFFF is blocks 4..33.  Block 34
 * (0x1F0000) is erased but never sent data: this emulator keeps the
 * accepted checksum word there (INFERRED: binflash does not say where
 * the drive keeps it). */
static const uint32_t nec2m_blocks[35] = {
	0x4000, 0x2000, 0x2000, 0x8000,
	0x10000, 0x10000, 0x10000, 0x10000, 0x10000, 0x10000, 0x10000,
	0x10000, 0x10000, 0x10000, 0x10000, 0x10000, 0x10000, 0x10000,
	0x10000, 0x10000, 0x10000, 0x10000, 0x10000, 0x10000, 0x10000,
	0x10000, 0x10000, 0x10000, 0x10000, 0x10000, 0x10000, 0x10000,
	0x10000, 0x10000, 0x10000,
};

/* Uniform 64K blocks (Optiarc AD-7170A: 2 MiB = 32 blocks; the generic
 * SPC drive: 1 MiB = 16 blocks). */
static const uint32_t uni64k_blocks[32] = {
	0x10000, 0x10000, 0x10000, 0x10000, 0x10000, 0x10000, 0x10000,
	0x10000, 0x10000, 0x10000, 0x10000, 0x10000, 0x10000, 0x10000,
	0x10000, 0x10000, 0x10000, 0x10000, 0x10000, 0x10000, 0x10000,
	0x10000, 0x10000, 0x10000, 0x10000, 0x10000, 0x10000, 0x10000,
	0x10000, 0x10000, 0x10000, 0x10000,
};

/* MT1339 TS-H353C, 256 KiB (INFERRED, emu/proto_mtkff.c): a 16 KiB
 * locked common/boot block, then 16K, 32K and 3 x 64K. */
static const uint32_t mt1339_blocks[6] = {
	0x4000, 0x4000, 0x8000, 0x10000, 0x10000, 0x10000,
};

/* BTC DRW1008 1 MiB (INFERRED, emu/proto_btc.c): an 8 Mbit bottom-boot
 * NOR (16K, 8K, 8K, 32K, then 15 x 64K, the 29LV800B-style layout); the
 * 16 KiB boot block is the drive's own. */
static const uint32_t btc_blocks[19] = {
	0x4000, 0x2000, 0x2000, 0x8000, 0x10000, 0x10000, 0x10000, 0x10000,
	0x10000, 0x10000, 0x10000, 0x10000, 0x10000, 0x10000, 0x10000,
	0x10000, 0x10000, 0x10000, 0x10000,
};

/* Timings: typical parallel NOR of the era (e.g. 29F/29LV parts: block
 * erase ~0.7 s per 64 KiB, word program ~10-20 us): INFERRED round
 * figures, per KiB; ATAPI PIO/UDMA transfer ~33 MB/s => ~30 us/KiB. */
static const struct odemu_model models[] = {
	{
		/* ND-3500A: ID K350 at 0x4800 (aliases K310/K345), safe-mode ID
		 * K310, bootcode "05", RID at 0x5F00 with "NEC" at +0x20, dump
		 * ID 0 (docs/internals/protocols.md §2.2-§2.4; binflash's
		 * FirmwareID.xlsx lists ND-3500A as 7E, but binflash's
		 * GetIDFromDriveType gives 0 for the 1 MiB family). */
		.name = "nec-nd3500",
		.description = "NEC ND-3500A DVD+-RW, 1 MiB flash (binflash "
			       "protocol)",
		.family = ODF_FAMILY_NEC,
		.proto = &odemu_proto_nec,
		.vendor = "_NEC", .product = "DVD_RW ND-3500AG",
		.default_version = "2.16", .boot_revision = "0.05",
		.target = "K350", .safe_id = "K310", .bootcode = "05",
		.rid_text = "NEC", .fw_date = "20040521120000",
		.inq_version = 0x00,
		.flash_size = 0x100000, .nblocks = 19,
		.block_size = nec1m_blocks,
		.fw_start = 0x6000, .fw_len = 0xFA000,
		.chk_inside = true, .chk_addr = 0,
		.id_addr = 0x4800, .rid_addr = 0x5F00,
		.erase_first = 2, .erase_last = 18,
		.prog_first = 2, .prog_last = 18,
		.chk_index = 8, .dump_id = 0, .opti_pad = false,
		/* bootcode: 0x4000 bytes (binflash GetBootcodeSizeFromDriveType,
		 * 1 MiB family), no checksum sent (Bootflash Flash1M) */
		.boot_len = 0x4000, .boot_csum = false, .boot_rev_off = 0x100,
		.erase_ms_per_block = 700, .program_us_per_kib = 12000,
		.transfer_us_per_kib = 30,
	},
	{
		/* ND-3550A: ID K355 (aliases K315/K355), 2 MiB family
		 * (Flash2M: RAM 0x10000+i, 0x1E0000 bytes, checksum =
		 * file[0x1E0000..1], erase 4..34, write 4..33); dump in
		 * safe mode with dump ID 93h (binflash FirmwareID.xlsx,
		 * ND-3550A).  Safe-mode ID: K355 (Liggy/binflash
		 * necinternal.cpp GetDriveID returns "K355" for this type,
		 * unlike K350 whose safe-mode ID is K310). */
		.name = "nec-nd3550",
		.description = "NEC ND-3550A DVD+-RW, 2 MiB flash (binflash "
			       "protocol, dump ID)",
		.family = ODF_FAMILY_NEC,
		.proto = &odemu_proto_nec,
		.vendor = "_NEC", .product = "DVD_RW ND-3550A",
		.default_version = "1.05", .boot_revision = "0.05",
		.target = "K355", .safe_id = "K355", .bootcode = "05",
		.rid_text = "NEC", .fw_date = "20050610120000",
		.inq_version = 0x00,
		.flash_size = 0x200000, .nblocks = 35,
		.block_size = nec2m_blocks,
		.fw_start = 0x10000, .fw_len = 0x1E0000,
		.chk_inside = false, .chk_addr = 0x1F0000,
		.id_addr = 0x4800, .rid_addr = 0x5F00,
		.erase_first = 4, .erase_last = 34,
		.prog_first = 4, .prog_last = 33,
		/* binflash dumps it in normal mode with ID 0: its
		 * necinternal.cpp:GetIDFromDriveType has no case for K355
		 * (returns 0) and necinterface.cpp DumpFirmware, FlashSize2M,
		 * enters safe mode only "if (id)"; FirmwareID.xlsx lists 93h
		 * (and 9Fh, "Identifies as D355") at position 0.  This drive
		 * answers both ways (INFERRED: which one a real ND-3550A
		 * needs depends on its firmware). */
		.chk_index = -1, .dump_id = 0x93, .dump_normal = true,
		.opti_pad = false,
		/* bootcode 0x4000 bytes, SendChecksum area 1 (Bootflash
		 * Flash2M) */
		.boot_len = 0x4000, .boot_csum = true, .boot_rev_off = 0x100,
		.erase_ms_per_block = 700, .program_us_per_kib = 12000,
		.transfer_us_per_kib = 30,
	},
	{
		/* AD-7170A: ID D770 (aliases D770/D730/K480/K440) at 0x4800
		 * ("2 MiB NEC and early Optiarc IDs",
		 * docs/internals/protocols.md §2.2);
		 * Flash2MOpti: RAM 0x30000+i, 0x1C0000 bytes, erase 3..30/31;
		 * WriteRAMOpti sends n x 4 KiB of image, then n x 4 zero
		 * bytes (bootcode bug workaround; binflash@5cfb543
		 * necinternal.cpp:WriteRAMOpti); EraseBlockOptiarc CB 05 "ERASE" 00 block
		 * (§2.1); dump ID B4h (binflash FirmwareID.xlsx, AD-7170A).
		 * INFERRED: 32 uniform 64 KiB blocks; RID at 0x20F00 (the
		 * newer Optiarc RID address, §2.2) holding "Sony"; safe ID
		 * = D770.  binflash's Flash2MOpti erases and programs only
		 * blocks 3..30 (the 0x1C0000-byte image), so the drive cannot
		 * keep the accepted checksum word in NOR flash it never
		 * erases: this emulator keeps it at 0x1F0000 as a settings
		 * word that is overwritten (chk_nv), INFERRED. */
		.name = "optiarc-ad7170",
		.description = "Optiarc AD-7170A DVD+-RW, 2 MiB flash "
			       "(binflash Opti protocol; partly inferred)",
		.family = ODF_FAMILY_NEC,
		.proto = &odemu_proto_nec,
		.vendor = "Optiarc", .product = "DVD RW AD-7170A",
		.default_version = "1.03", .boot_revision = "0.06",
		.target = "D770", .safe_id = "D770", .bootcode = "06",
		.rid_text = "Sony", .fw_date = "20070315120000",
		.inq_version = 0x00,
		.flash_size = 0x200000, .nblocks = 32,
		.block_size = uni64k_blocks,
		.fw_start = 0x30000, .fw_len = 0x1C0000,
		.chk_inside = false, .chk_addr = 0x1F0000, .chk_nv = true,
		.id_addr = 0x4800, .rid_addr = 0x20F00,
		.erase_first = 3, .erase_last = 30,
		.prog_first = 3, .prog_last = 30,
		/* binflash GetIDFromDriveType (D770) reads the dump ID as
		 * ReadRAM(0x30000, 1 byte) in normal mode: FirmwareID.xlsx
		 * "AD-7170A, B4, position 0" -- the firmware's first byte */
		.chk_index = -1, .dump_id = 0xB4, .opti_pad = true,
		/* bootcode 0x8000 bytes, SendChecksum area 1 (Bootflash
		 * Flash2MOpti) */
		.boot_len = 0x8000, .boot_csum = true, .boot_rev_off = 0x100,
		.erase_ms_per_block = 700, .program_us_per_kib = 12000,
		.transfer_us_per_kib = 30,
	},
	{
		/* A drive that speaks only the standard: READ BUFFER mode
		 * 2/3, WRITE BUFFER modes 5/7/0Eh/0Fh (SPC-4 as documented by
		 * sg3_utils doc/sg_write_buffer.8 and doc/sg_read_buffer.8).
		 * Block 0 is its boot loader; the image lives in 1..15. */
		.name = "spc-generic",
		.description = "generic standard DVD-RW (SPC WRITE BUFFER), "
			       "1 MiB flash",
		.family = ODF_FAMILY_SPC,
		.proto = &odemu_proto_spc,
		.vendor = "ODFLASH", .product = "GENERIC DVD-RW",
		.default_version = "1.00", .boot_revision = "BOOT",
		.target = "GENERIC DVD-RW", .safe_id = NULL, .bootcode = NULL,
		.rid_text = NULL, .fw_date = "20240102030405",
		.inq_version = 0x05,
		.flash_size = 0x100000, .nblocks = 16,
		.block_size = uni64k_blocks,
		.fw_start = 0x10000, .fw_len = 0xF0000,
		.chk_inside = false, .chk_addr = 0,
		.id_addr = 0, .rid_addr = 0,
		.erase_first = 1, .erase_last = 15,
		.prog_first = 1, .prog_last = 15,
		.chk_index = -1, .dump_id = 0, .opti_pad = false,
		.erase_ms_per_block = 500, .program_us_per_kib = 10000,
		.transfer_us_per_kib = 30,
	},
	{
		/* spc-generic that does not advertise it: answers like
		 * Linux scsi_debug ptype=5 (docs/internals/rig.md §3;
		 * scsi_debug.c resp_write_buffer): GET CONFIGURATION and READ
		 * BUFFER
		 * 05/20/00, UA 3F/16 after every WRITE BUFFER mode 5/7, a
		 * medium that cannot be unloaded (an eject only stops the
		 * unit: TEST UNIT READY 02/04/02). */
		.name = "spc-quiet",
		.description = "standard DVD-RW that takes WRITE BUFFER "
			       "without advertising it (like scsi_debug)",
		.family = ODF_FAMILY_SPC,
		.proto = &odemu_proto_spc,
		.vendor = "ODFLASH", .product = "QUIET DVD-RW",
		.default_version = "1.00", .boot_revision = "BOOT",
		.target = "QUIET DVD-RW", .safe_id = NULL, .bootcode = NULL,
		.rid_text = NULL, .fw_date = "20240102030405",
		.inq_version = 0x05,
		.flash_size = 0x100000, .nblocks = 16,
		.block_size = uni64k_blocks,
		.fw_start = 0x10000, .fw_len = 0xF0000,
		.chk_inside = false, .chk_addr = 0,
		.id_addr = 0, .rid_addr = 0,
		.erase_first = 1, .erase_last = 15,
		.prog_first = 1, .prog_last = 15,
		.chk_index = -1, .dump_id = 0, .opti_pad = false,
		.erase_ms_per_block = 500, .program_us_per_kib = 10000,
		.transfer_us_per_kib = 30,
		.spc_quirks = ODEMU_SPCQ_NO_GET_CONFIG |
			      ODEMU_SPCQ_NO_READ_BUFFER |
			      ODEMU_SPCQ_UA_PER_DOWNLOAD |
			      ODEMU_SPCQ_FIXED_MEDIUM,
	},
	{
		/* A drive with no firmware download at all: answers like
		 * QEMU ide-cd/scsi-cd (docs/internals/rig.md §2): GET
		 * CONFIGURATION without feature 0104h, READ and WRITE BUFFER
		 * 05/20/00.
		 * Its flash is laid out as spc-generic's (never written). */
		.name = "spc-refuse",
		.description = "DVD-ROM that rejects READ/WRITE BUFFER "
			       "(like QEMU's CD drives)",
		.family = ODF_FAMILY_SPC,
		.proto = &odemu_proto_spc,
		.vendor = "ODFLASH", .product = "REFUSE DVD-ROM",
		.default_version = "1.00", .boot_revision = "BOOT",
		.target = "REFUSE DVD-ROM", .safe_id = NULL, .bootcode = NULL,
		.rid_text = NULL, .fw_date = "20240102030405",
		.inq_version = 0x05,
		.flash_size = 0x100000, .nblocks = 16,
		.block_size = uni64k_blocks,
		.fw_start = 0x10000, .fw_len = 0xF0000,
		.chk_inside = false, .chk_addr = 0,
		.id_addr = 0, .rid_addr = 0,
		.erase_first = 1, .erase_last = 15,
		.prog_first = 1, .prog_last = 15,
		.chk_index = -1, .dump_id = 0, .opti_pad = false,
		.erase_ms_per_block = 500, .program_us_per_kib = 10000,
		.transfer_us_per_kib = 30,
		.spc_quirks = ODEMU_SPCQ_NO_MICROCODE_FEATURE |
			      ODEMU_SPCQ_NO_READ_BUFFER |
			      ODEMU_SPCQ_NO_WRITE_BUFFER,
	},
	{
		/* Sony PS3 BD drive, updated as wichers/dsd-nexus
		 * libps3drive does it (emu/proto_ps3.c).  INFERRED: 2 MiB
		 * flash of 64 KiB blocks, boot code in block 0, the image
		 * (the image library's PS3 container) from 0x10000; boot
		 * code revision "BOOT". */
		.name = "ps3-bd",
		.description = "Sony PS3 BD drive (WRITE BUFFER mode 7, "
			       "dsd-nexus libps3drive; layout inferred)",
		.family = ODF_FAMILY_PS3,
		.proto = &odemu_proto_ps3,
		.vendor = "SONY", .product = "PS-SYSTEM   302R",
		.default_version = "1.00", .boot_revision = "BOOT",
		.target = "PS-SYSTEM   302R", .safe_id = NULL,
		.bootcode = NULL, .rid_text = NULL,
		.fw_date = "20080301120000", .inq_version = 0x05,
		.flash_size = 0x200000, .nblocks = 32,
		.block_size = uni64k_blocks,
		.fw_start = 0x10000, .fw_len = 0x1F0000,
		.chk_inside = false, .chk_addr = 0,
		.id_addr = 0, .rid_addr = 0,
		.erase_first = 1, .erase_last = 31,
		.prog_first = 1, .prog_last = 31,
		.chk_index = -1, .dump_id = 0, .opti_pad = false,
		.erase_ms_per_block = 500, .program_us_per_kib = 10000,
		.transfer_us_per_kib = 30,
	},
	{
		/* Plextor PX-716A (emu/proto_plextor.c; pxfw, redumper):
		 * the 983040-byte image (lib/image/plextor.c) at 0;
		 * INFERRED: 1 MiB flash of 64 KiB blocks, boot code in the
		 * last block, boot revision "BOOT". */
		.name = "plextor-px716",
		.description = "Plextor PX-716A DVD+-RW (WRITE BUFFER mode "
			       "4/5, 16 KiB blocks)",
		.family = ODF_FAMILY_PLEXTOR,
		.proto = &odemu_proto_plextor,
		.vendor = "PLEXTOR", .product = "DVDR   PX-716A",
		.default_version = "1.11", .boot_revision = "BOOT",
		.target = "PX-716A", .safe_id = NULL, .bootcode = NULL,
		.rid_text = NULL, .fw_date = "20050815120000",
		.inq_version = 0x00,
		.flash_size = 0x100000, .nblocks = 16,
		.block_size = uni64k_blocks,
		.fw_start = 0, .fw_len = 983040,
		.chk_inside = true, .chk_addr = 0,
		.id_addr = 0, .rid_addr = 0,
		.erase_first = 0, .erase_last = 14,
		.prog_first = 0, .prog_last = 14,
		.chk_index = -1, .dump_id = 0, .opti_pad = false,
		.erase_ms_per_block = 700, .program_us_per_kib = 12000,
		.transfer_us_per_kib = 30,
	},
	{
		/* Samsung/TSST SE-506CB BD writer, MediaTek MT1939
		 * (emu/proto_mtkff.c; coastermelt doc/bootloader.txt): 2 MiB
		 * image = the whole flash, boot region 0..0xFFFF locked.
		 * INFERRED: 64 KiB blocks, boot revision "BOOT". */
		.name = "tsst-se506cb",
		.description = "TSST SE-506CB BD writer, MediaTek MT1939 (FF "
			       "protocol, coastermelt)",
		.family = ODF_FAMILY_MTK_FF,
		.proto = &odemu_proto_mtkff,
		.vendor = "TSSTcorp", .product = "BDDVDW SE-506CB",
		.default_version = "TS01", .boot_revision = "BOOT",
		.target = "SE-506CB", .safe_id = NULL, .bootcode = NULL,
		.rid_text = NULL, .fw_date = "20120601120000",
		.inq_version = 0x05,
		.flash_size = 0x200000, .nblocks = 32,
		.block_size = uni64k_blocks,
		.fw_start = 0, .fw_len = 0x200000,
		.chk_inside = true, .chk_addr = 0,
		.id_addr = 0, .rid_addr = 0,
		.erase_first = 1, .erase_last = 31,
		.prog_first = 1, .prog_last = 31,
		.chk_index = -1, .dump_id = 0, .opti_pad = false,
		.erase_ms_per_block = 500, .program_us_per_kib = 10000,
		.transfer_us_per_kib = 15,
	},
	{
		/* Pioneer DVR-109 (emu/proto_pioneer.c; DVRFlash,
		 * docs/internals/protocols.md §3): generation 9, kernel type
		 * GENERAL (key 5C6A8FE9), kernel part 0x20000 bytes, normal part
		 * >= 0x128000 bytes, kernel-mode revision "0000".  INFERRED:
		 * 2 MiB flash of 64 KiB blocks, kernel part at 0, normal part
		 * from 0x20000 (at most 0x1D0000 bytes), its boot record in
		 * the last block (chk_addr); the date in INQUIRY from
		 * fw_date. */
		.name = "pioneer-dvr109",
		.description = "Pioneer DVR-109 DVD+-RW (DVRFlash protocol: "
			       "kernel mode, 32 KiB chunks, commit; layout "
			       "inferred)",
		.family = ODF_FAMILY_PIONEER,
		.proto = &odemu_proto_pioneer,
		.vendor = "PIONEER", .product = "DVD-RW  DVR-109",
		.default_version = "1.00", .boot_revision = "0000",
		.target = "DVR-109", .safe_id = NULL, .bootcode = NULL,
		.rid_text = NULL, .fw_date = "20050420120000",
		.inq_version = 0x00,
		.flash_size = 0x200000, .nblocks = 32,
		.block_size = uni64k_blocks,
		.fw_start = 0x20000, .fw_len = 0x1D0000,
		.chk_inside = false, .chk_addr = 0x1F0000,
		.id_addr = 0, .rid_addr = 0,
		.erase_first = 2, .erase_last = 31,
		.prog_first = 2, .prog_last = 31,
		.chk_index = -1, .dump_id = 0, .opti_pad = false,
		.erase_ms_per_block = 700, .program_us_per_kib = 12000,
		.transfer_us_per_kib = 30,
	},
	{
		/* Pioneer DVR-104 (emu/proto_pioneer.c; DVRFlash,
		 * docs/internals/protocols.md §3): generation 3, kernel-mode
		 * block "PIONEER DVD-R104" without key, the anti-downgrade
		 * challenge before it, kernel part 0x10000 bytes, normal part
		 * 0x100000 bytes,
		 * kernel-mode revision "0000".  INFERRED: the DVR-109's 2 MiB
		 * layout with the normal part from 0x10000, its boot record
		 * in the last block; kernel type GENERAL; the INQUIRY product
		 * and date. */
		.name = "pioneer-dvr104",
		.description = "Pioneer DVR-104 DVD-R/RW (DVRFlash protocol: "
			       "anti-downgrade challenge, kernel mode, 32 KiB "
			       "chunks, commit; layout inferred)",
		.family = ODF_FAMILY_PIONEER,
		.proto = &odemu_proto_pioneer,
		.vendor = "PIONEER", .product = "DVD-RW  DVR-104",
		.default_version = "1.00", .boot_revision = "0000",
		.target = "DVR-104", .safe_id = NULL, .bootcode = NULL,
		.rid_text = NULL, .fw_date = "20021115120000",
		.inq_version = 0x00,
		.flash_size = 0x200000, .nblocks = 32,
		.block_size = uni64k_blocks,
		.fw_start = 0x10000, .fw_len = 0x100000,
		.chk_inside = false, .chk_addr = 0x1F0000,
		.id_addr = 0, .rid_addr = 0,
		.erase_first = 1, .erase_last = 31,
		.prog_first = 1, .prog_last = 31,
		.chk_index = -1, .dump_id = 0, .opti_pad = false,
		.erase_ms_per_block = 700, .program_us_per_kib = 12000,
		.transfer_us_per_kib = 30,
	},
	{
		/* TSST TS-H353C DVD-ROM, MediaTek MT1339 (TS-H353C = MT1339:
		 * redumper README / issue #263 [FORUM]; FF protocol with
		 * 0xFC00 blocks and END 04: redumper flash_mt1339.ixx /
		 * flash_tsst.ixx, emu/proto_mtkff.c).  256 KiB image = the
		 * whole flash.  INFERRED: the block layout above, the first
		 * 16 KiB locked, no READ BUFFER dump, boot revision "BOOT",
		 * INQUIRY product "DVD-ROM TS-H353C", version "1.00". */
		.name = "tsst-tsh353c",
		.description = "TSST TS-H353C DVD-ROM, MediaTek MT1339 (FF "
			       "protocol, 0xFC00 blocks, redumper; partly "
			       "inferred)",
		.family = ODF_FAMILY_MTK_FF,
		.proto = &odemu_proto_mtkff,
		.vendor = "TSSTcorp", .product = "DVD-ROM TS-H353C",
		.default_version = "1.00", .boot_revision = "BOOT",
		.target = "TS-H353C", .safe_id = NULL, .bootcode = NULL,
		.rid_text = NULL, .fw_date = "20080101120000",
		.inq_version = 0x00,
		.flash_size = 0x40000, .nblocks = 6,
		.block_size = mt1339_blocks,
		.fw_start = 0, .fw_len = 0x40000,
		.chk_inside = false, .chk_addr = 0,
		.id_addr = 0, .rid_addr = 0,
		.erase_first = 1, .erase_last = 5,
		.prog_first = 1, .prog_last = 5,
		.chk_index = -1, .dump_id = 0, .opti_pad = false,
		.erase_ms_per_block = 500, .program_us_per_kib = 10000,
		.transfer_us_per_kib = 30,
	},
#define MT1959_MODEL(nm, desc, vnd, prod, cfg, ver)			\
	{								\
		.name = nm, .description = desc,			\
		.family = ODF_FAMILY_MT1959,				\
		.proto = &odemu_proto_mt1959,				\
		.vendor = vnd, .product = prod,				\
		.default_version = ver, .boot_revision = "BOOT",	\
		.target = cfg, .safe_id = NULL, .bootcode = NULL,	\
		.rid_text = NULL, .fw_date = "20160601120000",		\
		.inq_version = 0x05,					\
		.flash_size = 0x200000, .nblocks = 32,			\
		.block_size = uni64k_blocks,				\
		.fw_start = 0, .fw_len = 0x200000,			\
		.chk_inside = false, .chk_addr = 0,			\
		.id_addr = 0, .rid_addr = 0,				\
		.erase_first = 1, .erase_last = 31,			\
		.prog_first = 1, .prog_last = 31,			\
		.chk_index = -1, .dump_id = 0, .opti_pad = false,	\
		.erase_ms_per_block = 500, .program_us_per_kib = 10000,	\
		.transfer_us_per_kib = 15,				\
	}
	/* MediaTek MT1959 BD writers (emu/proto_mt1959.c; redumper
	 * drive/flash_mt1959.ixx lists them and their config IDs).  2 MiB
	 * flash = the image; the boot area 0..0xFFFF with the config block
	 * is the unit's own.  INFERRED: 64 KiB blocks, boot revision
	 * "BOOT" (ASUS_BW-16D1HT_BOOT in OmniDrive reports [FORUM]). */
	MT1959_MODEL("lg-bh16ns40", "LG BH16NS40 BD writer, MediaTek MT1959 "
		     "(config JB8; redumper protocol, partly inferred)",
		     "HL-DT-ST", "BD-RE BH16NS40", "JB8", "1.02"),
	MT1959_MODEL("lg-bu40n", "LG BU40N slim BD writer, MediaTek MT1959 "
		     "(config BU5; redumper protocol, partly inferred)",
		     "HL-DT-ST", "BD-RE BU40N", "BU5", "1.00"),
	MT1959_MODEL("asus-bw16d1ht", "ASUS BW-16D1HT BD writer, MediaTek "
		     "MT1959 (config JB8; redumper protocol, partly inferred)",
		     "ASUS", "BW-16D1HT", "JB8", "3.02"),
#undef MT1959_MODEL

#define BTC_MODEL(nm, desc, prod, tgt)					\
	{								\
		.name = nm, .description = desc,			\
		.family = ODF_FAMILY_BTC,				\
		.proto = &odemu_proto_btc,				\
		.vendor = "BTC", .product = prod,			\
		.default_version = "1.00", .boot_revision = "BOOT",	\
		.target = tgt, .safe_id = NULL, .bootcode = NULL,	\
		.rid_text = NULL, .fw_date = "20040401120000",		\
		.inq_version = 0x00,					\
		.flash_size = 0x100000, .nblocks = 19,			\
		.block_size = btc_blocks,				\
		.fw_start = 0, .fw_len = 0x100000,			\
		.chk_inside = false, .chk_addr = 0,			\
		.id_addr = 0, .rid_addr = 0,				\
		.erase_first = 1, .erase_last = 18,			\
		.prog_first = 1, .prog_last = 18,			\
		.chk_index = -1, .dump_id = 0, .opti_pad = false,	\
		.erase_ms_per_block = 700, .program_us_per_kib = 35000,	\
		.transfer_us_per_kib = 30,				\
	}
	/* BTC DVD writers (emu/proto_btc.c; dvd+rw-tools btcflash.cpp).
	 * 1 MiB flash = the image.  INFERRED: INQUIRY vendor "BTC",
	 * product "DVD+-RW <model>", the boot block, boot revision "BOOT";
	 * the timings make the write last about the 50 s btcflash waits
	 * (18 blocks x 0.7 s + 1008 KiB x 35 ms). */
	BTC_MODEL("btc-drw1008", "BTC DRW1008 DVD writer (btcflash: WRITE "
		  "BUFFER 6/7; layout inferred)", "DVD+-RW DRW1008", "DRW1008"),
	BTC_MODEL("btc-drw1004", "BTC DRW1004 DVD writer (as btc-drw1008; "
		  "layout inferred)", "DVD+-RW DRW1004", "DRW1004"),
#undef BTC_MODEL
	{
		/* Samsung SD-616F DVD-ROM, MediaTek MT1329E (emu/
		 * proto_sd616.c; superg/redumper drive/flash_sd616.ixx:
		 * vendor "SAMSUNG", product "DVD-ROM SD-616F", 128 KiB file).
		 * INFERRED: the flash is the file, 16K/16K/32K/64K blocks as
		 * the MT1339's first four, the 16 KiB boot block the unit's
		 * own, boot revision "BOOT", version "F100". */
		.name = "samsung-sd616f",
		.description = "Samsung SD-616F DVD-ROM, MediaTek MT1329E (FF "
			       "protocol, 0x30000 stream, redumper; partly "
			       "inferred)",
		.family = ODF_FAMILY_SD616,
		.proto = &odemu_proto_sd616,
		.vendor = "SAMSUNG", .product = "DVD-ROM SD-616F",
		.default_version = "F100", .boot_revision = "BOOT",
		.target = "SD-616F", .safe_id = NULL, .bootcode = NULL,
		.rid_text = NULL, .fw_date = "20020601120000",
		.inq_version = 0x00,
		.flash_size = 0x20000, .nblocks = 4,
		.block_size = mt1339_blocks,
		.fw_start = 0, .fw_len = 0x20000,
		.chk_inside = false, .chk_addr = 0,
		.id_addr = 0, .rid_addr = 0,
		.erase_first = 1, .erase_last = 3,
		.prog_first = 1, .prog_last = 3,
		.chk_index = -1, .dump_id = 0, .opti_pad = false,
		.erase_ms_per_block = 500, .program_us_per_kib = 10000,
		.transfer_us_per_kib = 30,
	},

	{
		/* LG GSA-4163B DVD writer, Renesas era (emu/proto_lg.c;
		 * devilsclaw/flasher, docs/internals/protocols.md §7).
		 * INQUIRY vendor "HL-DT-ST" (every LG drive in devilsclaw's
		 * Readme.txt); INFERRED: the chip (no public source states it),
		 * product "DVDRAM GSA-4163B" (as "DVDRAM
		 * GMA-4020B" in the Readme), the 8-character header model
		 * "GSA4163B" (the header has 8 bytes for it, lib/image/lg.c),
		 * 1 MiB of 64 KiB blocks mapped at address 0: CORE in block
		 * 0, the MAIN file (0x400-byte header + body) in 1..15, body
		 * loading at 0x10400. */
		.name = "lg-gsa4163b",
		.description = "LG GSA-4163B DVD writer, Renesas (3C/3B + "
			       "SEND DIAGNOSTIC, devilsclaw/flasher; layout "
			       "inferred)",
		.family = ODF_FAMILY_LG_RENESAS,
		.proto = &odemu_proto_lg,
		.vendor = "HL-DT-ST", .product = "DVDRAM GSA-4163B",
		.default_version = "A105", .boot_revision = "BOOT",
		.target = "GSA4163B", .safe_id = NULL, .bootcode = NULL,
		.rid_text = NULL, .fw_date = "20050301120000",
		.inq_version = 0x00,
		.flash_size = 0x100000, .nblocks = 16,
		.block_size = uni64k_blocks,
		.fw_start = 0x10000, .fw_len = 0xF0000,
		.chk_inside = true, .chk_addr = 0,
		.id_addr = 0, .rid_addr = 0,
		.erase_first = 1, .erase_last = 15,
		.prog_first = 1, .prog_last = 15,
		.chk_index = -1, .dump_id = 0, .opti_pad = false,
		.erase_ms_per_block = 700, .program_us_per_kib = 12000,
		.transfer_us_per_kib = 30,
	},
	{
		/* LG GDR8164B DVD-ROM (devilsclaw Readme.txt lists "DVD-ROM
		 * GDR8164B"; docs/internals/protocols.md §7.4): the same
		 * inferred layout as lg-gsa4163b; another model for the
		 * wrong-model refusal. */
		.name = "lg-gdr8164b",
		.description = "LG GDR8164B DVD-ROM, Renesas (as lg-gsa4163b; "
			       "layout inferred)",
		.family = ODF_FAMILY_LG_RENESAS,
		.proto = &odemu_proto_lg,
		.vendor = "HL-DT-ST", .product = "DVD-ROM GDR8164B",
		.default_version = "1.00", .boot_revision = "BOOT",
		.target = "GDR8164B", .safe_id = NULL, .bootcode = NULL,
		.rid_text = NULL, .fw_date = "20040601120000",
		.inq_version = 0x00,
		.flash_size = 0x100000, .nblocks = 16,
		.block_size = uni64k_blocks,
		.fw_start = 0x10000, .fw_len = 0xF0000,
		.chk_inside = true, .chk_addr = 0,
		.id_addr = 0, .rid_addr = 0,
		.erase_first = 1, .erase_last = 15,
		.prog_first = 1, .prog_last = 15,
		.chk_index = -1, .dump_id = 0, .opti_pad = false,
		.erase_ms_per_block = 700, .program_us_per_kib = 12000,
		.transfer_us_per_kib = 30,
	},
};

#define NMODELS (sizeof(models) / sizeof(models[0]))

const struct odemu_model *
odemu_model_at(size_t i)
{
	return i < NMODELS ? &models[i] : NULL;
}

const struct odemu_model *
odemu_model_find(const char *name)
{
	for (size_t i = 0; name && i < NMODELS; i++)
		if (strcmp(models[i].name, name) == 0)
			return &models[i];
	return NULL;
}

uint32_t
odemu_block_start(const struct odemu_model *m, unsigned b)
{
	uint32_t a = 0;

	for (unsigned i = 0; i < b && i < m->nblocks; i++)
		a += m->block_size[i];
	return a;
}

int
odemu_block_of(const struct odemu_model *m, uint32_t addr)
{
	uint32_t a = 0;

	for (unsigned i = 0; i < m->nblocks; i++) {
		if (addr >= a && addr - a < m->block_size[i])
			return (int)i;
		a += m->block_size[i];
	}
	return -1;
}
