/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVMNUMA_MOVES_H
#define KVMNUMA_MOVES_H

#include <linux/types.h>

struct kvmnuma_vm;

int kvmnuma_moves_init(void);
void kvmnuma_moves_exit(void);
/* Asks kvmnumad to move npages of the VM's QEMU from hva to node. */
int kvmnuma_moves_queue(struct kvmnuma_vm *vm, unsigned long hva,
			u64 npages, int node);
/* The same for one guest page decided by Carrefour: feeds the result back. */
int kvmnuma_moves_queue_gfn(struct kvmnuma_vm *vm, unsigned long hva,
			    u64 gfn, int node);
/* Forgets the VM's orders not yet handed to kvmnumad. */
void kvmnuma_moves_cancel_vm(struct kvmnuma_vm *vm);
bool kvmnuma_moves_daemon_connected(void);

#endif /* KVMNUMA_MOVES_H */
