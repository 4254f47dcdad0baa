// SPDX-License-Identifier: GPL-2.0
/*
 * Hooks on the page allocator's tracepoints (include/trace/events/kmem.h;
 * probe prototypes must match it exactly):
 *
 *  - mm_page_free: once per freed block, in free_pages_prepare(), before
 *    the block goes to a per-CPU list or to the buddy, with no zone->lock
 *    held (the extra mm_page_free_batched is not hooked);
 *  - mm_page_pcpu_drain: a block moved from a per-CPU list to the buddy,
 *    in free_pcppages_bulk() under zone->lock, after the move.
 *
 * Allocations are not hooked: correctness does not depend on them
 * (pending.c), and every allocation would otherwise pay for a probe.
 *
 * tracepoint_probe_register() takes a void *, so PROBE_MATCHES() checks
 * each probe against its tracepoint's declaration at build time.
 */
#define pr_fmt(fmt) "kvmnuma_guest: " fmt

#include <linux/mm.h>
#include <linux/tracepoint.h>
#include <trace/events/kmem.h>

#include "../include/kvmnuma/hypercall_abi.h"
#include "guest.h"

/*
 * Refuses to build unless @probe has the type register_trace_<event>()
 * takes, i.e. void (*)(void *data, TP_PROTO of @event).
 */
#define PROBE_MATCHES(event, probe)					\
	static_assert(__same_type(&register_trace_##event,		\
				  int (*)(typeof(&(probe)), void *)),	\
		      #probe " does not match TP_PROTO(" #event ")")

static void probe_page_free(void *data, struct page *page, unsigned int order)
{
	if (order <= KVMNUMA_MAX_ORDER)
		kvmnuma_page_freed(page_to_pfn(page), order);
}

static void probe_page_pcpu_drain(void *data, struct page *page,
				  unsigned int order, int migratetype)
{
	if (order <= KVMNUMA_MAX_ORDER)
		kvmnuma_page_drained(page_to_pfn(page), order);
}
PROBE_MATCHES(mm_page_free, probe_page_free);
PROBE_MATCHES(mm_page_pcpu_drain, probe_page_pcpu_drain);

static struct {
	const char *name;
	void *probe;
	struct tracepoint *tp;
} hooks[] = {
	{ "mm_page_free", probe_page_free },
	{ "mm_page_pcpu_drain", probe_page_pcpu_drain },
};

static void find_tracepoint(struct tracepoint *tp, void *priv)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(hooks); i++)
		if (!strcmp(tp->name, hooks[i].name))
			hooks[i].tp = tp;
}

int kvmnuma_page_events_init(void)
{
	unsigned int i;
	int ret;

	for_each_kernel_tracepoint(find_tracepoint, NULL);
	for (i = 0; i < ARRAY_SIZE(hooks); i++) {
		if (!hooks[i].tp) {
			pr_err("tracepoint %s not found\n", hooks[i].name);
			ret = -ENOENT;
			goto err;
		}
		ret = tracepoint_probe_register(hooks[i].tp, hooks[i].probe,
						NULL);
		if (ret) {
			pr_err("cannot hook %s: %d\n", hooks[i].name, ret);
			goto err;
		}
	}
	return 0;

err:
	while (i--)
		tracepoint_probe_unregister(hooks[i].tp, hooks[i].probe, NULL);
	tracepoint_synchronize_unregister();
	return ret;
}

void kvmnuma_page_events_exit(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(hooks); i++)
		tracepoint_probe_unregister(hooks[i].tp, hooks[i].probe, NULL);
	/* No probe is running or will run: the bitmap may go. */
	tracepoint_synchronize_unregister();
}
