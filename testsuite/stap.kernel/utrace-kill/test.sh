# SIGKILL while a traced task sits in a blocking syscall, and while it is
# stopped: the task dies either way, with exit, death and reap reports.
# timeout: 90
. "$KTEST_LIB/ut.sh"
ut_load || { fail load "insmod utrace_test.ko failed"; exit 0; }

gate_start "$KTP" pause
check attach 0 "$(ut attach 0 "$pid" syscall,exit,death,reap)"
gate_open
wait_until 30 blocked_in "$pid" "$NR_pause" || fail blocked "not in pause"
kill -9 "$pid"
wait "$pid"
check status 137 "$?"
wait_until 30 counter_is 0 reap 1 || true
# The syscall returns before the signal kills the task: its exit shows.
check pause "1 1" "$(sysent 0 $NR_pause) $(sysexit 0 $NR_pause)"
check exit-code 9 "$(info 0 exit_code)" "exit code (SIGKILL)"
check events "exit=1 death=1 reap=1" \
	"exit=$(count 0 exit) death=$(count 0 death) reap=$(count 0 reap)"

gate_start "$KTP" spin
check attach-stopped 0 "$(ut attach 1 "$pid" syscall_entry,exit,death)"
gate_open
wait_until 30 counter_at_least 1 entry 10 || fail running "ktp does not run"
check stop "$EINPROGRESS" "$(ut control 1 "$pid" stop)"
wait_until 30 stopped "$pid" || fail stopped "never stopped"
kill -9 "$pid"
wait_until 30 gone "$pid" && pass kill-stopped || fail kill-stopped "SIGKILL did not end the stop"
wait "$pid"
check stopped-status 137 "$?"
check stopped-events "exit=1 death=1" "exit=$(count 1 exit) death=$(count 1 death)"
ut_unload
