#!/bin/sh
# Boots Debian's 6.1 kernel in qemu (TCG) with a throwaway initramfs and
# runs guest.sh against this build's staprun and a freshly built
# stp_ktest.ko; the host's root is shared read-only over 9p and the guest
# chroots into it, so staprun and its libraries need no packing.
#
#   qemu-run.sh SRCDIR BUILDDIR WORKDIR
#
# Prints the guest's PASS/FAIL lines, then "GUEST-END" if the guest got
# through them all.  Exit 0 when it ran (whatever the checks said), 77
# when something it needs is missing, 1 when the build or boot failed.
# A shared harness can instead build stp_ktest.ko the same way (kbuild
# with USTAP_SRC=SRCDIR), put it and guest.sh in its own boot, and run
#   guest.sh STAPRUN stp_ktest.ko
# there.
set -u
SRC=$(cd "$1" && pwd)
BUILD=$(cd "$2" && pwd)
WORK=$3
KVER=${KVER:-6.1.0-50-amd64}
KBUILD=/lib/modules/$KVER/build
VMLINUZ=/boot/vmlinuz-$KVER
TIMEOUT=${QEMU_TIMEOUT:-900}

for need in "$KBUILD/Makefile" "$VMLINUZ" /bin/busybox; do
	[ -e "$need" ] || { echo "missing: $need"; exit 77; }
done
command -v qemu-system-x86_64 > /dev/null || { echo "missing: qemu-system-x86_64"; exit 77; }
command -v cpio > /dev/null || { echo "missing: cpio"; exit 77; }
mkdir -p "$WORK" && WORK=$(cd "$WORK" && pwd)

# The module, built the way generated modules will be.
K=$WORK/kmod
rm -rf "$K" && mkdir -p "$K"
cp "$SRC/testsuite/stap.transport/kernel/stp_ktest.c" "$SRC/testsuite/stap.transport/kernel/Kbuild" "$K/"
unset MAKEFLAGS MFLAGS MAKELEVEL
if ! make -s -C "$KBUILD" M="$K" USTAP_SRC="$SRC" W=1 modules > "$K/build.log" 2>&1; then
	cat "$K/build.log"
	exit 1
fi
if grep -E 'warning:|error:' "$K/build.log"; then
	echo "FAIL: stp_ktest.ko builds without warnings under W=1"
else
	echo "PASS: stp_ktest.ko builds without warnings under W=1"
fi
strip --strip-debug "$K/stp_ktest.ko"

# The uncompressed kernel boots seconds faster under TCG.
VMLINUX=$WORK/vmlinux-$KVER
if [ ! -s "$VMLINUX" ]; then
	for off in $(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$VMLINUZ" | cut -d: -f1); do
		tail -c +$((off + 1)) "$VMLINUZ" | xz -dc 2> /dev/null > "$VMLINUX.tmp"
		if [ "$(head -c 4 "$VMLINUX.tmp" | od -An -c | tr -d ' ')" = '177ELF' ]; then
			mv "$VMLINUX.tmp" "$VMLINUX"
			break
		fi
	done
	rm -f "$VMLINUX.tmp"
	[ -s "$VMLINUX" ] || VMLINUX=$VMLINUZ
fi

# The initramfs: busybox, virtio and 9p modules, and /init.
R=$WORK/initramfs
rm -rf "$R" && mkdir -p "$R/bin" "$R/proc" "$R/sys" "$R/dev" "$R/mnt" "$R/lib/modules"
cp /bin/busybox "$R/bin/busybox"
ln -s busybox "$R/bin/sh"
MODS="virtio virtio_ring virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci netfs fscache 9pnet 9pnet_virtio 9p"
for m in $MODS; do
	f=$(modinfo -k "$KVER" -n "$m" 2> /dev/null)
	case $f in
	/*.ko) cp "$f" "$R/lib/modules/$m.ko" ;;
	/*.ko.xz) xz -dc "$f" > "$R/lib/modules/$m.ko" ;;
	esac
done
cat > "$R/init" <<INIT
#!/bin/sh
export PATH=/bin
busybox mount -t proc proc /proc
busybox mount -t sysfs sys /sys
busybox mount -t devtmpfs dev /dev
for m in $MODS; do
	[ -e /lib/modules/\$m.ko ] && busybox insmod /lib/modules/\$m.ko
done
if busybox mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144,cache=loose hostroot /mnt; then
	busybox mount -t proc proc /mnt/proc
	busybox mount -t sysfs sys /mnt/sys
	busybox mount -t devtmpfs dev /mnt/dev
	busybox mount -t debugfs debugfs /mnt/sys/kernel/debug
	# Scratch space on /run, not /tmp: the tree under test may live in /tmp.
	busybox mount -t tmpfs run /mnt/run
	echo GUEST-BEGIN
	busybox chroot /mnt /bin/sh -c 'cd /run && export TMPDIR=/run PATH=/usr/sbin:/usr/bin:/sbin:/bin && sh $SRC/testsuite/stap.transport/kernel/guest.sh $BUILD/staprun/staprun $K/stp_ktest.ko /run'
	echo GUEST-END
else
	echo "FAIL: mounting the host's root over 9p"
fi
busybox poweroff -f
INIT
chmod +x "$R/init"
(cd "$R" && find . | cpio -o -H newc --quiet | gzip -1) > "$WORK/initramfs.gz"

timeout "$TIMEOUT" qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m 1G -M pc \
	-nographic -no-reboot -monitor none -serial stdio \
	-kernel "$VMLINUX" -initrd "$WORK/initramfs.gz" \
	-append 'console=ttyS0 quiet panic=-1 oops=panic panic_on_warn=1' \
	-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
	< /dev/null > "$WORK/console.log" 2>&1
status=$?
tr -d '\r' < "$WORK/console.log" | grep -E '^(PASS|FAIL): |^GUEST-END$'
if ! tr -d '\r' < "$WORK/console.log" | grep -q -E '^(PASS|FAIL): '; then
	echo "the guest printed no checks; its console:"
	tr -d '\r' < "$WORK/console.log" | sed -n '/GUEST-BEGIN/,$p' | head -20
fi
if [ $status -ne 0 ]; then
	echo "qemu exited with status $status (124: timed out); console in $WORK/console.log"
	tail -20 "$WORK/console.log"
fi
exit 0
