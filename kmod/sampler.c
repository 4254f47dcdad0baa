// SPDX-License-Identifier: GPL-2.0
/*
 * Choosing the sampler, starting and stopping it per VM, and the ring of
 * samples between a sampler and Carrefour's period.
 */
#define pr_fmt(fmt) "kvmnuma: " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "sampler.h"

static char *cf_sampler = "auto";
module_param(cf_sampler, charp, 0444);
MODULE_PARM_DESC(cf_sampler,
		 "Carrefour sampler: auto (ibs if the ibs_op PMU exists), ibs or software");

static const struct kvmnuma_sampler_ops *selected = &kvmnuma_soft_sampler;

const struct kvmnuma_sampler_ops *kvmnuma_sampler_selected(void)
{
	return selected;
}

int kvmnuma_sampler_init(void)
{
	int mode, ret;

	if (sysfs_streq(cf_sampler, "software")) {
		mode = KVMNUMA_IBS_OFF;
	} else if (sysfs_streq(cf_sampler, "auto")) {
		mode = KVMNUMA_IBS_IF_PRESENT;
	} else if (sysfs_streq(cf_sampler, "ibs")) {
		mode = KVMNUMA_IBS_REQUIRED;
	} else {
		pr_err("cf_sampler=%s: expected auto, ibs or software\n",
		       cf_sampler);
		return -EINVAL;
	}
	ret = kvmnuma_ibs_probe(mode);
	if (ret < 0)
		return ret;
	selected = ret ? &kvmnuma_ibs_sampler : &kvmnuma_soft_sampler;
	return 0;
}

void kvmnuma_sampler_exit(void)
{
	kvmnuma_ibs_exit();
}

static void sampling_free(struct kvmnuma_sampling *s)
{
	kvfree(s->ring);
	kfree(s);
}

struct kvmnuma_sampling *kvmnuma_sampling_start(struct kvm *kvm, u64 nr_gfns,
						const char *who)
{
	const struct kvmnuma_sampler_ops *soft = &kvmnuma_soft_sampler;
	struct kvmnuma_sampling *s;

	s = kzalloc(sizeof(*s), GFP_KERNEL_ACCOUNT);
	if (!s)
		return NULL;
	s->kvm = kvm;
	s->nr_gfns = nr_gfns;
	spin_lock_init(&s->ring_lock);
	s->ring = kvcalloc(KVMNUMA_SAMPLING_RING, sizeof(*s->ring),
			   GFP_KERNEL_ACCOUNT);
	if (!s->ring)
		goto err;
	s->ops = selected;
	if (!s->ops->get(s))
		return s;
	/* IBS could not start: software sampling, if the RAM allows it. */
	if (s->ops == soft || !soft->supports(kvm)) {
		if (s->ops != soft)
			pr_info("%s: IBS unavailable, no sampler for anonymous RAM\n",
				who);
		goto err;
	}
	s->ops = soft;
	if (!s->ops->get(s))
		return s;
err:
	sampling_free(s);
	return NULL;
}

void kvmnuma_sampling_stop(struct kvmnuma_sampling *s)
{
	if (!s)
		return;
	s->ops->put(s);
	sampling_free(s);
}

int kvmnuma_sampling_add(struct kvmnuma_sampling *s, u64 gfn, u16 vcpu,
			 int node, u8 flags)
{
	unsigned long irqflags;

	if (gfn >= s->nr_gfns)
		return -EINVAL;
	spin_lock_irqsave(&s->ring_lock, irqflags);
	if (s->ring_len < KVMNUMA_SAMPLING_RING) {
		struct kvmnuma_cf_sample *sample = &s->ring[s->ring_len++];

		sample->gfn = gfn;
		sample->vcpu = vcpu;
		sample->node = kvmnuma_cf_sample_node(node);
		sample->flags = flags;
	} else {
		s->ring_overflows++;
	}
	spin_unlock_irqrestore(&s->ring_lock, irqflags);
	return 0;
}

u32 kvmnuma_sampling_drain(struct kvmnuma_sampling *s,
			   struct kvmnuma_cf_sample *out)
{
	u32 nr;

	spin_lock_irq(&s->ring_lock);
	nr = s->ring_len;
	memcpy(out, s->ring, nr * sizeof(*s->ring));
	s->ring_len = 0;
	spin_unlock_irq(&s->ring_lock);
	return nr;
}
