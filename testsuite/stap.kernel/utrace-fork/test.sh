# A fork storm followed from the parent: every child gets the group's
# engine in report_clone, before it runs.
# timeout: 240
# needs: hostfs
. "$KTEST_LIB/ut.sh"
ut_load || { fail load "insmod utrace_test.ko failed"; exit 0; }
N=100 K=10

gate_start "$KTP" exec "$KTP" -n forks $N $K
check attach 0 "$(ut attach 0 "$pid" clone,syscall,exit,death,reap follow)"
gate_open
wait "$pid"
check status 0 "$?"
wait_until 30 counter_is 0 reap $((N + 1)) || true

check clones $N "$(count 0 clone)"
# fork(2) passes SIGCHLD and nothing else.
check clone-flags 0x11 "$(info 0 clone_flags)"
check fork "$N $N" "$(sysent 0 $NR_fork) $(sysexit 0 $NR_fork)"
check getppid "$((N * K)) $((N * K))" "$(sysent 0 $NR_getppid) $(sysexit 0 $NR_getppid)"
check wait4 "$N $N" "$(sysent 0 $NR_wait4) $(sysexit 0 $NR_wait4)"
check exit_group "$((N + 1)) 0" "$(sysent 0 $NR_exit_group) $(sysexit 0 $NR_exit_group)"
check exits $((N + 1)) "$(count 0 exit)"
check deaths $((N + 1)) "$(count 0 death)"
check reaps $((N + 1)) "$(count 0 reap)"
check releases $((N + 1)) "$(count 0 release)"

if have_hostfs && strace_run -f -C -n -o /tmp/st "$KTP" -n forks $N $K \
	> /dev/null 2>&1; then
	strace_counts /tmp/st > /tmp/st.counts
	ours_entries 0 | grep -v "^$NR_exit_group " > /tmp/ours.counts
	paste /tmp/st.counts /tmp/ours.counts
	if [ -s /tmp/ours.counts ] && cmp -s /tmp/st.counts /tmp/ours.counts; then
		pass strace
	else
		fail strace "counts differ: $(diff /tmp/st.counts /tmp/ours.counts | grep '^[-+][0-9]' | tr '\n' ' ')"
	fi
else
	unsupported strace "strace does not run in the guest"
fi
ut_unload
