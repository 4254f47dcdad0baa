// SPDX-License-Identifier: GPL-2.0
/*
 * Creates kvmnuma's tracepoints, declared in trace.h: the one file that
 * defines CREATE_TRACE_POINTS.
 */
#define CREATE_TRACE_POINTS
#include "trace.h"
