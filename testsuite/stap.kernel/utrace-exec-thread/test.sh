# exec from a thread that is not the group leader: the exec is reported
# to that thread's engine, the thread takes over the leader's pid, and the
# old leader exits (and is reaped) on its own.
# timeout: 120
. "$KTEST_LIB/ut.sh"
ut_load || { fail load "insmod utrace_test.ko failed"; exit 0; }

gate_start "$KTP" exec_thread
check attach 0 "$(ut attach 0 "$pid" clone,exec,syscall,exit,death,reap follow)"
gate_open
wait "$pid"
check status 0 "$?"
wait_until 30 counter_is 0 reap 2 || true

check clones 1 "$(count 0 clone)"
check execs 1 "$(count 0 exec)"
check exec-tgid "$pid" "$(info 0 exec_tgid)"
check exec-tid "$pid" "$(info 0 exec_tid)"
check new-image-getppid 5 "$(sysent 0 $NR_getppid)"
# The old leader sat in pause() until the exec killed it: a syscall ended
# by a fatal signal still returns (and reports its exit) before the
# signal is acted on.
check leader-pause "1 1" "$(sysent 0 $NR_pause) $(sysexit 0 $NR_pause)"
check execve "1 1" "$(sysent 0 $NR_execve) $(sysexit 0 $NR_execve)"
check exits 2 "$(count 0 exit)"
check deaths 2 "$(count 0 death)"
check reaps 2 "$(count 0 reap)"
ut_unload
