/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVMNUMA_PLACEMENT_H
#define KVMNUMA_PLACEMENT_H

struct kvmnuma_vm;

int kvmnuma_placement_init(void);
void kvmnuma_placement_exit(void);
void kvmnuma_placement_vm_init(struct kvmnuma_vm *vm);
/* (Re)places the VM's memory for its current policy and nodes. */
void kvmnuma_placement_start(struct kvmnuma_vm *vm);
/* Stops placement work and cancels its queued moves; may sleep. */
void kvmnuma_placement_stop(struct kvmnuma_vm *vm);
/* placement/state: idle, running, done, moving or waiting-for-kvmnumad. */
const char *kvmnuma_placement_state_name(struct kvmnuma_vm *vm);

#endif /* KVMNUMA_PLACEMENT_H */
