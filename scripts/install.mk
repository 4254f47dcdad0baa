# Installing kvmnuma like an out-of-tree module: `make install` /
# `make uninstall` (DESTDIR, PREFIX), man pages, DKMS trees, Debian packages.
# Included by the top-level Makefile.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
DOCDIR ?= $(PREFIX)/share/doc/kvmnuma
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
# libvirt (Debian's, and most distributions') runs the executables in
# /etc/libvirt/hooks/qemu.d/ whatever PREFIX is: not under PREFIX.
LIBVIRTHOOKDIR ?= /etc/libvirt/hooks/qemu.d
INSTALL ?= install
DEPMOD ?= /sbin/depmod
# The release of the kernel tree the modules are built against.
KREL = $(shell cat $(KDIR)/include/config/kernel.release 2>/dev/null)
# Where modules_install puts them under /lib/modules/KREL.
INSTALL_MOD_DIR ?= extra
# Distribution headers ship no signing key (Debian signs its own modules):
# sign only with the kernel tree's key if it has one.  On a Secure Boot
# host, use the DKMS package, which signs with the machine's MOK.
MODULE_SIGN = $(if $(wildcard $(KDIR)/certs/signing_key.pem),,CONFIG_MODULE_SIG_ALL=)

MAN_SRCS := $(wildcard Documentation/man/*.scd)
MAN_PAGES := $(patsubst Documentation/man/%.scd,$(BUILD)/man/%,$(MAN_SRCS))
DOCS := README Documentation/ABI/testing/sysfs-kernel-kvmnuma
EXAMPLES := scripts/examples/modprobe.d/kvmnuma.conf \
	scripts/examples/modules-load.d/kvmnuma.conf

# Every file install-tools creates, as paths under $(DESTDIR): uninstall
# removes exactly these.
TOOL_FILES := $(SBINDIR)/kvmnumactl $(SBINDIR)/kvmnumad $(BINDIR)/kvmnuma-launch \
	$(SYSTEMDUNITDIR)/kvmnumad.service $(BASHCOMPDIR)/kvmnumactl \
	$(LIBVIRTHOOKDIR)/kvmnuma \
	$(foreach m,$(MAN_PAGES),$(MANDIR)/man$(subst .,,$(suffix $(m)))/$(notdir $(m))) \
	$(foreach d,$(DOCS),$(DOCDIR)/$(notdir $(d))) \
	$(DOCDIR)/examples/modprobe.d/kvmnuma.conf \
	$(DOCDIR)/examples/modules-load.d/kvmnuma.conf \
	$(DOCDIR)/examples/systemd/kvmnuma-metrics.service \
	$(DOCDIR)/examples/systemd/kvmnuma-metrics.timer
MODULE_FILES = $(foreach m,kmod/kvmnuma guest-driver/kvmnuma_guest,\
	$(foreach z,.ko .ko.xz .ko.gz .ko.zst,\
	/lib/modules/$(KREL)/$(INSTALL_MOD_DIR)/$(m)$(z)))

.PHONY: man install install-tools install-modules uninstall uninstall-tools \
	uninstall-modules dkms-src dkms-build dkms-lab deb

# --- man pages (scdoc) ------------------------------------------------------
man: $(MAN_PAGES)

$(BUILD)/man/%: Documentation/man/%.scd VERSION
	@mkdir -p $(BUILD)/man
	sed 's/@VERSION@/$(VERSION)/g' $< | scdoc > $@.tmp && mv $@.tmp $@

# --- install / uninstall ----------------------------------------------------
install: install-modules install-tools

# Only the two shipped modules (not the lab's test module): modules.order
# is rewritten by this build.
install-modules: KVMNUMA_MODULES := host guest
install-modules: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) KVMNUMA_MODULES="host guest" \
		INSTALL_MOD_PATH=$(DESTDIR) INSTALL_MOD_DIR=$(INSTALL_MOD_DIR) \
		$(MODULE_SIGN) modules_install
	@if [ -z "$(DESTDIR)" ] || [ -f $(DESTDIR)/lib/modules/$(KREL)/modules.order ]; then \
		echo "$(DEPMOD) $(if $(DESTDIR),-b $(DESTDIR)) $(KREL)"; \
		$(DEPMOD) $(if $(DESTDIR),-b $(DESTDIR)) $(KREL); \
	else \
		echo "install: $(DESTDIR) holds no kernel $(KREL): run 'depmod $(KREL)' on the target"; \
	fi

install-tools: userspace man
	$(INSTALL) -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(BINDIR) $(DESTDIR)$(SYSTEMDUNITDIR) \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(DOCDIR)/examples/modprobe.d \
		$(DESTDIR)$(DOCDIR)/examples/modules-load.d $(DESTDIR)$(DOCDIR)/examples/systemd \
		$(DESTDIR)$(LIBVIRTHOOKDIR)
	$(INSTALL) -m 755 userspace/kvmnumactl userspace/kvmnumad $(DESTDIR)$(SBINDIR)/
	sed 's/^version=@VERSION@$$/version=$(VERSION)/' scripts/kvmnuma-launch > $(DESTDIR)$(BINDIR)/kvmnuma-launch
	chmod 755 $(DESTDIR)$(BINDIR)/kvmnuma-launch
	sed -e 's|@SBINDIR@|$(SBINDIR)|g' scripts/kvmnumad.service > $(DESTDIR)$(SYSTEMDUNITDIR)/kvmnumad.service
	chmod 644 $(DESTDIR)$(SYSTEMDUNITDIR)/kvmnumad.service
	sed -e 's|@SBINDIR@|$(SBINDIR)|g' scripts/libvirt-qemu-hook > $(DESTDIR)$(LIBVIRTHOOKDIR)/kvmnuma
	chmod 755 $(DESTDIR)$(LIBVIRTHOOKDIR)/kvmnuma
	$(INSTALL) -m 644 scripts/kvmnumactl.bash-completion $(DESTDIR)$(BASHCOMPDIR)/kvmnumactl
	for m in $(MAN_PAGES); do s=$${m##*.}; \
		$(INSTALL) -d $(DESTDIR)$(MANDIR)/man$$s && \
		$(INSTALL) -m 644 $$m $(DESTDIR)$(MANDIR)/man$$s/ || exit 1; done
	$(INSTALL) -m 644 $(DOCS) $(DESTDIR)$(DOCDIR)/
	$(INSTALL) -m 644 scripts/examples/modprobe.d/kvmnuma.conf $(DESTDIR)$(DOCDIR)/examples/modprobe.d/
	$(INSTALL) -m 644 scripts/examples/modules-load.d/kvmnuma.conf $(DESTDIR)$(DOCDIR)/examples/modules-load.d/
	$(INSTALL) -m 644 scripts/examples/systemd/kvmnuma-metrics.service \
		scripts/examples/systemd/kvmnuma-metrics.timer $(DESTDIR)$(DOCDIR)/examples/systemd/

uninstall: uninstall-tools uninstall-modules

uninstall-tools:
	rm -f $(addprefix $(DESTDIR),$(TOOL_FILES))
	-rmdir $(DESTDIR)$(DOCDIR)/examples/modprobe.d $(DESTDIR)$(DOCDIR)/examples/modules-load.d \
		$(DESTDIR)$(DOCDIR)/examples/systemd \
		$(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(DOCDIR) 2>/dev/null
	$(if $(DESTDIR),scripts/prune-empty-dirs $(DESTDIR))

# depmod runs again where install ran it (a real module tree); a staging
# DESTDIR is left as it was found.
uninstall-modules:
	$(call need_kdir,$(KDIR))@true
	rm -f $(addprefix $(DESTDIR),$(MODULE_FILES))
	-rmdir $(DESTDIR)/lib/modules/$(KREL)/$(INSTALL_MOD_DIR)/kmod \
		$(DESTDIR)/lib/modules/$(KREL)/$(INSTALL_MOD_DIR)/guest-driver \
		$(DESTDIR)/lib/modules/$(KREL)/$(INSTALL_MOD_DIR) 2>/dev/null
	if [ -z "$(DESTDIR)" ] || [ -f $(DESTDIR)/lib/modules/$(KREL)/modules.order ]; then \
		$(DEPMOD) $(if $(DESTDIR),-b $(DESTDIR)) $(KREL); \
	else \
		scripts/prune-empty-dirs $(DESTDIR); \
	fi

# --- DKMS -------------------------------------------------------------------
# Source trees as the packages ship them (/usr/src/NAME-VERSION), a private
# DKMS tree (nothing installed system-wide), the modules built for the
# pinned kernels.  build/dkms/ko/KREL/ holds them decompressed for the lab.
DKMS_SRC := $(BUILD)/dkms/src
DKMS_TREE := $(BUILD)/dkms/tree
DKMS_KVERS ?= $(LAB_KVER) $(OLD_KVER)
DKMS_ARGS = --dkmstree $(DKMS_TREE) --sourcetree $(DKMS_SRC)

dkms-src:
	rm -rf $(DKMS_SRC) && mkdir -p $(DKMS_SRC)
	scripts/dkms-tree host $(DKMS_SRC)/kvmnuma-$(VERSION)
	scripts/dkms-tree guest $(DKMS_SRC)/kvmnuma-guest-$(VERSION)

dkms-build: dkms-src
	rm -rf $(DKMS_TREE) $(BUILD)/dkms/ko && mkdir -p $(DKMS_TREE)
	set -e; for m in kvmnuma kvmnuma-guest; do \
		dkms add -m $$m -v $(VERSION) $(DKMS_ARGS); \
		for k in $(DKMS_KVERS); do \
			dkms build -m $$m -v $(VERSION) -k $$k $(DKMS_ARGS); \
			mkdir -p $(BUILD)/dkms/ko/$$k; \
			for f in $(DKMS_TREE)/$$m/$(VERSION)/$$k/x86_64/module/*.ko*; do \
				case $$f in \
				*.xz) xz -dc $$f > $(BUILD)/dkms/ko/$$k/$$(basename $$f .xz) ;; \
				*) cp $$f $(BUILD)/dkms/ko/$$k/ ;; esac; \
			done; \
		done; \
	done
	dkms status $(DKMS_ARGS)
	ls -l $(BUILD)/dkms/ko/*/

# The dkms lab scenario: L1 loads build/dkms/ko/LAB_KVER/kvmnuma.ko, L2 boots
# the lab's initramfs with the DKMS-built guest driver laid over it (the
# kernel unpacks concatenated cpio archives in order, later files win).
dkms-lab: DKMS_KVERS := $(LAB_KVER)
dkms-lab: dkms-build guest-progs
	scripts/lab/prepare
	rm -rf $(BUILD)/dkms/lab && mkdir -p $(BUILD)/dkms/lab/overlay/lib/lab
	cp $(BUILD)/dkms/ko/$(LAB_KVER)/kvmnuma_guest.ko $(BUILD)/dkms/lab/overlay/lib/lab/
	(cd $(BUILD)/dkms/lab/overlay && find lib | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) \
		> $(BUILD)/dkms/lab/overlay.cpio
	cat $(BUILD)/lab/l2-initramfs.cpio $(BUILD)/dkms/lab/overlay.cpio > $(BUILD)/dkms/lab/l2-initramfs.cpio

# --- Debian packages ----------------------------------------------------------
# Built from a copy of the tree in build/deb/src (dpkg-buildpackage writes
# its results next to the source directory: build/deb/).
deb:
	rm -rf $(BUILD)/deb && mkdir -p $(BUILD)/deb/src
	# The tracked files (a git tree), else everything but build products.
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then git ls-files -z; \
	else find . -path ./build -prune -o -type f ! -name '*.o' ! -name '*.ko' -print0; fi | \
		xargs -0 cp --parents -t $(BUILD)/deb/src
	scripts/deb-changelog $(VERSION) > $(BUILD)/deb/src/debian/changelog
	cd $(BUILD)/deb/src && dpkg-buildpackage -b -us -uc > $(BUILD)/deb/build.log 2>&1 || \
		{ tail -n 40 $(BUILD)/deb/build.log; exit 1; }
	ls -l $(BUILD)/deb/*.deb
	lintian --fail-on error $(BUILD)/deb/*.changes | tee $(BUILD)/deb/lintian.log
