/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * kvmnuma guest <-> host ABI.
 *
 * The guest driver talks to the host module with KVM hypercalls whose
 * numbers KVM itself does not know.  KVM answers such a call with
 * -KVM_ENOSYS (-1000) in RAX, and with -KVM_EPERM (-1) when the caller ran
 * at CPL > 0; the host module then replaces the answer of a CPL 0 caller
 * with its own.  A guest therefore learns that the host module is absent
 * when a probe returns -1000.
 *
 * This header is included by both kernel modules and by userspace tests;
 * it must stay free of kernel-only types.
 */
#ifndef KVMNUMA_HYPERCALL_ABI_H
#define KVMNUMA_HYPERCALL_ABI_H

/* Raised when the meaning of a hypercall or of a batch entry changes. */
#define KVMNUMA_ABI_VERSION		1

/* 'K' 'N' in the high half: far from KVM's own numbers (1..12 today). */
#define KVMNUMA_HC_BASE			0x4b4e0000UL
/*
 * PROBE(a0 = KVMNUMA_PROBE_MAGIC, a1 = guest ABI version)
 *   -> host ABI version (> 0), or a negative KVMNUMA_RES_* code.
 */
#define KVMNUMA_HC_PROBE		(KVMNUMA_HC_BASE + 0)
/*
 * FLUSH(a0 = guest-physical address of an array of u64 entries,
 *       a1 = number of entries)
 *   -> KVMNUMA_RES_OK, KVMNUMA_RES_DISABLED or a negative code.
 * The caller must keep the array unchanged and hold whatever lock keeps
 * the listed pages from being reused until the call returns.
 */
#define KVMNUMA_HC_FLUSH		(KVMNUMA_HC_BASE + 1)

#define KVMNUMA_PROBE_MAGIC		0x6b766d6e756d61UL	/* "kvmnuma" */

/* Results, as read back from RAX (sign-extended). */
#define KVMNUMA_RES_OK			0
/* The VM's policy does not include first-touch: stop queuing for now. */
#define KVMNUMA_RES_DISABLED		1
/* Same values as KVM's own KVM_E* codes from <uapi/linux/kvm_para.h>. */
#define KVMNUMA_RES_EPERM		(-1)	/* caller not at CPL 0 */
#define KVMNUMA_RES_E2BIG		(-7)	/* too many entries */
#define KVMNUMA_RES_EFAULT		(-14)	/* array not in guest RAM */
#define KVMNUMA_RES_EINVAL		(-22)	/* malformed entry, nothing done */
#define KVMNUMA_RES_ENOSYS		(-1000)	/* host module absent */

/* At most this many entries per FLUSH: one 4 KiB page of u64. */
#define KVMNUMA_MAX_BATCH		512

/*
 * A batch entry is one u64: the guest-physical address of the first page
 * of a buddy block (4 KiB aligned, and aligned to the block size), its
 * order in bits 2..7 and the operation in bits 0..1.
 */
#define KVMNUMA_ENTRY_OP_MASK		0x3ULL
#define KVMNUMA_ENTRY_ORDER_SHIFT	2
#define KVMNUMA_ENTRY_ORDER_MASK	(0x3fULL << KVMNUMA_ENTRY_ORDER_SHIFT)
#define KVMNUMA_ENTRY_RESERVED_MASK	0xf00ULL	/* must be zero */
#define KVMNUMA_ENTRY_PAGE_SHIFT	12
#define KVMNUMA_ENTRY_GPA_MASK		(~0xfffULL)

#define KVMNUMA_OP_ALLOC		1
#define KVMNUMA_OP_FREE			2

/* Largest buddy order accepted (x86 MAX_PAGE_ORDER is 10). */
#define KVMNUMA_MAX_ORDER		10

#define KVMNUMA_ENTRY(gfn, order, op)					\
	(((unsigned long long)(gfn) << KVMNUMA_ENTRY_PAGE_SHIFT) |	\
	 ((unsigned long long)(order) << KVMNUMA_ENTRY_ORDER_SHIFT) |	\
	 (unsigned long long)(op))

#endif /* KVMNUMA_HYPERCALL_ABI_H */
