/* SPDX-License-Identifier: GPL-2.0 */
/* kvmnumactl advise: the thesis' policy-selection metric, measured. */
#ifndef KVMNUMA_ADVISE_CMD_H
#define KVMNUMA_ADVISE_CMD_H

#include <stdbool.h>

/*
 * Samples VM @id's accesses for @seconds (s), or, if @min_samples is not 0,
 * until that many accesses are sampled, @seconds being the bound; prints
 * the thesis' metric (§5.1).  Returns a kvmnumactl exit code.
 */
int advise_vm(const char *id, unsigned long seconds, unsigned long min_samples,
	      bool json);

#endif /* KVMNUMA_ADVISE_CMD_H */
