# UTRACE_STOP and its release: stop a running task and resume it; a stop
# is sticky until every engine that asked lets go; DETACH lets go; a
# callback's STOP stops the task right after that event; REPORT and
# INTERRUPT bring resume reports (report_quiesce with event 0).
# timeout: 150
. "$KTEST_LIB/ut.sh"
ut_load || { fail load "insmod utrace_test.ko failed"; exit 0; }

gate_start "$KTP" spin
check attach 0 "$(ut attach 0 "$pid" syscall_entry)"
gate_open
wait_until 30 counter_at_least 0 entry 100 || fail running "ktp does not run"

# A running task: the stop is asked for, then happens at a safe point.
check stop-running "$EINPROGRESS" "$(ut control 0 "$pid" stop)"
wait_until 30 stopped "$pid" && pass stop-reached || fail stop-reached "never stopped"
check stop-again 0 "$(ut control 0 "$pid" stop)"
check state-stopped D "$(state "$pid")"
c1=$(count 0 entry)
sleep 0.5
check frozen "$c1" "$(count 0 entry)" "syscalls while stopped"
check resume 0 "$(ut control 0 "$pid" resume)"
wait_until 30 counter_at_least 0 entry $((c1 + 100)) && pass runs-again || fail runs-again "still stopped"

# Two engines stop it; it runs only when both let go.
check attach-second 0 "$(ut attach 1 "$pid" none)"
check stop-first "$EINPROGRESS" "$(ut control 0 "$pid" stop)"
wait_until 30 stopped "$pid" || fail sticky "never stopped"
check stop-second 0 "$(ut control 1 "$pid" stop)"
check resume-first 0 "$(ut control 0 "$pid" resume)"
c1=$(count 0 entry)
sleep 0.5
check sticky "1 $c1" "$(ut stopped "$pid") $(count 0 entry)" "stopped, syscalls"
check resume-second 0 "$(ut control 1 "$pid" resume)"
wait_until 30 counter_at_least 0 entry $((c1 + 100)) && pass sticky-released || fail sticky-released "still stopped"

# DETACH of the only engine holding the stop lets the task go.
check stop-then-detach "$EINPROGRESS" "$(ut control 1 "$pid" stop)"
wait_until 30 stopped "$pid" || fail detach-releases "never stopped"
check detach 0 "$(ut control 1 "$pid" detach)"
c1=$(count 0 entry)
wait_until 30 counter_at_least 0 entry $((c1 + 100)) && pass detach-releases || fail detach-releases "still stopped"

# A callback returning STOP on its 50th syscall entry: the task stops
# right after that syscall, with exactly 50 entries seen.
check ret 0 "$(ut ret 2 syscall_entry stop 50)"
check attach-stopper 0 "$(ut attach 2 "$pid" syscall_entry)"
wait_until 30 stopped "$pid" || fail callback-stop "never stopped"
sleep 0.5
check callback-stop 50 "$(count 2 entry)"
check callback-stop-resume 0 "$(ut control 2 "$pid" resume)"
wait_until 30 counter_at_least 2 entry 150 && pass callback-stop-released || fail callback-stop-released

# REPORT: a resume report to an engine that wants QUIESCE.
check attach-quiesce 0 "$(ut attach 3 "$pid" quiesce)"
check report 0 "$(ut control 3 "$pid" report)"
wait_until 30 counter_at_least 3 quiesce0 1 && pass report-quiesce || fail report-quiesce "no report_quiesce(0)"
kill -9 "$pid"
wait "$pid"

# INTERRUPT gets a task out of an interruptible sleep to its safe point;
# the read restarts as after a signal without handler, and the program
# sees nothing.
gate_start "$KTP" block > /tmp/block.out
check attach-interrupt 0 "$(ut attach 4 "$pid" quiesce,syscall)"
gate_open
wait_until 30 blocked_in "$pid" "$NR_read" || fail blocked "not in read"
sleep 0.5
check interrupt 0 "$(ut control 4 "$pid" interrupt)"
wait_until 30 counter_at_least 4 quiesce0 1 && pass interrupt-quiesce || fail interrupt-quiesce "no report_quiesce(0)"
wait_until 30 blocked_in "$pid" "$NR_read" || fail read-restarted "not back in read"
gate_open
wait "$pid"
check interrupted-status 0 "$?"
check interrupted-output done "$(cat /tmp/block.out)"
# The second read entered, was interrupted (exit -ERESTARTSYS), and
# entered again; the gate's read only exited.
check read-restarted "2 3" "$(sysent 4 $NR_read) $(sysexit 4 $NR_read)"
# QUIESCE before each event callback: one per entry and exit report.
check quiesce-per-event "$(( $(count 4 entry) + $(count 4 exit_sys) ))" "$(count 4 quiesce)"
ut_unload
