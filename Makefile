# kvmnuma top-level Makefile.  `make help` lists the targets.

include scripts/kernel.mk

# The one version number of the project (modules, tools, packages).
VERSION := $(shell cat $(CURDIR)/VERSION)

# Modules build against the running kernel unless KDIR (a kernel build tree)
# or KVER (an installed kernel's release) says otherwise.  The lab targets
# (check, check-lab, demo, bench) always use the lab's pinned kernel.
KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
LAB_KDIR := /lib/modules/$(LAB_KVER)/build
OLD_KDIR ?= /lib/modules/$(OLD_KVER)/build
BUILD := $(CURDIR)/build
# Modules build with W=1 and, unless WERROR=0, fail on any warning.
WERROR ?= 1
KBUILD_ARGS := W=1 $(if $(filter 1,$(WERROR)),KCFLAGS=-Werror)
# Which modules (Kbuild): host guest test; `make install` takes host guest.
KVMNUMA_MODULES ?= host guest test

CC ?= gcc
USER_CFLAGS := -O2 -g -Wall -Wextra -Werror -std=gnu11 -D_GNU_SOURCE \
	-DKVMNUMA_VERSION='"$(VERSION)"'

.PHONY: all modules modules-old userspace guest-progs check check-unit \
	check-lab soak lint deps demo bench compare clean help

all: modules userspace guest-progs

help:
	@echo "make              build both modules (running kernel), userspace, guest test programs"
	@echo "make KDIR=<tree>  build the modules against another kernel tree (or KVER=<release>)"
	@echo "make modules-old  check that the modules compile against Debian's 6.1"
	@echo "make deps         install every build/test dependency (apt)"
	@echo "make check        unit tests, then lab scenarios (pinned kernel $(LAB_KVER))"
	@echo "make check-unit   unit tests only (seconds)"
	@echo "make check-lab [SCENARIOS='a b']  lab scenarios (emulated NUMA host)"
	@echo "make soak SCENARIOS='a b' [N=20]  run lab scenarios N times: pass counts, failure signatures"
	@echo "make lint         checkpatch on kernel sources"
	@echo "make demo         placement demo on the emulated 4-node host"
	@echo "make compare [QUICK=1] [WORKLOADS='reuse2 reuse3 alloc pagecache phase demo'] [CONFIGS='stock first-touch']"
	@echo "                  kvmnuma vs stock KVM, AutoNUMA, free page reporting, interleave (build/compare/)"
	@echo "make install      modules, tools, unit, man pages... (DESTDIR, PREFIX)"
	@echo "make uninstall    removes what make install installed (same DESTDIR, PREFIX)"
	@echo "make dkms-build   DKMS source trees + dkms build for 6.12 and 6.1 in build/dkms/"
	@echo "make deb          Debian packages in build/deb/ (kvmnuma-dkms, -guest-dkms, -tools)"

# The lab boots LAB_KVER: whatever the command line says, its modules are
# built for that kernel.
check check-lab soak demo bench compare: override KDIR := $(LAB_KDIR)

# One line when the kernel tree is missing: which package or which option.
need_kdir = $(if $(wildcard $(1)/.),,$(error no kernel build tree at $(1): install linux-headers-$(notdir $(patsubst %/build,%,$(1))), or pass KDIR=<kernel build tree> (the lab's kernel: KDIR=$(LAB_KDIR))))

modules:
	$(call need_kdir,$(KDIR))@true
	$(MAKE) -C $(KDIR) M=$(CURDIR) KVMNUMA_MODULES="$(KVMNUMA_MODULES)" $(KBUILD_ARGS) modules

modules-old:
	$(call need_kdir,$(OLD_KDIR))@true
	rm -rf $(BUILD)/old && mkdir -p $(BUILD)/old
	mkdir -p $(BUILD)/old/tests/lab
	cp -r VERSION Kbuild kmod guest-driver common include $(BUILD)/old/
	cp -r tests/lab/guest-modules tests/lab/host-modules $(BUILD)/old/tests/lab/
	$(MAKE) -C $(OLD_KDIR) M=$(BUILD)/old $(KBUILD_ARGS) modules

include userspace/Makefile.inc
include tests/Makefile.inc
include scripts/install.mk

lint:
	scripts/lint
	scripts/check-layers

deps:
	scripts/install-deps

demo: all
	scripts/demo

bench: all tests/bench/bench_carrefour
	scripts/bench

# One L1 per workload and configuration, same guest (scripts/compare);
# QUICK=1: reuse2, 3 configurations, asserts first-touch's locality is the
# highest.  WORKLOADS, CONFIGS: subsets (default: reuse2 reuse3 alloc,
# each with its configurations; pagecache, phase and demo run when named).
compare: all
	scripts/compare $(if $(filter 1,$(QUICK)),--quick) \
		$(if $(WORKLOADS),--workloads "$(WORKLOADS)") $(CONFIGS)

clean:
	-test -d $(KDIR) && $(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null
	-test -d $(LAB_KDIR) && $(MAKE) -C $(LAB_KDIR) M=$(CURDIR) clean 2>/dev/null
	rm -rf $(BUILD) $(USER_BINS) $(GUEST_PROGS) $(UNIT_TESTS) tests/bench/bench_carrefour
