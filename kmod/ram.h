/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest RAM as QEMU maps it: which memslots are RAM, a snapshot of them,
 * guest frame <-> QEMU address, and the mm calls whose signature changed
 * between 6.1 and 6.12.
 */
#ifndef KVMNUMA_RAM_H
#define KVMNUMA_RAM_H

#include <linux/types.h>

struct kvm;
struct kvm_memory_slot;
struct kvmnuma_gfnmap;
struct mm_struct;
struct page;
struct vm_area_struct;

/* A guest RAM slot: guest frames and where QEMU maps them. */
struct kvmnuma_ram_slot {
	u64 base_gfn;
	u64 npages;
	unsigned long hva;
};

/* The VM's RAM slots at one moment; kvmnuma_ram_release() frees it. */
struct kvmnuma_ram {
	struct kvmnuma_ram_slot *slots;
	unsigned int nr_slots;
	u64 total_pages;
};

/*
 * Guest RAM: a writable slot set up by the VMM.  ROMs, the read-only BIOS
 * area and KVM's private slots are not RAM the guest allocates from.
 */
bool kvmnuma_ram_slot_is_ram(const struct kvm_memory_slot *slot);

/* Reads the RAM slots once under kvm->srcu; 0 or -ENOMEM; may sleep. */
int kvmnuma_ram_snapshot(struct kvm *kvm, struct kvmnuma_ram *ram);
/*
 * Whether @kvm has any guest RAM slot yet (QEMU creates its VM first and
 * its memslots during machine set-up, before any vCPU runs).
 */
bool kvmnuma_ram_present(struct kvm *kvm);
void kvmnuma_ram_release(struct kvmnuma_ram *ram);
/*
 * Bit numbers for @ram's frames (common/gfnmap.h): per-frame bitmaps of
 * map->nr_bits bits, the RAM pages, whatever the gfns.  kvmalloc'd and
 * charged to the caller's memcg (kvfree() it); NULL without memory (or
 * for overlapping slots, which KVM does not make).  May sleep.
 */
struct kvmnuma_gfnmap *kvmnuma_ram_gfnmap(const struct kvmnuma_ram *ram);
/* One past the highest RAM frame, 0 without RAM. */
u64 kvmnuma_ram_end_gfn(const struct kvmnuma_ram *ram);
/* QEMU's address of @gfn, 0 if @gfn is not in RAM. */
unsigned long kvmnuma_ram_gfn_to_hva(const struct kvmnuma_ram *ram, u64 gfn);
/* The frame QEMU maps at @hva; false if @hva is not guest RAM. */
bool kvmnuma_ram_hva_to_gfn(const struct kvmnuma_ram *ram, unsigned long hva,
			    u64 *gfn);
/* The @n-th frame of RAM counting slot by slot, @n < total_pages. */
u64 kvmnuma_ram_nth_gfn(const struct kvmnuma_ram *ram, u64 n);
/* Bytes of guest RAM (sum of the RAM slots); allocates nothing, may sleep. */
u64 kvmnuma_ram_bytes(struct kvm *kvm);

/* get_user_pages_remote() of 6.1 and 6.12; caller holds mmap_lock. */
long kvmnuma_ram_gup_remote(struct mm_struct *mm, unsigned long addr,
			    unsigned long n, unsigned int flags,
			    struct page **pages);
/*
 * Pages of [start, end) mapped in @mm whose folio may be pinned for DMA
 * (folio_maybe_dma_pinned(), checked holding a reference); absent pages
 * are not faulted in.  Caller holds mmap_lock.
 */
unsigned long kvmnuma_ram_dma_pinned(struct mm_struct *mm, unsigned long start,
				     unsigned long end);
/* Host node of the page QEMU has at @hva, -1 if absent; never faults it in. */
int kvmnuma_ram_page_node(struct mm_struct *mm, unsigned long hva);
/*
 * Unmaps [start, end) of @vma from the page tables (6.1 and 6.12): frees
 * anonymous pages, leaves shared file pages in their file.
 */
void kvmnuma_ram_zap(struct vm_area_struct *vma, unsigned long start,
		     unsigned long end);

#endif /* KVMNUMA_RAM_H */
