# Shell helpers for the utrace tests: load the driver module, talk to it,
# start ktp behind a gate.  Sourced by test.sh files: . "$KTEST_LIB/ut.sh"

UT_CTL=/sys/kernel/debug/utrace_test/ctl
KTP=$KTEST_LIB/ktp

# x86_64 syscall numbers the tests name (the guest is x86_64).
NR_read=0 NR_write=1 NR_close=3 NR_pause=34 NR_clone=56 NR_fork=57 NR_vfork=58
NR_execve=59 NR_exit=60 NR_wait4=61 NR_getuid=102 NR_getppid=110
NR_exit_group=231 NR_openat=257 NR_clone3=435

# errno values utrace calls answer (negated).
EPERM=-1 ENOENT=-2 ESRCH=-3 EEXIST=-17 EINVAL=-22 EOPNOTSUPP=-95
EALREADY=-114 EINPROGRESS=-115

ut_load() { insmod "$KTEST_LIB/utrace_test.ko" "$@"; }
ut_unload() { rmmod utrace_test; }

# ut COMMAND...: one command to the driver; prints its answer.  Shell
# builtins only: every exec costs tens of milliseconds under TCG.
ut() {
	if ! echo "$*" > "$UT_CTL"; then
		echo "ut: '$*' rejected" >&2
		return 1
	fi
	while IFS= read -r ut_line; do
		echo "$ut_line"
	done < "$UT_CTL"
}

# field NAME WORD...: the value of NAME=value among the words.
field() {
	f_name=$1
	shift
	for f_word; do
		case $f_word in "$f_name="*) echo "${f_word#*=}"; return ;; esac
	done
}
# count G NAME: one of the counters "ut counts G" prints.
count() { field "$2" $(ut counts "$1"); }
# info G NAME: one of the values "ut info G" prints.
info() { field "$2" $(ut info "$1"); }
# sysent G NR / sysexit G NR: G's syscall entry/exit reports for NR.
sysent() { ut sys "$1" | awk -v n="$2" '$1 == n { c = $2 } END { print c + 0 }'; }
sysexit() { ut sys "$1" | awk -v n="$2" '$1 == n { c = $3 } END { print c + 0 }'; }

# gate_start CMD...: starts CMD (a ktp without -n) with stdin on a fifo
# of its own ($gate), sets $pid, and waits until it sits in the gate's
# read().  gate_open [FIFO] lets it go (or feeds it another byte: one
# byte, so a later read blocks again).
ut_gates=0
gate_start() {
	ut_gates=$((ut_gates + 1))
	gate=/tmp/ut-gate-$ut_gates
	rm -f "$gate"
	mkfifo "$gate"
	# Opened read-write so nobody blocks in open(); the program keeps
	# it open, so it never sees end of file.
	exec 5<> "$gate"
	"$@" <&5 &
	pid=$!
	exec 5>&-
	wait_until 30 blocked_in "$pid" "$NR_read"
}
gate_open() { printf x > "${1:-$gate}"; }

# blocked_in PID NR: PID sits in syscall NR.
blocked_in() {
	[ "$(cut -d' ' -f1 "/proc/$1/syscall" 2>/dev/null)" = "$2" ] &&
		[ "$(cat "/proc/$1/comm" 2>/dev/null)" = ktp ]
}

stopped() { [ "$(ut stopped "$1")" = 1 ]; }
counter_is() { [ "$(count "$1" "$2")" = "$3" ]; }
counter_at_least() { [ "$(count "$1" "$2")" -ge "$3" ]; }

# strace_counts FILE: "NR CALLS" lines from `strace -f -C -n -o FILE`:
# the summary's calls per name, numbered by the trace lines.  Calls the
# kernel restarted (ERESTART*) count once: strace's own presence causes
# them (a ptraced task receives even ignored signals, such as SIGCHLD,
# which makes a fork in progress start over).
strace_counts() {
	awk '
	/^[0-9]+ +\[ *[0-9]+\] [a-z_0-9]+\(/ {
		s = $0; sub(/^[0-9]+ +\[ */, "", s)
		nr = s; sub(/\].*/, "", nr)
		name = s; sub(/^[0-9]+\] /, "", name); sub(/\(.*/, "", name)
		num[name] = nr
		cur[$1] = name
	}
	/= \? ERESTART/ {
		name = cur[$1]
		if (match($0, /<\.\.\. [a-z_0-9]+ resumed>/))
			name = substr($0, RSTART + 5, RLENGTH - 14)
		restarted[name]++
	}
	/^ *[0-9.]+ +[0-9.]+ +[0-9]+ +[0-9]+/ {
		name = $NF; calls[name] = $4
	}
	END {
		for (n in calls) {
			if (n == "total") continue
			if (!(n in num)) { print "? " n; continue }
			print num[n], calls[n] - restarted[n]
		}
	}' "$1" | sort -n
}

# strace_run ARGS...: the host's strace, pinned with its tracees to one
# vCPU (ptrace stops bouncing between vCPUs make TCG many times slower).
strace_run() { taskset 1 /host/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 \
	--library-path /host/lib/x86_64-linux-gnu:/host/usr/lib/x86_64-linux-gnu \
	/host/usr/bin/strace "$@"; }

# ours_entries G: "NR ENTRIES" lines for every syscall G saw enter.
ours_entries() { ut sys "$1" | awk '$2 > 0 { print $1, $2 }' | sort -n; }

# state PID: the task state letter from /proc/PID/stat (R S D Z ...).
state() { sed 's/.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null; }
# gone PID: PID has exited (zombie or reaped).
gone() { s=$(state "$1"); [ -z "$s" ] || [ "$s" = Z ]; }
# children PID: pids whose parent is PID.
children() {
	for f in /proc/[0-9]*/stat; do
		sed -n "s/^\([0-9]*\) (.*) . $1 .*/\1/p" "$f" 2>/dev/null
	done
}
