/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVMNUMA_PLACEMENT_H
#define KVMNUMA_PLACEMENT_H

#include <linux/types.h>

struct kvm;
struct kvmnuma_vm;

/* A guest RAM slot: guest frames and where QEMU maps them. */
struct kvmnuma_ram_slot {
	u64 base_gfn;
	u64 npages;
	unsigned long hva;
};

/* The VM's writable RAM slots (kvfree() the result); may sleep. */
struct kvmnuma_ram_slot *kvmnuma_ram_snapshot(struct kvm *kvm, unsigned int *nr,
					      u64 *total);
u64 kvmnuma_ram_end_gfn(const struct kvmnuma_ram_slot *slots, unsigned int nr);
struct mm_struct;
struct page;
/* get_user_pages_remote() of 6.1 and 6.12; caller holds mmap_lock. */
long kvmnuma_gup_remote(struct mm_struct *mm, unsigned long addr,
			unsigned long n, unsigned int flags, struct page **pages);
/* Guest RAM is a shared file mapping (memfd/shmem), not hugetlbfs. */
bool kvmnuma_ram_is_shared_file(struct kvmnuma_vm *vm);

int kvmnuma_placement_init(void);
void kvmnuma_placement_exit(void);
void kvmnuma_placement_vm_init(struct kvmnuma_vm *vm);
/* (Re)places the VM's memory for its current policy and nodes. */
void kvmnuma_placement_start(struct kvmnuma_vm *vm);
/* Stops placement work and forgets queued moves; may sleep. */
void kvmnuma_placement_stop(struct kvmnuma_vm *vm);
const char *kvmnuma_placement_state(struct kvmnuma_vm *vm);
/* log2 of the page size backing the VM's first RAM slot; may sleep. */
unsigned int kvmnuma_ram_page_shift(struct kvmnuma_vm *vm);

#endif /* KVMNUMA_PLACEMENT_H */
