/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `kvmnumactl metrics`: every VM's settings, counters and per-node RAM in
 * the Prometheus text exposition format (version 0.0.4), for
 * node_exporter's textfile collector or any scraper.
 */
#ifndef KVMNUMA_METRICS_H
#define KVMNUMA_METRICS_H

/*
 * Prints the metrics of all VMs on stdout.  @sample: ask the node of every
 * sample-th guest page only (estimates, for huge VMs).  Returns a
 * kvmnumactl exit code (0, or 2 when kvmnuma is not loaded).
 */
int metrics_print(unsigned long sample);

#endif /* KVMNUMA_METRICS_H */
