/* SPDX-License-Identifier: GPL-2.0 */
/* kvmnumactl advise: the thesis' policy-selection metric, measured. */
#ifndef KVMNUMA_ADVISE_CMD_H
#define KVMNUMA_ADVISE_CMD_H

#include <stdbool.h>

/* Returns a kvmnumactl exit code. */
int advise_vm(const char *id, unsigned long seconds, bool json);

#endif /* KVMNUMA_ADVISE_CMD_H */
