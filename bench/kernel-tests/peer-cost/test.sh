# Guest side of bench/kernel-peer-cost: the host's root (where the host
# put the programs and stap-built modules, and where SystemTap's staprun,
# bpftrace and their libraries are) becomes the root of peer.sh.
# timeout: 900
# needs: hostfs
have_hostfs || { echo "bench: the host's root is not mounted in the guest"; exit 1; }
host_chroot_prepare || { echo "bench: cannot prepare the host's root for chroot"; exit 1; }
cp "$KTEST_LIB/bench_tp.ko" peer.sh peer-report.sh /host/run/ || exit 1
chroot /host /bin/bash /run/peer.sh
