# The syscall-tracepoint flag is set only on tasks an engine wants
# syscalls from, so untraced processes pay nothing; with another user of
# the syscall tracepoints every task has it again.
# timeout: 120
. "$KTEST_LIB/ut.sh"
sleep 1000 &
old=$!
ut_load || { fail load "insmod utrace_test.ko failed"; exit 0; }
check mode filter "$(ut mode)"
check untraced-old 0 "$(ut flag "$old")"
sleep 1000 &
new=$!
check untraced-new 0 "$(ut flag "$new")"

gate_start "$KTP" zombie > /tmp/zombie.out
check attach 0 "$(ut attach 0 "$pid" syscall)"
check traced 1 "$(ut flag "$pid")"
check events-none 0 "$(ut events 0 "$pid" none)"
check untraced-again 0 "$(ut flag "$pid")"
check events-exit-only 0 "$(ut events 0 "$pid" exit)"
check no-syscall-events 0 "$(ut flag "$pid")"
check events-syscall-exit 0 "$(ut events 0 "$pid" syscall_exit)"
check traced-exit-only 1 "$(ut flag "$pid")"
# Its child is not followed: no flag.
gate_open
has_child() { [ -s /tmp/zombie.out ]; }
wait_until 30 has_child || fail child "no child pid"
check child-not-traced 0 "$(ut flag "$(cat /tmp/zombie.out)")"
check detach 0 "$(ut control 0 "$pid" detach)"
check detached 0 "$(ut flag "$pid")"
gate_open
wait "$pid"

# Another sys_enter user arrives: every task gets the flag, and it sees
# the syscalls of a task the layer had cleared.
insmod ./sys_other.ko || fail other "insmod sys_other.ko failed"
is_mode() { [ "$(ut mode)" = "$1" ]; }
old_flag() { [ "$(ut flag "$old")" = "$1" ]; }
wait_until 10 is_mode shared && pass shared || fail shared "mode $(ut mode)"
wait_until 10 old_flag 1 && pass shared-flag || fail shared-flag "untraced task not flagged"
"$KTP" -n calls 100
check other-sees-all 100 "$(cat /sys/module/sys_other/parameters/count)"
rmmod sys_other
wait_until 10 is_mode filter && pass filter-again || fail filter-again "mode $(ut mode)"
wait_until 10 old_flag 0 && pass filter-flag || fail filter-flag "flag stays"

# The other user first: the layer starts shared, and leaves every flag
# set when it goes.
ut_unload
insmod ./sys_other.ko || fail other "insmod sys_other.ko failed"
ut_load
check shared-at-load shared "$(ut mode)"
ut_unload
"$KTP" -n calls 50
check other-after-unload 50 "$(cat /sys/module/sys_other/parameters/count)"
rmmod sys_other
kill "$old" "$new"
