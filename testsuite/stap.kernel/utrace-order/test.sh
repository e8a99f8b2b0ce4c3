# Engines are called in attach order; an engine attached while an event
# is reported sees the next event, not that one; UTRACE_DETACH returned
# by a callback ends that engine's callbacks at once.
# timeout: 90
. "$KTEST_LIB/ut.sh"
ut_load || { fail load "insmod utrace_test.ko failed"; exit 0; }

# ktp calls 10 after the gate: 23 entries and 23 exits (the gate read's
# exit, then 22 calls that return; exit_group does not).
gate_start "$KTP" calls 10
for g in 0 1 2; do
	check attach-$g 0 "$(ut attach $g "$pid" syscall log)"
done
gate_open
wait "$pid"
ut log > /tmp/log
check log-lines 138 "$(wc -l < /tmp/log)"
bad=$(awk 'int((NR - 1) % 3) != $1 { print NR ": " $0; exit }' /tmp/log)
check attach-order "" "$bad"

# Detach the middle engine, attach another: the order is 0 2 3.
ut reset > /dev/null
gate_start "$KTP" calls 10
for g in 0 1 2; do ut attach $g "$pid" syscall log > /dev/null; done
check detach-middle 0 "$(ut control 1 "$pid" detach)"
check attach-last 0 "$(ut attach 3 "$pid" syscall log)"
gate_open
wait "$pid"
ut log | awk '{ print $1 }' | tr -d '\n' > /tmp/order
check reattach-order "$(yes 023 | head -n 46 | tr -d '\n')" "$(cat /tmp/order)"

# Group 0's first syscall entry callback attaches group 1 to the task:
# group 1 starts with the exit of that same syscall.
ut reset > /dev/null
gate_start "$KTP" calls 10
check attach-at 0 "$(ut attach_at 0 syscall_entry 1 1 syscall)"
check attach-joiner 0 "$(ut attach 0 "$pid" syscall log)"
gate_open
wait "$pid"
check attach-in-callback 0 "$(info 0 attach_at)"
check first "23 23" "$(count 0 entry) $(count 0 exit_sys)"
check joiner "22 22" "$(count 1 entry) $(count 1 exit_sys)"
check joiner-first-event "1 exit_sys" "$(ut log | awk '$1 == 1 { print $1, $2; exit }')"
# In the log, group 1's first line follows group 0's second: the entry
# that attached it (0), that syscall's exit (0), then group 1.
check joiner-position "0 entry|0 exit_sys|1 exit_sys" \
	"$(ut log | head -n 4 | tail -n 3 | awk '{ print $1, $2 }' | tr '\n' '|' | sed 's/|$//')"

# UTRACE_DETACH from the 5th entry callback: exactly 5, then nothing.
ut reset > /dev/null
gate_start "$KTP" calls 10
check ret-detach 0 "$(ut ret 2 syscall_entry detach 5)"
check attach-detacher 0 "$(ut attach 2 "$pid" syscall_entry)"
check hold 0 "$(ut hold 2 "$pid")"
gate_open
wait "$pid"
check detached-after-5 5 "$(count 2 entry)"
check detached-handle "$ESRCH" "$(ut hcontrol 2 resume)"
check not-released-while-held 0 "$(count 2 release)"
ut drop 2 > /dev/null
check released 1 "$(count 2 release)"
ut_unload
