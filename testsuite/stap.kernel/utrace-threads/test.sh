# A 32-thread clone storm (pthreads) followed from the leader.
# timeout: 240
# needs: hostfs
. "$KTEST_LIB/ut.sh"
ut_load || { fail load "insmod utrace_test.ko failed"; exit 0; }
N=32 K=100
CLONE_THREAD=$((0x10000)) CLONE_VM=$((0x100))

gate_start "$KTP" exec "$KTP" -n threads $N $K
check attach 0 "$(ut attach 0 "$pid" clone,syscall,exit,death,reap follow)"
gate_open
wait "$pid"
check status 0 "$?"
wait_until 30 counter_is 0 reap $((N + 1)) || true

check clones $N "$(count 0 clone)"
flags=$(info 0 clone_flags)
check clone-thread-vm 1 "$(( (flags & CLONE_THREAD) && (flags & CLONE_VM) ))" "flags $flags"
check getppid "$((N * K)) $((N * K))" "$(sysent 0 $NR_getppid) $(sysexit 0 $NR_getppid)"
check thread-exit "$N 0" "$(sysent 0 $NR_exit) $(sysexit 0 $NR_exit)"
check exit_group "1 0" "$(sysent 0 $NR_exit_group) $(sysexit 0 $NR_exit_group)"
# A new thread's return from clone3 is no syscall exit of its own.
check clone3 "$N $N" "$(sysent 0 $NR_clone3) $(sysexit 0 $NR_clone3)"
check exits $((N + 1)) "$(count 0 exit)"
check deaths $((N + 1)) "$(count 0 death)"
check group-dead 1 "$(info 0 group_dead)"
check reaps $((N + 1)) "$(count 0 reap)"

# strace on the same program; futex calls depend on how joins race, so
# they are left out.
if have_hostfs && strace_run -f -C -n -o /tmp/st "$KTP" -n threads $N $K \
	> /dev/null 2>&1; then
	strace_counts /tmp/st | grep -v '^202 ' > /tmp/st.counts
	# strace counts calls that return: exit and exit_group never do.
	ours_entries 0 | grep -vE "^(202|$NR_exit_group|$NR_exit) " > /tmp/ours.counts
	paste /tmp/st.counts /tmp/ours.counts
	if [ -s /tmp/ours.counts ] && cmp -s /tmp/st.counts /tmp/ours.counts; then
		pass strace
	else
		fail strace "counts differ: $(diff /tmp/st.counts /tmp/ours.counts | grep '^[-+][0-9?]' | tr '\n' ' ')"
	fi
else
	unsupported strace "strace does not run in the guest"
fi
ut_unload
