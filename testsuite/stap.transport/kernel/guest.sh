#!/bin/sh
# Kernel transport checks, run inside a qemu guest as root:
#   guest.sh STAPRUN KMOD [WORKDIR]
# STAPRUN is the staprun to test, KMOD the stp_ktest.ko built from
# stp_ktest.c for the guest's kernel.  Prints one "PASS: name" or
# "FAIL: name (why)" line per check, and never stops early: a harness
# counts the lines.  Needs debugfs at /sys/kernel/debug, a writable
# WORKDIR (default /tmp), 2 or more CPUs for the multi-CPU checks.
S=$1
M=$2
T=${3:-/tmp}/stp-ktest.$$
NAME=stp_ktest
mkdir -p "$T" || exit 1

pass() { echo "PASS: $1"; echo "T: $(cut -d" " -f1 /proc/uptime)"; }
fail() { echo "FAIL: $1 ($(printf '%s' "$2" | tr '\n' '|'))"; }
loaded() { [ -e /sys/module/$NAME ]; }

# Runs staprun with a time limit; output in $T/out, $T/err, $T/rc.
run() {
	timeout 120 "$S" "$@" > "$T/out" 2> "$T/err"
	echo $? > "$T/rc"
}

# result NAME COND-TEXT: PASS when the files say what was expected.
expect() { # name want_rc want_out want_err
	rc=$(cat "$T/rc")
	out=$(cat "$T/out")
	err=$(cat "$T/err")
	if [ "$rc" != "$2" ]; then
		fail "$1" "exit $rc, want $2; stderr: $err"
	elif [ "$out" != "$3" ]; then
		fail "$1" "stdout: $out"
	elif [ "$err" != "$4" ]; then
		fail "$1" "stderr: $err"
	elif loaded; then
		fail "$1" "module still loaded"
	else
		pass "$1"
	fi
}

# wait_for FILE TEXT: until FILE holds TEXT, 60 s at most.
wait_for() {
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 600 ] && return 1
		sleep 0.1
	done
	return 0
}

# Starts staprun in the background (no timeout(1): it would relay each
# signal twice) with a watchdog; bg_wait collects the exit status.
bg_run() {
	"$S" "$@" > "$T/out" 2> "$T/err" &
	pid=$!
	(sleep 120; kill -KILL $pid 2> /dev/null) &
	watchdog=$!
}
bg_wait() {
	wait $pid
	echo $? > "$T/rc"
	kill $watchdog 2> /dev/null
}

cleanup() {
	loaded && timeout 60 "$S" -d $NAME > /dev/null 2>&1
	loaded && rmmod $NAME 2>/dev/null
}

NL='
'

# --- basics ---------------------------------------------------------------
run "$M"
expect "hello: begin and end output, unloaded" 0 "hello${NL}bye" ""
cleanup

run -o "$T/hello.out" "$M"
out=$(cat "$T/hello.out" 2>/dev/null)
if [ "$(cat $T/rc)" = 0 ] && [ "$out" = "hello${NL}bye" ] && [ ! -s "$T/out" ]; then
	pass "-o FILE"
else
	fail "-o FILE" "rc $(cat $T/rc), file: $out"
fi
cleanup

# --- records from every CPU merge in sequence order -----------------------
ncpu=$(grep -c ^processor /proc/cpuinfo)
run -b 16 "$M" mode=multicpu count=20000
total=$((ncpu * 20000))
bad=$(awk -v n="$total" '$1 != NR { b++ } END { if (NR != n) b++; print b + 0 }' "$T/out")
cpus=$(awk '{ print $2 }' "$T/out" | sort -u | wc -l)
if [ "$(cat $T/rc)" = 0 ] && [ "$bad" = 0 ] && [ "$cpus" = "$ncpu" ] && [ ! -s "$T/err" ]; then
	pass "multi-CPU: $total records from $cpus CPUs in sequence order"
else
	fail "multi-CPU merge" "rc $(cat $T/rc), $bad out of place, $cpus of $ncpu CPUs, stderr $(cat $T/err)"
fi
cleanup

# Small buffers: whatever is dropped is counted, what arrives is in order.
run "$M" mode=multicpu count=20000 _stp_subbuf_size=4096 _stp_nsubbufs=4
total=$((ncpu * 20000))
lost=$(sed -n 's/^WARNING: \([0-9]*\) messages\{0,1\} lost$/\1/p' "$T/err")
lines=$(wc -l < "$T/out")
bad=$(awk '$1 <= prev { b++ } { prev = $1 } END { print b + 0 }' "$T/out")
if [ "$bad" = 0 ] && [ $((lines + ${lost:-0})) = "$total" ] && [ "$(cat $T/rc)" = 0 ]; then
	pass "multi-CPU with small buffers: $lines printed + ${lost:-0} lost = $total, in order"
else
	fail "multi-CPU small buffers" "$lines printed, lost '${lost}', $bad out of order, rc $(cat $T/rc)"
fi
cleanup

# --- a full buffer drops whole records and says how many ------------------
run "$M" mode=overflow count=5000 size=1000 _stp_subbuf_size=4096 _stp_nsubbufs=2
lost=$(sed -n 's/^WARNING: \([0-9]*\) messages\{0,1\} lost$/\1/p' "$T/err")
lines=$(wc -l < "$T/out")
badlines=$(awk 'BEGIN { prev = -1 } length($0) != 999 || $1 !~ /^[0-9]+$/ || $1 + 0 <= prev { b++ } { prev = $1 + 0 } END { print b + 0 }' "$T/out")
if [ -n "$lost" ] && [ "$lost" -gt 0 ] && [ $((lines + lost)) = 5000 ] && [ "$badlines" = 0 ]; then
	pass "overflow: $lost lost and reported, $lines whole records in order"
else
	fail "overflow" "$lines printed, lost '$lost', $badlines bad lines, stderr $(cat $T/err)"
fi
cleanup

# --- control messages: in place among the records, error means exit 1 ----
timeout 120 "$S" "$M" mode=ctl > "$T/out" 2>&1
rc=$?
got=$(grep -v '^sys$' "$T/out")
sysafter=$(awk '/^ERROR: e1$/ { e = NR } /^sys$/ { s = NR } END { print (s > e && e > 0) }' "$T/out")
if [ $rc = 1 ] && [ "$got" = "a${NL}WARNING: w1${NL}b${NL}ERROR: e1${NL}c" ] && [ "$sysafter" = 1 ]; then
	pass "warning, error, system() in order with the output; exit 1"
else
	fail "control messages" "rc $rc, output: $(cat $T/out)"
fi
cleanup

run -w "$M" mode=ctl
if [ "$(cat $T/err)" = "ERROR: e1" ]; then pass "-w hides warnings, not errors"; else fail "-w" "stderr: $(cat $T/err)"; fi
cleanup

# --- -c: the command is held until the probes are armed ------------------
run -c 'echo pid=$$' "$M" mode=target
tpid=$(sed -n 's/^target=\([0-9]*\) comm=.*/\1/p' "$T/out")
comm=$(sed -n 's/^target=[0-9]* comm=\(.*\)/\1/p' "$T/out")
if [ "$(cat $T/rc)" = 0 ] && [ -n "$tpid" ] && grep -qx "pid=$tpid" "$T/out" &&
   [ "$comm" = staprun ] && grep -qx bye "$T/out"; then
	pass "-c: target() is the command, held before exec while begin probes ran"
else
	fail "-c target" "rc $(cat $T/rc), out: $(cat $T/out)"
fi
cleanup

# --- SIGINT: end probes run, their output is printed ----------------------
bg_run "$M" mode=sigint
wait_for "$T/out" started
kill -INT $pid
bg_wait
expect "SIGINT: end probes' output printed, exit 0" 0 "started${NL}stopped" ""
cleanup

# --- three SIGINTs force the exit -----------------------------------------
bg_run "$M" mode=stuck
wait_for "$T/out" started
kill -INT $pid
wait_for "$T/out" stopping
kill -INT $pid
wait_for "$T/err" "interrupt once more"
kill -INT $pid
bg_wait
rc=$(cat "$T/rc")
if [ $rc = 1 ] && grep -q "^ERROR: Forced exit on the third interrupt" "$T/err" && ! loaded; then
	pass "third SIGINT forces the exit and unloads"
else
	fail "third SIGINT" "rc $rc, stderr: $(cat $T/err)"
fi
cleanup

# --- -L, -A, -d, SIGQUIT ---------------------------------------------------
run -L "$M" mode=sigint
if [ "$(cat $T/rc)" = 0 ] && loaded &&
   [ "$(cat $T/err)" = "Disconnecting from systemtap module.${NL}To reconnect, type \"staprun -A $NAME\"" ]; then
	pass "-L leaves the module running"
else
	fail "-L" "rc $(cat $T/rc), stderr: $(cat $T/err)"
fi
run "$M" mode=sigint
if [ "$(cat $T/rc)" = 1 ] && [ "$(cat $T/err)" = "ERROR: Module '$NAME' is already loaded: attach to it with 'staprun -A $NAME' or remove it with 'staprun -d $NAME'." ] && loaded; then
	pass "loading a loaded module: one error, the running one untouched"
else
	fail "already loaded" "rc $(cat $T/rc), stderr: $(cat $T/err)"
fi
bg_run -A $NAME
wait_for "$T/out" started
timeout 60 "$S" -A $NAME > "$T/out2" 2> "$T/err2"
rc2=$?
if [ $rc2 = 1 ] && [ "$(cat $T/err2)" = "ERROR: Module $NAME is already attached to another staprun." ]; then
	pass "-A while attached: one error"
else
	fail "-A busy" "rc $rc2, stderr: $(cat $T/err2)"
fi
kill -INT $pid
bg_wait
expect "-A gets the output made while detached, then stops" 0 "started${NL}stopped" ""
cleanup

run -L "$M" mode=sigint
run -d $NAME
expect "-d runs the end probes, prints their output, unloads" 0 "started${NL}stopped" ""
cleanup

bg_run "$M" mode=sigint
wait_for "$T/out" started
kill -QUIT $pid
bg_wait
rc=$(cat "$T/rc")
if [ $rc = 0 ] && loaded && grep -q "^Disconnecting from systemtap module." "$T/err"; then
	pass "SIGQUIT detaches and leaves the module running"
else
	fail "SIGQUIT" "rc $rc, stderr: $(cat $T/err)"
fi
run -d $NAME
expect "-d after SIGQUIT" 0 "stopped" ""
cleanup

# --- garbage on the control file is refused; the module keeps working ----
run -L "$M" mode=sigint
CTL=/sys/kernel/debug/systemtap/$NAME/ctl
refused=0
printf 'not a frame at all' > $CTL 2> /dev/null || refused=$((refused + 1))
printf '\101\0\0\0\010\0\0\0' > $CTL 2> /dev/null || refused=$((refused + 1))
head -c 100000 /dev/urandom | dd of=$CTL bs=64 2> /dev/null || refused=$((refused + 1))
dd if=$CTL of=/dev/null bs=16 count=1 2> /dev/null || refused=$((refused + 1))
run -d $NAME
if [ $refused = 4 ] && [ "$(cat $T/rc)" = 0 ] && [ "$(cat $T/out)" = "started${NL}stopped" ] && ! loaded; then
	pass "garbage written to ctl, and a short read, are refused; the module still works"
else
	fail "garbage on ctl" "$refused of 4 refused, rc $(cat $T/rc), out $(cat $T/out)"
fi
cleanup

# --- failures leave nothing loaded ----------------------------------------
run "$M" mode=startfail
expect "probes that fail to start: their error, exit 1, unloaded" 1 "" "ERROR: probe registration failed"
cleanup

run "$M" _stp_subbuf_size=100
expect "module init failure: one error, nothing loaded" 1 "" \
	"ERROR: Couldn't insert module '$(readlink -f "$M")': Invalid parameters"
cleanup

run "$M" bogus=1
expect "unknown global refused before loading" 1 "" \
	"ERROR: Unknown global variable 'bogus' in module options."
cleanup

run -d $NAME
expect "-d of a module that is not loaded" 1 "" "ERROR: Module $NAME is not loaded."

# --- the kernel said nothing bad -------------------------------------------
if dmesg | grep -E 'WARNING: CPU|BUG:|Oops|general protection|INFO: task .* blocked|lockdep|UBSAN|KASAN' > "$T/dmesg"; then
	fail "dmesg clean" "$(head -5 $T/dmesg)"
else
	pass "dmesg has no warnings, bugs or oopses"
fi
rm -rf "$T"
