# Exact syscall entry/exit reports for a program whose calls we know,
# and per-syscall agreement with strace -f -c run on the same program.
# timeout: 180
# needs: hostfs
. "$KTEST_LIB/ut.sh"
ut_load || { fail load "insmod utrace_test.ko failed"; exit 0; }

# ktp waits at its gate, then execs "ktp -n calls 1000": the engine sees
# the execve and the whole new image.
step start
gate_start "$KTP" exec "$KTP" -n calls 1000
step gated
check attach 0 "$(ut attach 0 "$pid" syscall,exec,exit,death,reap)"
gate_open
wait "$pid"
check status 0 "$?"
wait_until 30 counter_is 0 reap 1 || true
step reaped

check getppid-entries 1000 "$(sysent 0 $NR_getppid)"
check getppid-exits 1000 "$(sysexit 0 $NR_getppid)"
check getuid 7 "$(sysent 0 $NR_getuid)"
check openat 1 "$(sysent 0 $NR_openat)"
check write 3 "$(sysent 0 $NR_write)"
check close 1 "$(sysent 0 $NR_close)"
check execve-entry 1 "$(sysent 0 $NR_execve)"
check execve-exit 1 "$(sysexit 0 $NR_execve)"
check exit_group-entry 1 "$(sysent 0 $NR_exit_group)"
check exit_group-exit 0 "$(sysexit 0 $NR_exit_group)"
# The gate's read was entered before the attach: its exit alone shows.
check gate-read "0 1" "$(sysent 0 $NR_read) $(sysexit 0 $NR_read)"
# Every other syscall that entered also exited, once.
unpaired=$(ut sys 0 | awk -v r=$NR_read -v e=$NR_exit_group -v x=$NR_execve \
	'$1 != r && $1 != e && $2 != $3 { print }')
check entries-match-exits "" "$unpaired"
check events "exec=1 exit=1 death=1 reap=1" \
	"exec=$(count 0 exec) exit=$(count 0 exit) death=$(count 0 death) reap=$(count 0 reap)"
total_ent=$(ut sys 0 | awk '{ s += $2 } END { print s }')
check entry-reports "$total_ent" "$(count 0 entry)"

# strace's view of the same program, run now, in this guest.
step strace
if have_hostfs && strace_run -f -C -n -o /tmp/st "$KTP" -n calls 1000 \
	> /dev/null 2>&1; then
	step strace-done
	strace_counts /tmp/st > /tmp/st.counts
	# strace counts a call when it returns: exit_group never does.
	ours_entries 0 | grep -v "^$NR_exit_group " > /tmp/ours.counts
	echo "syscall entries (nr calls), strace then ours:"
	paste /tmp/st.counts /tmp/ours.counts
	if [ -s /tmp/ours.counts ] && cmp -s /tmp/st.counts /tmp/ours.counts; then
		pass strace
	else
		fail strace "per-syscall counts differ (strace, ours): $(diff /tmp/st.counts /tmp/ours.counts | grep '^[-+][0-9?]' | tr '\n' ' ')"
	fi
else
	unsupported strace "strace does not run in the guest"
fi
ut_unload
