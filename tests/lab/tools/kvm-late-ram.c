// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-late-ram: a VMM that sets up its guest RAM late, to test that
 * kvmnuma registers a VM only once its RAM exists (a policy checked, or a
 * placement walked, against no RAM would be wrong for the VM's life).
 *
 * Usage: kvm-late-ram [-H] -d DELAY_S -t TOTAL_S
 * Creates a VM (KVM_CREATE_VM) and one vCPU, waits DELAY_S seconds, then
 * adds a 64 MiB RAM memslot (anonymous memory, or with -H 2 MiB hugetlb
 * pages), prints "ram" and stays TOTAL_S seconds in all.  No vCPU runs.
 */
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define RAM_BYTES (64UL << 20)

int main(int argc, char **argv)
{
	int opt, huge = 0, delay = -1, total = -1, kvm, vm;
	struct kvm_userspace_memory_region region = { 0 };
	void *ram;

	while ((opt = getopt(argc, argv, "Hd:t:")) != -1) {
		switch (opt) {
		case 'H': huge = 1; break;
		case 'd': delay = atoi(optarg); break;
		case 't': total = atoi(optarg); break;
		default: delay = -1; break;
		}
	}
	if (delay < 0 || total < delay) {
		fprintf(stderr, "usage: kvm-late-ram [-H] -d DELAY_S -t TOTAL_S\n");
		return 2;
	}
	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0) {
		perror("/dev/kvm");
		return 1;
	}
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0 || ioctl(vm, KVM_CREATE_VCPU, 0) < 0) {
		perror("KVM_CREATE_VM/VCPU");
		return 1;
	}
	printf("vm\n");
	fflush(stdout);
	sleep(delay);
	ram = mmap(NULL, RAM_BYTES, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | (huge ? MAP_HUGETLB : 0), -1, 0);
	if (ram == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	region.slot = 0;
	region.guest_phys_addr = 0;
	region.memory_size = RAM_BYTES;
	region.userspace_addr = (unsigned long)ram;
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0) {
		perror("KVM_SET_USER_MEMORY_REGION");
		return 1;
	}
	printf("ram\n");
	fflush(stdout);
	sleep(total - delay);
	return 0;
}
