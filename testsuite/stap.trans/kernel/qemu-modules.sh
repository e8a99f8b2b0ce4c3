#!/bin/sh
# Runs generated kernel modules in a qemu guest of Debian's 6.1 kernel.
#
#   qemu-modules.sh BUILDDIR MODDIR
#
# MODDIR holds NAME.ko files and, for each, an optional NAME.args (staprun
# options, one line) and NAME.globals (NAME=VALUE words after the module),
# or a NAME.run guest shell fragment that replaces the plain staprun line
# (for runs that need a process started first, a signal sent mid-run...;
# it sees STAPRUN, KO, ARGS and GLOBALS, its stdout and stderr are the
# module's, and its status is rc; each run is limited to MODULE_TIMEOUT
# seconds, 300 by default).  The guest (TCG, 2 vCPUs, panic_on_warn)
# chroots into the host's root, shared read-only over 9p, and runs
# BUILDDIR's staprun on each module in turn; for each it prints
#   === NAME / rc=N / OUT: line... / ERR: line...
# and at the end DMESG: lines for kernel warnings, then GUEST-DONE.
# Exit 77 when something it needs is missing, 1 when the boot failed.
set -u
BUILD=$(cd "$1" && pwd)
MODS=$(cd "$2" && pwd)
KVER=${KVER:-6.1.0-50-amd64}
VMLINUZ=/boot/vmlinuz-$KVER
TIMEOUT=${QEMU_TIMEOUT:-900}
MODTIMEOUT=${MODULE_TIMEOUT:-300}
WORK=$MODS/qemu

for need in "$VMLINUZ" /bin/busybox; do
	[ -e "$need" ] || { echo "missing: $need"; exit 77; }
done
for cmd in qemu-system-x86_64 cpio xz; do
	command -v $cmd > /dev/null || { echo "missing: $cmd"; exit 77; }
done
rm -rf "$WORK" && mkdir -p "$WORK"

# The guest's part: the modules one after the other.
cat > "$MODS/guest.sh" <<GUEST
#!/bin/sh
cd "$MODS"
echo
for ko in *.ko; do
	name=\${ko%.ko}
	args= globals=
	[ -f \$name.args ] && args=\$(cat \$name.args)
	[ -f \$name.globals ] && globals=\$(cat \$name.globals)
	echo "=== \$name"
	# A run that never ends (a module nothing stops) must not stall the
	# rest of the batch: it gets SIGTERM (staprun stops the probes) and
	# rc=124.
	if [ -f \$name.run ]; then
		STAPRUN=$BUILD/staprun/staprun KO=\$PWD/\$ko ARGS=\$args GLOBALS=\$globals \\
			timeout $MODTIMEOUT sh ./\$name.run > /run/out 2> /run/err < /dev/null
	else
		eval "timeout $MODTIMEOUT $BUILD/staprun/staprun \$args ./\$ko \$globals" \\
			> /run/out 2> /run/err < /dev/null
	fi
	echo "rc=\$?"
	sed 's/^/OUT: /' /run/out
	sed 's/^/ERR: /' /run/err
done
dmesg | grep -E 'WARNING:|BUG:|Oops|Call Trace|lockdep|RCU stall' | sed 's/^/DMESG: /'
echo GUEST-DONE
GUEST

# Uncompressed, the kernel boots seconds faster under TCG.
VMLINUX=$WORK/vmlinux
for off in $(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$VMLINUZ" | cut -d: -f1); do
	tail -c +$((off + 1)) "$VMLINUZ" | xz -dc 2> /dev/null > "$VMLINUX.tmp"
	if [ "$(head -c 4 "$VMLINUX.tmp" | od -An -c | tr -d ' ')" = '177ELF' ]; then
		mv "$VMLINUX.tmp" "$VMLINUX"
		break
	fi
done
rm -f "$VMLINUX.tmp"
[ -s "$VMLINUX" ] || VMLINUX=$VMLINUZ

R=$WORK/initramfs
mkdir -p "$R/bin" "$R/proc" "$R/sys" "$R/dev" "$R/mnt" "$R/lib/modules"
cp /bin/busybox "$R/bin/busybox"
ln -s busybox "$R/bin/sh"
KMODS="virtio virtio_ring virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci netfs fscache 9pnet 9pnet_virtio 9p"
for m in $KMODS; do
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
for m in $KMODS; do
	[ -e /lib/modules/\$m.ko ] && busybox insmod /lib/modules/\$m.ko
done
if busybox mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144,cache=loose hostroot /mnt; then
	busybox mount -t proc proc /mnt/proc
	busybox mount -t sysfs sys /mnt/sys
	busybox mount -t devtmpfs dev /mnt/dev
	busybox mount -t debugfs debugfs /mnt/sys/kernel/debug
	busybox mount -t tmpfs run /mnt/run
	busybox chroot /mnt /bin/sh -c 'cd /run && export TMPDIR=/run PATH=/usr/sbin:/usr/bin:/sbin:/bin && sh $MODS/guest.sh'
else
	echo "guest: cannot mount the host's root over 9p"
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
tr -d '\r' < "$WORK/console.log" | grep -a -E '^(=== |rc=|OUT: |ERR: |DMESG: |GUEST-DONE$|guest: )'
grep -q GUEST-DONE "$WORK/console.log" || exit 1
exit 0
