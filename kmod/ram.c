// SPDX-License-Identifier: GPL-2.0
/*
 * Guest RAM as QEMU maps it.  Every kvmnuma mechanism reads the memslots
 * through kvmnuma_ram_snapshot() or kvmnuma_ram_slot_is_ram(), so that
 * "what is guest RAM" has one answer.
 */
#define pr_fmt(fmt) "kvmnuma: " fmt

#include <linux/kvm_host.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/version.h>

#include "../common/gfnmap.h"
#include "ram.h"

bool kvmnuma_ram_slot_is_ram(const struct kvm_memory_slot *slot)
{
	return slot->id < KVM_USER_MEM_SLOTS &&
	       !(slot->flags & KVM_MEM_READONLY);
}

/*
 * Read-only slots (ROMs, and the BIOS area below 1 MiB QEMU maps
 * read-only) are left out: they are not RAM the guest uses, and their
 * pages, written by QEMU at start, would otherwise wait for kvmnumad.
 */
int kvmnuma_ram_snapshot(struct kvm *kvm, struct kvmnuma_ram *ram)
{
	struct kvm_memory_slot *slot;
	unsigned int n = 0, max = 0;
	int idx, bkt;

	ram->total_pages = 0;
	idx = srcu_read_lock(&kvm->srcu);
	kvm_for_each_memslot(slot, bkt, kvm_memslots(kvm))
		max++;
	ram->slots = kvmalloc_array(max ?: 1, sizeof(*ram->slots), GFP_KERNEL);
	if (ram->slots) {
		kvm_for_each_memslot(slot, bkt, kvm_memslots(kvm)) {
			if (!kvmnuma_ram_slot_is_ram(slot) || n == max)
				continue;
			ram->slots[n].base_gfn = slot->base_gfn;
			ram->slots[n].npages = slot->npages;
			ram->slots[n].hva = slot->userspace_addr;
			ram->total_pages += slot->npages;
			n++;
		}
	}
	srcu_read_unlock(&kvm->srcu, idx);
	ram->nr_slots = n;
	return ram->slots ? 0 : -ENOMEM;
}

bool kvmnuma_ram_present(struct kvm *kvm)
{
	struct kvm_memory_slot *slot;
	bool found = false;
	int idx, bkt;

	idx = srcu_read_lock(&kvm->srcu);
	kvm_for_each_memslot(slot, bkt, kvm_memslots(kvm)) {
		if (kvmnuma_ram_slot_is_ram(slot)) {
			found = true;
			break;
		}
	}
	srcu_read_unlock(&kvm->srcu, idx);
	return found;
}

void kvmnuma_ram_release(struct kvmnuma_ram *ram)
{
	kvfree(ram->slots);
	ram->slots = NULL;
	ram->nr_slots = 0;
}

struct kvmnuma_gfnmap *kvmnuma_ram_gfnmap(const struct kvmnuma_ram *ram)
{
	size_t size = kvmnuma_gfnmap_size(ram->nr_slots);
	struct kvmnuma_gfnmap *map;
	unsigned int i;

	map = size ? kvmalloc(size, GFP_KERNEL_ACCOUNT) : NULL;
	if (!map)
		return NULL;
	kvmnuma_gfnmap_init(map, ram->nr_slots);
	for (i = 0; i < ram->nr_slots; i++)
		if (kvmnuma_gfnmap_add(map, ram->slots[i].base_gfn,
				       ram->slots[i].npages))
			goto bad;
	if (kvmnuma_gfnmap_finish(map))
		goto bad;
	return map;
bad:
	kvfree(map);
	return NULL;
}

u64 kvmnuma_ram_end_gfn(const struct kvmnuma_ram *ram)
{
	u64 end = 0;
	unsigned int i;

	for (i = 0; i < ram->nr_slots; i++)
		end = max(end, ram->slots[i].base_gfn + ram->slots[i].npages);
	return end;
}

unsigned long kvmnuma_ram_gfn_to_hva(const struct kvmnuma_ram *ram, u64 gfn)
{
	unsigned int i;

	for (i = 0; i < ram->nr_slots; i++) {
		const struct kvmnuma_ram_slot *s = &ram->slots[i];

		if (gfn >= s->base_gfn && gfn < s->base_gfn + s->npages)
			return s->hva + ((gfn - s->base_gfn) << PAGE_SHIFT);
	}
	return 0;
}

bool kvmnuma_ram_hva_to_gfn(const struct kvmnuma_ram *ram, unsigned long hva,
			    u64 *gfn)
{
	unsigned int i;

	for (i = 0; i < ram->nr_slots; i++) {
		const struct kvmnuma_ram_slot *s = &ram->slots[i];

		if (hva >= s->hva && (hva - s->hva) >> PAGE_SHIFT < s->npages) {
			*gfn = s->base_gfn + ((hva - s->hva) >> PAGE_SHIFT);
			return true;
		}
	}
	return false;
}

u64 kvmnuma_ram_nth_gfn(const struct kvmnuma_ram *ram, u64 n)
{
	unsigned int i;

	for (i = 0; i < ram->nr_slots; i++) {
		if (n < ram->slots[i].npages)
			return ram->slots[i].base_gfn + n;
		n -= ram->slots[i].npages;
	}
	return 0;
}

/* A walk under kvm->srcu, not a snapshot: a read of sysfs allocates nothing. */
u64 kvmnuma_ram_bytes(struct kvm *kvm)
{
	struct kvm_memory_slot *slot;
	u64 pages = 0;
	int idx, bkt;

	idx = srcu_read_lock(&kvm->srcu);
	kvm_for_each_memslot(slot, bkt, kvm_memslots(kvm))
		if (kvmnuma_ram_slot_is_ram(slot))
			pages += slot->npages;
	srcu_read_unlock(&kvm->srcu, idx);
	return pages << PAGE_SHIFT;
}

long kvmnuma_ram_gup_remote(struct mm_struct *mm, unsigned long addr,
			    unsigned long n, unsigned int flags,
			    struct page **pages)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
	return get_user_pages_remote(mm, addr, n, flags, pages, NULL);
#else
	return get_user_pages_remote(mm, addr, n, flags, pages, NULL, NULL);
#endif
}

/* Pages looked at per get_user_pages_remote() call. */
#define PIN_CHECK_CHUNK 16

unsigned long kvmnuma_ram_dma_pinned(struct mm_struct *mm, unsigned long start,
				     unsigned long end)
{
	struct page *pages[PIN_CHECK_CHUNK];
	unsigned long addr = start, pinned = 0;

	while (addr < end) {
		unsigned long n = min_t(unsigned long, PIN_CHECK_CHUNK,
					(end - addr) >> PAGE_SHIFT);
		long i, got;

		/* FOLL_NOFAULT: stops at the first absent page. */
		got = kvmnuma_ram_gup_remote(mm, addr, n, FOLL_NOFAULT, pages);
		if (got <= 0) {
			addr += PAGE_SIZE;	/* absent: nothing to pin */
			continue;
		}
		for (i = 0; i < got; i++) {
			if (folio_maybe_dma_pinned(page_folio(pages[i])))
				pinned++;
			put_page(pages[i]);
		}
		addr += got << PAGE_SHIFT;
	}
	return pinned;
}

int kvmnuma_ram_page_node(struct mm_struct *mm, unsigned long hva)
{
	struct page *page;
	int nid;

	/* Only a page already there: looking must not fault it in. */
	if (kvmnuma_ram_gup_remote(mm, hva, 1, FOLL_NOFAULT, &page) != 1)
		return -1;
	nid = page_to_nid(page);
	put_page(page);
	return nid;
}

void kvmnuma_ram_zap(struct vm_area_struct *vma, unsigned long start,
		     unsigned long end)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	zap_page_range_single(vma, start, end - start, NULL);
#else
	zap_page_range(vma, start, end - start);
#endif
}
