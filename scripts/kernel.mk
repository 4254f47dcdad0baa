# The one place where the kernels kvmnuma is built and tested against are
# pinned.  `make deps` installs exactly these packages; the lab boots LAB_KVER.
#
# LAB_KVER: Debian 12's 6.12 backport kernel (headers + unsigned image).
# OLD_KVER: Debian 12's own 6.1 kernel: `make modules-old` proves the code
#           compiles against it, and `make check-lab LAB_KVER=$(OLD_KVER)`
#           boots it as the lab's L1 and L2 (headers + unsigned image).
LAB_KVER     := 6.12.117+deb12-amd64
LAB_KPKGVER  := 6.12.117-1~deb12u1
OLD_KVER     := 6.1.0-56-amd64
