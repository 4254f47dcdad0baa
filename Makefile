# kvmnuma top-level Makefile.  `make help` lists the targets.

include scripts/kernel.mk

KDIR ?= /lib/modules/$(LAB_KVER)/build
OLD_KDIR ?= /lib/modules/$(OLD_KVER)/build
BUILD := $(CURDIR)/build
# Modules build with W=1 and, unless WERROR=0, fail on any warning.
WERROR ?= 1
KBUILD_ARGS := W=1 $(if $(filter 1,$(WERROR)),KCFLAGS=-Werror)

CC ?= gcc
USER_CFLAGS := -O2 -g -Wall -Wextra -Werror -std=gnu11 -D_GNU_SOURCE

.PHONY: all modules modules-old userspace guest-progs check check-unit \
	check-lab soak lint deps demo bench clean help

all: modules userspace guest-progs

help:
	@echo "make              build both modules (against LAB_KVER), userspace, guest test programs"
	@echo "make KDIR=<tree>  build the modules against another kernel tree"
	@echo "make modules-old  check that the modules compile against Debian's 6.1"
	@echo "make deps         install every build/test dependency (apt)"
	@echo "make check        unit tests, then lab scenarios"
	@echo "make check-unit   unit tests only (seconds)"
	@echo "make check-lab [SCENARIOS='a b']  lab scenarios (emulated NUMA host)"
	@echo "make soak SCENARIOS='a b' [N=20]  run lab scenarios N times: pass counts, failure signatures"
	@echo "make lint         checkpatch on kernel sources"
	@echo "make demo         placement demo on the emulated 4-node host"

modules:
	@test -d $(KDIR) || { echo "error: no kernel tree at $(KDIR); run 'make deps' or pass KDIR=" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) $(KBUILD_ARGS) modules

modules-old:
	@test -d $(OLD_KDIR) || { echo "error: no kernel tree at $(OLD_KDIR); run 'make deps'" >&2; exit 1; }
	rm -rf $(BUILD)/old && mkdir -p $(BUILD)/old
	mkdir -p $(BUILD)/old/tests/lab
	cp -r Kbuild kmod guest-driver common include $(BUILD)/old/
	cp -r tests/lab/guest-modules $(BUILD)/old/tests/lab/
	$(MAKE) -C $(OLD_KDIR) M=$(BUILD)/old $(KBUILD_ARGS) modules

include userspace/Makefile.inc
include tests/Makefile.inc

lint:
	scripts/lint

deps:
	scripts/install-deps

demo: all
	scripts/demo

bench: all tests/bench/bench_carrefour
	scripts/bench

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null
	rm -rf $(BUILD) $(USER_BINS) $(GUEST_PROGS) $(UNIT_TESTS) tests/bench/bench_carrefour
