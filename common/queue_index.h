/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Which guest queue an event goes to.
 *
 * Last-op-wins is decided inside one batch, and batches of different
 * queues are flushed independently, so every event that can touch a given
 * page must go to the same queue.  Blocks of different orders overlap
 * (an order-3 free covers the order-0 allocation of its second page), so
 * the queue is chosen by the largest block containing the page, not by
 * the page itself (the thesis' Xen guest split by the low PFN bits, which
 * is only safe when every event is order 0).
 */
#ifndef KVMNUMA_COMMON_QUEUE_INDEX_H
#define KVMNUMA_COMMON_QUEUE_INDEX_H

#include "../include/kvmnuma/hypercall_abi.h"

static inline unsigned int kvmnuma_queue_index(unsigned long long pfn,
					       unsigned int nr_queues)
{
	unsigned long long region = pfn >> KVMNUMA_MAX_ORDER;

	/* Spread neighbouring regions: guests allocate them together. */
	region ^= region >> 7;
	return (unsigned int)(region % nr_queues);
}

#endif /* KVMNUMA_COMMON_QUEUE_INDEX_H */
