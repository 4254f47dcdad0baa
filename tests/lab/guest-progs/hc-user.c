// SPDX-License-Identifier: GPL-2.0
/*
 * Issues kvmnuma hypercalls from guest user mode (CPL 3).  KVM must answer
 * -KVM_EPERM (-1) and the host module must ignore them.
 * Usage: hc-user [count]    prints "probe=<rax> flush=<rax>" and exits 0
 * when every answer was -1.
 */
#include <cpuid.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../include/kvmnuma/hypercall_abi.h"

static int amd;

static long hypercall2(unsigned long nr, unsigned long a0, unsigned long a1)
{
	long ret;

	if (amd)
		asm volatile("vmmcall" : "=a"(ret) : "a"(nr), "b"(a0), "c"(a1) : "memory");
	else
		asm volatile("vmcall" : "=a"(ret) : "a"(nr), "b"(a0), "c"(a1) : "memory");
	return ret;
}

int main(int argc, char **argv)
{
	unsigned int eax = 0, ebx = 0, ecx = 0, edx = 0, i, n = argc > 1 ? atoi(argv[1]) : 1;
	static unsigned long long batch[4];
	long probe = 0, flush = 0;
	int bad = 0;

	__get_cpuid(0, &eax, &ebx, &ecx, &edx);
	amd = ebx == 0x68747541;	/* "Auth"enticAMD */
	batch[0] = KVMNUMA_ENTRY(0x1000, 0, KVMNUMA_OP_FREE);

	for (i = 0; i < n; i++) {
		probe = hypercall2(KVMNUMA_HC_PROBE, KVMNUMA_PROBE_MAGIC,
				   KVMNUMA_ABI_VERSION);
		/* A user address: the host must not even look at it. */
		flush = hypercall2(KVMNUMA_HC_FLUSH, (unsigned long)batch, 1);
		bad += probe != KVMNUMA_RES_EPERM || flush != KVMNUMA_RES_EPERM;
	}
	printf("probe=%ld flush=%ld calls=%u unexpected=%d\n", probe, flush, 2 * n, bad);
	return bad ? 1 : 0;
}
