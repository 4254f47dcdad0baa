/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVMNUMA_PLACEMENT_H
#define KVMNUMA_PLACEMENT_H

struct kvmnuma_tally;
struct kvmnuma_vm;

int kvmnuma_placement_init(void);
void kvmnuma_placement_exit(void);
void kvmnuma_placement_vm_init(struct kvmnuma_vm *vm);
/* (Re)places the VM's memory for its current policy and nodes. */
void kvmnuma_placement_start(struct kvmnuma_vm *vm);
/* Stops placement work and cancels its queued moves; may sleep. */
void kvmnuma_placement_stop(struct kvmnuma_vm *vm);
/*
 * placement/state: idle, running, moving, waiting-for-kvmnumad (orders
 * pending, or the walk stopped at the orders cap, and no kvmnumad), done (every
 * page on its layout node) or degraded (the walk is over and nothing is
 * pending, but some pages failed to move or are unplaceable).
 */
const char *kvmnuma_placement_state_name(struct kvmnuma_vm *vm);
/*
 * placement/paused: "no", or why a running walk waits: "memory-pressure"
 * (its node is below its low watermark) or "orders-cap" (the VM has
 * kvmnuma_moves_cap() move orders outstanding).
 */
const char *kvmnuma_placement_paused_name(struct kvmnuma_vm *vm);
/* A consistent snapshot of the VM's placement counters into @t. */
void kvmnuma_placement_tally(struct kvmnuma_vm *vm, struct kvmnuma_tally *t);

#endif /* KVMNUMA_PLACEMENT_H */
