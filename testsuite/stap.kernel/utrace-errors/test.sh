# The error codes runtime/utrace.h promises.
# timeout: 90
. "$KTEST_LIB/ut.sh"
ut_load || { fail load "insmod utrace_test.ko failed"; exit 0; }

gate_start "$KTP" spin
check lookup-none "$ENOENT" "$(ut attach 0 "$pid" none nocreate matchops)"
check create 0 "$(ut attach 0 "$pid" syscall_entry)"
check lookup-found 0 "$(ut attach 0 "$pid" none nocreate matchops matchdata)"
check exclusive "$EEXIST" "$(ut attach 0 "$pid" none excl matchops)"
check exclusive-other-data 0 "$(ut attach 1 "$pid" none excl matchops matchdata)"
check kernel-thread "$EPERM" "$(ut attach 2 2 none)"
check pid-null "$ESRCH" "$(ut attach_pid_null)"
check bad-action "$EINVAL" "$(ut control 0 "$pid" 99)"
check singlestep "$EOPNOTSUPP" "$(ut control 0 "$pid" singlestep)"
gate_open
check stop-running "$EINPROGRESS" "$(ut control 0 "$pid" stop)"
wait_until 30 stopped "$pid" || fail stopped "never stopped"
check stop-stopped 0 "$(ut control 0 "$pid" stop)"
check resume 0 "$(ut control 0 "$pid" resume)"
check hold 0 "$(ut hold 1 "$pid")"
check detach 0 "$(ut control 1 "$pid" detach)"
check detach-again "$ESRCH" "$(ut hcontrol 1 detach)"
check events-detached "$ESRCH" "$(ut hevents 1 exit)"
check barrier-detached "$ESRCH" "$(ut hbarrier 1)"
check lookup-detached "$ENOENT" "$(ut attach 1 "$pid" none nocreate matchops matchdata)"
kill -9 "$pid"
wait "$pid"

# A child that is dead but not reaped, traced from birth.
gate_start "$KTP" zombie > /tmp/zombie.out
check attach-parent 0 "$(ut attach 3 "$pid" clone,death,reap follow)"
gate_open
has_child() { [ -s /tmp/zombie.out ]; }
wait_until 30 has_child || fail zombie "no child pid"
child=$(cat /tmp/zombie.out)
wait_until 30 gone "$child" || fail zombie "child did not exit"
check attach-dead "$ESRCH" "$(ut attach 4 "$child" none)"
check hold-dead 0 "$(ut hold 3 "$child")"
check events-passed "$EALREADY" "$(ut hevents 3 exec,death,reap)"
check events-reap 0 "$(ut hevents 3 reap)"
check stop-dead "$ESRCH" "$(ut hcontrol 3 stop)"
gate_open
wait "$pid"
wait_until 30 counter_is 3 reap 2 || fail reaped "reap not reported"
check control-reaped "$ESRCH" "$(ut hcontrol 3 resume)"
check detach-reaped "$ESRCH" "$(ut hcontrol 3 detach)"
check events-reaped "$ESRCH" "$(ut hevents 3 reap)"
ut drop 3 > /dev/null

# DETACH after death (before reap) answers -EALREADY.
gate_start "$KTP" zombie > /tmp/zombie.out
ut attach 5 "$pid" clone,death,reap follow > /dev/null
gate_open
wait_until 30 has_child || fail zombie2 "no child pid"
child=$(cat /tmp/zombie.out)
wait_until 30 gone "$child" || fail zombie2 "child did not exit"
check detach-dead "$EALREADY" "$(ut control 5 "$child" detach)"
gate_open
wait "$pid"
ut_unload
