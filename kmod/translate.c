// SPDX-License-Identifier: GPL-2.0
/*
 * Turning an address a sampler saw into a guest frame.
 *
 * A host physical address: pfn -> folio; a shmem or memfd folio's index
 * is its offset in the file, matched against the QEMU mapping of each RAM
 * slot; an anonymous folio's index is its page offset in QEMU's address
 * space.  The candidate is checked: the QEMU page at that address must be
 * this very page.
 *
 * A guest linear address: a walk of the guest's 4-level x86-64 page
 * tables from its CR3, reading them with kvm_read_guest().
 */
#define pr_fmt(fmt) "kvmnuma: " fmt

#include <linux/kvm_host.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>

#include "ram.h"
#include "translate.h"

#define PTE_ADDR_MASK	GENMASK_ULL(51, 12)
#define PTE_PRESENT	BIT_ULL(0)
#define PTE_LARGE	BIT_ULL(7)

/* File page @idx of @mapping as guest frame; caller holds mmap_lock. */
static bool file_index_to_gfn(const struct kvmnuma_ram *ram,
			      struct mm_struct *mm,
			      struct address_space *mapping, pgoff_t idx,
			      unsigned long *hva, u64 *gfn)
{
	unsigned int i;

	for (i = 0; i < ram->nr_slots; i++) {
		const struct kvmnuma_ram_slot *s = &ram->slots[i];
		struct vm_area_struct *vma = vma_lookup(mm, s->hva);
		pgoff_t first;

		if (!vma || !vma->vm_file || vma->vm_file->f_mapping != mapping)
			continue;
		first = vma->vm_pgoff + ((s->hva - vma->vm_start) >> PAGE_SHIFT);
		if (idx < first || idx - first >= s->npages)
			continue;
		*hva = s->hva + ((idx - first) << PAGE_SHIFT);
		*gfn = s->base_gfn + (idx - first);
		return true;
	}
	return false;
}

bool kvmnuma_translate_hpa(const struct kvmnuma_ram *ram, struct mm_struct *mm,
			   u64 phys, u64 *gfn)
{
	unsigned long pfn = PHYS_PFN(phys), hva = 0;
	struct page *page = pfn_to_online_page(pfn), *check;
	struct address_space *mapping;
	struct folio *folio;
	bool found = false;
	pgoff_t idx;

	if (!page)
		return false;
	folio = page_folio(page);
	if (!folio_try_get(folio))
		return false;
	if (page_folio(page) != folio)
		goto out;
	idx = folio->index + (pfn - folio_pfn(folio));
	if (folio_test_anon(folio)) {
		hva = idx << PAGE_SHIFT;
		found = kvmnuma_ram_hva_to_gfn(ram, hva, gfn);
	} else {
		mapping = READ_ONCE(folio->mapping);
		if (mapping)
			found = file_index_to_gfn(ram, mm, mapping, idx, &hva,
						  gfn);
	}
out:
	folio_put(folio);
	if (!found)
		return false;
	/* The guess must be QEMU's page at that address, already there. */
	if (kvmnuma_ram_gup_remote(mm, hva, 1, FOLL_NOFAULT, &check) != 1)
		return false;
	found = page_to_pfn(check) == pfn;
	put_page(check);
	return found;
}

/* The guest may change its tables meanwhile: a wrong walk is a lost sample. */
bool kvmnuma_translate_gva(struct kvm *kvm, u64 cr3, u64 lin, u64 *gfn)
{
	u64 table = cr3 & PTE_ADDR_MASK, e;
	int level;

	for (level = 4; level >= 1; level--) {
		unsigned int shift = PAGE_SHIFT + 9 * (level - 1);
		u64 gpa = table + ((lin >> shift) & 511) * sizeof(u64);

		if (kvm_read_guest(kvm, gpa, &e, sizeof(e)) ||
		    !(e & PTE_PRESENT))
			return false;
		if ((level == 3 || level == 2) && (e & PTE_LARGE)) {
			u64 mask = (1ULL << shift) - 1;

			*gfn = ((e & PTE_ADDR_MASK & ~mask) | (lin & mask)) >>
			       PAGE_SHIFT;
			return true;
		}
		table = e & PTE_ADDR_MASK;
	}
	*gfn = table >> PAGE_SHIFT;
	return true;
}
