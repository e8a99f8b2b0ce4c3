# vfork: report_clone says CLONE_VFORK; the child, followed, execs while
# the parent waits; the parent resumes when the child has exec'd.
# timeout: 120
. "$KTEST_LIB/ut.sh"
ut_load || { fail load "insmod utrace_test.ko failed"; exit 0; }
CLONE_VFORK=$((0x4000)) CLONE_VM=$((0x100))

gate_start "$KTP" vfork
check attach 0 "$(ut attach 0 "$pid" clone,exec,syscall,exit,death,reap follow)"
gate_open
wait "$pid"
check status 0 "$?"
wait_until 30 counter_is 0 reap 2 || true

check clones 1 "$(count 0 clone)"
flags=$(info 0 clone_flags)
check clone-vfork-vm 1 "$(( (flags & CLONE_VFORK) && (flags & CLONE_VM) ))" "flags $flags"
check execs 1 "$(count 0 exec)"
check vfork "1 1" "$(sysent 0 $NR_vfork) $(sysexit 0 $NR_vfork)"
check child-getppid 3 "$(sysent 0 $NR_getppid)"
check wait4 "1 1" "$(sysent 0 $NR_wait4) $(sysexit 0 $NR_wait4)"
check exits 2 "$(count 0 exit)"
check deaths 2 "$(count 0 death)"
check reaps 2 "$(count 0 reap)"
ut_unload
