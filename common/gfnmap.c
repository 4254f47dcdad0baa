// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Dense bit numbers for guest RAM frames; see gfnmap.h. */
#include "gfnmap.h"

size_t kvmnuma_gfnmap_size(u32 max)
{
	size_t each = sizeof(struct kvmnuma_gfnmap_range);

	if (max > (((size_t)-1) - sizeof(struct kvmnuma_gfnmap)) / each)
		return 0;
	return sizeof(struct kvmnuma_gfnmap) + (size_t)max * each;
}

void kvmnuma_gfnmap_init(struct kvmnuma_gfnmap *m, u32 max)
{
	m->nr = 0;
	m->max = max;
	m->nr_bits = 0;
}

int kvmnuma_gfnmap_add(struct kvmnuma_gfnmap *m, u64 base_gfn, u64 npages)
{
	if (!npages)
		return 0;
	if (base_gfn + npages < base_gfn)
		return -EINVAL;
	if (m->nr >= m->max)
		return -ENOSPC;
	m->r[m->nr].base_gfn = base_gfn;
	m->r[m->nr].npages = npages;
	m->r[m->nr].first_bit = 0;
	m->nr++;
	return 0;
}

static int by_gfn(const void *a, const void *b)
{
	const struct kvmnuma_gfnmap_range *x = a, *y = b;

	return x->base_gfn < y->base_gfn ? -1 : x->base_gfn > y->base_gfn;
}

int kvmnuma_gfnmap_finish(struct kvmnuma_gfnmap *m)
{
	u64 bit = 0;
	u32 i;

	kvmnuma_sort(m->r, m->nr, sizeof(m->r[0]), by_gfn);
	for (i = 0; i < m->nr; i++) {
		if (i && m->r[i - 1].base_gfn + m->r[i - 1].npages > m->r[i].base_gfn) {
			m->nr_bits = 0;
			m->nr = 0;
			return -EINVAL;
		}
		m->r[i].first_bit = bit;
		bit += m->r[i].npages;
	}
	m->nr_bits = bit;
	return 0;
}

/* The range holding @gfn, or NULL. */
static const struct kvmnuma_gfnmap_range *find(const struct kvmnuma_gfnmap *m,
					       u64 gfn)
{
	u32 lo = 0, hi = m->nr;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;
		const struct kvmnuma_gfnmap_range *r = &m->r[mid];

		if (gfn < r->base_gfn)
			hi = mid;
		else if (gfn - r->base_gfn >= r->npages)
			lo = mid + 1;
		else
			return r;
	}
	return NULL;
}

bool kvmnuma_gfnmap_bit(const struct kvmnuma_gfnmap *m, u64 gfn, u64 *bit)
{
	const struct kvmnuma_gfnmap_range *r = find(m, gfn);

	if (!r)
		return false;
	*bit = r->first_bit + (gfn - r->base_gfn);
	return true;
}

bool kvmnuma_gfnmap_run(const struct kvmnuma_gfnmap *m, u64 gfn, u64 npages,
			u64 *bit)
{
	const struct kvmnuma_gfnmap_range *r = find(m, gfn);

	if (!r || !npages || npages > r->npages - (gfn - r->base_gfn))
		return false;
	*bit = r->first_bit + (gfn - r->base_gfn);
	return true;
}
