/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVMNUMA_KMOD_IBS_H
#define KVMNUMA_KMOD_IBS_H

#include <linux/types.h>

struct seq_file;

/* Parses cf_sampler and finds the ibs_op PMU; module init. */
int kvmnuma_ibs_init(void);
void kvmnuma_ibs_exit(void);
/* Carrefour samples with IBS (cf_sampler=ibs, or auto with ibs_op). */
bool kvmnuma_ibs_selected(void);
/*
 * One more VM samples with IBS: the first user creates the per-CPU perf
 * events.  0 or a negative errno; may sleep.  Each success needs a put.
 */
int kvmnuma_ibs_get(void);
void kvmnuma_ibs_put(void);
/* Cycles between two IBS op samples. */
u64 kvmnuma_ibs_period(void);
/* Counters of the IBS sampler, "name value" per line (debugfs). */
void kvmnuma_ibs_show(struct seq_file *m);

#endif /* KVMNUMA_KMOD_IBS_H */
