/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVMNUMA_PLACEMENT_H
#define KVMNUMA_PLACEMENT_H

struct kvmnuma_vm;

int kvmnuma_placement_init(void);
void kvmnuma_placement_exit(void);
void kvmnuma_placement_vm_init(struct kvmnuma_vm *vm);
/* (Re)places the VM's memory for its current policy and nodes. */
void kvmnuma_placement_start(struct kvmnuma_vm *vm);
/* Stops placement work and forgets queued moves; may sleep. */
void kvmnuma_placement_stop(struct kvmnuma_vm *vm);
const char *kvmnuma_placement_state(struct kvmnuma_vm *vm);
/* log2 of the page size backing the VM's first RAM slot; may sleep. */
unsigned int kvmnuma_ram_page_shift(struct kvmnuma_vm *vm);

#endif /* KVMNUMA_PLACEMENT_H */
