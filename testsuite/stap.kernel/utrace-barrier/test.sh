# utrace_barrier waits for a callback in progress: DETACH during a
# callback answers -EINPROGRESS; the barrier returns only after the
# callback has ended, and no callback starts after.
# timeout: 90
. "$KTEST_LIB/ut.sh"
ut_load || { fail load "insmod utrace_test.ko failed"; exit 0; }

gate_start "$KTP" spin
check block 0 "$(ut block 0 syscall_entry 50)"
check attach 0 "$(ut attach 0 "$pid" syscall_entry)"
gate_open
in_cb() { [ "$(count 0 in_callback)" = 1 ]; }
wait_until 30 in_cb || fail in-callback "the 50th callback never ran"
# The callback spins until a timer 300 ms later lets it go.
check detach-barrier "detach=$EINPROGRESS barrier=$ESRCH in_callback=0" \
	"$(ut detach_barrier 0 "$pid" 300)"
check callbacks 50 "$(count 0 entry)"
sleep 0.5
check no-callbacks-after 50 "$(count 0 entry)"
wait_until 10 counter_is 0 release 1 && pass released || fail released "release never ran"
kill -9 "$pid"
wait "$pid"

# The barrier on one's own task returns at once.
check self "0 0 0" "$( (ut attach 1 self none; ut barrier 1 self; ut control 1 self detach) | tr '\n' ' ' | sed 's/ $//')"
ut_unload
