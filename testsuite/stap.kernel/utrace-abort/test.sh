# UTRACE_SYSCALL_ABORT from report_syscall_entry: the syscall does not
# run and returns -ENOSYS.  Kernels that re-read the syscall number after
# the sys_enter tracepoint (6.9 and stable updates with that fix) allow
# it; on others the call runs anyway and this test says so.
# timeout: 60
. "$KTEST_LIB/ut.sh"
ut_load || { fail load "insmod utrace_test.ko failed"; exit 0; }
gate_start "$KTP" abort > /tmp/abort.out
check ret 0 "$(ut ret 0 syscall_entry abort 1)"
check attach 0 "$(ut attach 0 "$pid" syscall)"
gate_open
wait "$pid"
check aborted "getppid=-1 errno=38" "$(cat /tmp/abort.out)"
# Its exit is reported with syscall number -1, as ptrace shows it too.
check reports "1 0" "$(sysent 0 $NR_getppid) $(sysexit 0 $NR_getppid)"
ut_unload
