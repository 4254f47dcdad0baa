// SPDX-License-Identifier: GPL-2.0
/*
 * Test module (not part of the product): sends malformed first-touch
 * batches to the host and checks that each is refused with the expected
 * code and that none of the real pages named in them is discarded.
 * Results go to the kernel log, one line per case, then a summary line
 * "kvmnuma_hostile: <n> cases, <m> failed".
 *
 * ram_mb must be the guest's RAM size as given to QEMU (-m, at most
 * 2 GiB on q35, so RAM is one range from 0): the BIOS' E820 map reserves
 * the top pages, so the guest's own idea of its RAM end is lower.
 */
#define pr_fmt(fmt) "kvmnuma_hostile: " fmt

#include <linux/gfp.h>
#include <linux/kvm_para.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <asm/io.h>

#include "../../../include/kvmnuma/hypercall_abi.h"

#define PATTERN 0x6b766d6e756d6121ULL

static unsigned long ram_mb;
module_param(ram_mb, ulong, 0444);
MODULE_PARM_DESC(ram_mb, "Guest RAM in MiB, as given to QEMU");

static u64 *batch;		/* one page: the batch array */
static u64 *victims;		/* pages named by frees: must survive */
static unsigned int nr_cases, nr_failed;

static void expect(const char *name, unsigned long gpa, unsigned long count,
		   long want)
{
	long got = kvm_hypercall2(KVMNUMA_HC_FLUSH, gpa, count);

	nr_cases++;
	if (got != want)
		nr_failed++;
	pr_info("case %-24s expected %ld got %ld %s\n", name, want, got,
		got == want ? "OK" : "FAIL");
}

static u64 victim_entry(unsigned int i)
{
	return KVMNUMA_ENTRY(virt_to_phys(victims) / PAGE_SIZE + i, 0,
			     KVMNUMA_OP_FREE);
}

static int __init hostile_init(void)
{
	u64 ram_end = (u64)ram_mb << 20;
	unsigned int i;

	if (!ram_mb || ram_mb > 2048)
		return -EINVAL;

	batch = (u64 *)get_zeroed_page(GFP_KERNEL);
	victims = (u64 *)__get_free_pages(GFP_KERNEL, 2);
	if (!batch || !victims)
		return -ENOMEM;
	for (i = 0; i < 4; i++)
		victims[i * PAGE_SIZE / 8] = PATTERN;

	/* Every batch below names the victim pages before its bad part. */
	for (i = 0; i < 4; i++)
		batch[i] = victim_entry(i);

	expect("unaligned-array", virt_to_phys(batch) + 4, 4,
	       KVMNUMA_RES_EINVAL);
	expect("array-outside-ram", 1UL << 45, 4, KVMNUMA_RES_EFAULT);
	expect("array-in-mmio", 0xfee00000UL, 4, KVMNUMA_RES_EFAULT);
	/* The array's last entries lie past the end of RAM. */
	expect("array-spans-ram-end", ram_end - 16, 4,
	       KVMNUMA_RES_EFAULT);
	expect("count-too-large", virt_to_phys(batch), KVMNUMA_MAX_BATCH + 1,
	       KVMNUMA_RES_E2BIG);
	expect("count-huge", virt_to_phys(batch), 0xffffffffUL,
	       KVMNUMA_RES_E2BIG);

	batch[4] = KVMNUMA_ENTRY(ram_end / PAGE_SIZE + 16, 0, KVMNUMA_OP_FREE);
	expect("entry-outside-ram", virt_to_phys(batch), 5, KVMNUMA_RES_EINVAL);
	batch[4] = KVMNUMA_ENTRY(0xfee00, 0, KVMNUMA_OP_FREE);
	expect("entry-in-mmio", virt_to_phys(batch), 5, KVMNUMA_RES_EINVAL);
	/* The first MiB: RAM below 640 KiB, then the VGA/ROM hole. */
	batch[4] = KVMNUMA_ENTRY(0, 8, KVMNUMA_OP_FREE);
	expect("block-spans-ram-hole", virt_to_phys(batch), 5,
	       KVMNUMA_RES_EINVAL);
	batch[4] = KVMNUMA_ENTRY(0x100, 0, 0);
	expect("unknown-op-0", virt_to_phys(batch), 5, KVMNUMA_RES_EINVAL);
	batch[4] = KVMNUMA_ENTRY(0x100, 0, 3);
	expect("unknown-op-3", virt_to_phys(batch), 5, KVMNUMA_RES_EINVAL);
	batch[4] = KVMNUMA_ENTRY(0x100, 0, KVMNUMA_OP_FREE) | 0x800;
	expect("reserved-bits", virt_to_phys(batch), 5, KVMNUMA_RES_EINVAL);
	batch[4] = KVMNUMA_ENTRY(0x101, 1, KVMNUMA_OP_FREE);
	expect("misaligned-block", virt_to_phys(batch), 5, KVMNUMA_RES_EINVAL);
	batch[4] = KVMNUMA_ENTRY(0x100, 11, KVMNUMA_OP_FREE);
	expect("order-too-large", virt_to_phys(batch), 5, KVMNUMA_RES_EINVAL);
	batch[4] = KVMNUMA_ENTRY(0xfffffffffffffULL, 0, KVMNUMA_OP_FREE);
	expect("gfn-at-top", virt_to_phys(batch), 5, KVMNUMA_RES_EINVAL);

	for (i = 0; i < 4; i++) {
		if (victims[i * PAGE_SIZE / 8] != PATTERN) {
			nr_failed++;
			pr_info("victim page %u lost its data\n", i);
		}
	}
	pr_info("%u cases, %u failed\n", nr_cases, nr_failed);
	return 0;
}

static void __exit hostile_exit(void)
{
	free_page((unsigned long)batch);
	free_pages((unsigned long)victims, 2);
}

module_init(hostile_init);
module_exit(hostile_exit);
MODULE_DESCRIPTION("kvmnuma test: malformed first-touch batches");
MODULE_LICENSE("GPL");
