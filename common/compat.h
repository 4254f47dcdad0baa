/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The few definitions that let common/ compile both into the kernel
 * modules and into the userspace tools and unit tests.
 */
#ifndef KVMNUMA_COMMON_COMPAT_H
#define KVMNUMA_COMMON_COMPAT_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/sort.h>
#include <linux/string.h>

#define kvmnuma_sort(base, num, size, cmp) sort(base, num, size, cmp, NULL)
#else
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t u64;
typedef uint32_t u32;
typedef uint16_t u16;
typedef uint8_t u8;
typedef int64_t s64;

#define kvmnuma_sort(base, num, size, cmp) qsort(base, num, size, cmp)
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif
#endif

#endif /* KVMNUMA_COMMON_COMPAT_H */
