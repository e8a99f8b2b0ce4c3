# Helpers for kernel-tier guest scripts (test.sh), sourced before them.
# A test runs in its own folder (holding its modules, programs and data
# files) with busybox tools on PATH and these variables:
#   KTEST_NAME  the test's name      KTEST_DIR  its folder
#   KTEST_LIB   the shared lib folder of its test root (/ktest/lib)
# Results: call `result SUB STATUS [detail]` for each check (STATUS is
# PASS, FAIL or UNSUPPORTED); they are reported as NAME:SUB.  A test that
# reports nothing is judged by its exit status (0 pass, 77 unsupported).

result() {
	sub=$1
	status=$2
	shift 2
	# One line per result, whatever the detail holds.
	detail=$(echo "$*" | tr '\n' ' ')
	echo "$KTEST_NAME:$sub $status ${detail% }" >> "$KTEST_RESULTS"
}

pass() { result "$1" PASS; }
fail() { n=$1; shift; result "$n" FAIL "$@"; }
unsupported() { n=$1; shift; result "$n" UNSUPPORTED "$@"; }

# check SUB EXPECTED ACTUAL [what]: equal strings pass.
check() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1" "${4:+$4: }expected '$2', got '$3'"
	fi
}

# wait_until SECONDS COMMAND...: polls COMMAND every 0.1 s; 1 on timeout.
# For waiting on state changes, never for judging speed.
wait_until() {
	limit=$(( $1 * 10 ))
	shift
	i=0
	while ! "$@"; do
		i=$((i + 1))
		[ "$i" -ge "$limit" ] && return 1
		sleep 0.1
	done
	return 0
}

# The host's root is at /host when some test of the run says
# `# needs: hostfs` in its header.
have_hostfs() { [ -x /host/bin/sh ]; }

# host_chroot_prepare: makes /host a root to chroot into: the kernel's
# filesystems mounted in it (tracefs and debugfs too, for tracers) and a
# writable tmpfs on /host/run.
host_chroot_prepare() {
	mount -t proc proc /host/proc &&
		mount -t sysfs sysfs /host/sys &&
		mount -t devtmpfs devtmpfs /host/dev &&
		mount -t debugfs debugfs /host/sys/kernel/debug &&
		mount -t tracefs tracefs /host/sys/kernel/tracing &&
		mount -t tmpfs tmpfs /host/run
}

# host_run PROGRAM ARGS...: runs a dynamically linked host program with
# the host's loader and libraries (no chroot: paths stay the guest's).
host_run() {
	prog=$1
	shift
	/host/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 \
		--library-path /host/lib/x86_64-linux-gnu:/host/usr/lib/x86_64-linux-gnu \
		"/host$prog" "$@"
}

# step TEXT: notes the guest's uptime in the test's log, to see where a
# slow test spends its time.
step() {
	read -r up _ < /proc/uptime
	echo "[$up] $*"
}
