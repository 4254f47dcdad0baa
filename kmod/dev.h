/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVMNUMA_DEV_H
#define KVMNUMA_DEV_H

/* /dev/kvmnuma, the device kvmnumad talks to; 0 or a negative errno. */
int kvmnuma_dev_init(void);
void kvmnuma_dev_exit(void);

#endif /* KVMNUMA_DEV_H */
