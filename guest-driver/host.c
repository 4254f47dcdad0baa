// SPDX-License-Identifier: GPL-2.0
/*
 * Hypercalls to the kvmnuma host module.  KVM answers -1000 (-KVM_ENOSYS)
 * when no host module serves them.
 */
#include <asm/kvm_para.h>

#include "../include/kvmnuma/hypercall_abi.h"
#include "guest.h"

long kvmnuma_host_probe(void)
{
	return (long)kvm_hypercall2(KVMNUMA_HC_PROBE, KVMNUMA_PROBE_MAGIC,
				    KVMNUMA_ABI_VERSION);
}

long kvmnuma_host_flush(phys_addr_t array, unsigned int count)
{
	return (long)kvm_hypercall2(KVMNUMA_HC_FLUSH, array, count);
}
