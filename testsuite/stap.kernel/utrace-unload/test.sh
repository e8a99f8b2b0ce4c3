# Unloading the module while traced tasks sit in syscalls (one with a
# report queued in task_work), are stopped, or wait in vfork on a child
# stopped before it ever ran: no oops, and every task carries on.
# timeout: 120
. "$KTEST_LIB/ut.sh"
ut_load || { fail load "insmod utrace_test.ko failed"; exit 0; }

gate_start "$KTP" block > /tmp/block.out
blocked=$pid
gate_blocked=$gate
check attach-blocked 0 "$(ut attach 0 "$blocked" syscall,exit,death)"
gate_open "$gate_blocked"
wait_until 30 blocked_in "$blocked" "$NR_read" || fail blocked "not in read"
# Its safe point comes only when the read returns: the work stays queued.
check report-queued 0 "$(ut control 0 "$blocked" report)"

gate_start "$KTP" spin
spinner=$pid
ut attach 1 "$spinner" syscall_entry > /dev/null
gate_open
wait_until 30 counter_at_least 1 entry 10 || fail spinner "not running"
check stop "$EINPROGRESS" "$(ut control 1 "$spinner" stop)"
wait_until 30 stopped "$spinner" || fail stopped "never stopped"

gate_start "$KTP" vfork
vparent=$pid
check attach-vfork 0 "$(ut attach 2 "$vparent" clone,exec,exit stopchild)"
gate_open
one_child() { vchild=$(children "$vparent"); [ -n "$vchild" ] && stopped "$vchild"; }
wait_until 30 one_child || fail vfork-child "child not stopped"
# The parent waits (killable, not interruptible) for the child's exec.
check vfork-parent-report 0 "$(ut control 2 "$vparent" report)"

rmmod utrace_test
check unload "0" "$?"

# Everything carries on without the module.
gate_open "$gate_blocked"
wait "$blocked"
check blocked-status 0 "$?"
check blocked-output done "$(cat /tmp/block.out)"
not_d() { [ "$(state "$spinner")" != D ]; }
wait_until 30 not_d && pass spinner-runs || fail spinner-runs "still stopped"
kill -9 "$spinner"
wait "$spinner"
wait "$vparent"
check vfork-status 0 "$?"
