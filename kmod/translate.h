/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVMNUMA_TRANSLATE_H
#define KVMNUMA_TRANSLATE_H

#include <linux/types.h>

struct kvm;
struct kvmnuma_ram;
struct mm_struct;

/*
 * The guest frame QEMU (@mm, RAM @ram) has at host physical address
 * @phys, checked against QEMU's page tables; false if none.  Caller
 * holds mmap_lock of @mm.
 */
bool kvmnuma_translate_hpa(const struct kvmnuma_ram *ram, struct mm_struct *mm,
			   u64 phys, u64 *gfn);
/*
 * The guest frame behind guest linear address @lin under page tables
 * @cr3 (4-level x86-64 paging); false if not mapped.  Caller holds
 * kvm->srcu and uses QEMU's mm (kthread_use_mm()).
 */
bool kvmnuma_translate_gva(struct kvm *kvm, u64 cr3, u64 lin, u64 *gfn);

#endif /* KVMNUMA_TRANSLATE_H */
