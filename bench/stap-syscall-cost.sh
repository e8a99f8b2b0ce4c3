#!/bin/bash
# Per-syscall cost of process.syscall probes through the whole tool (stap
# -c on the ptrace runtime, module from the cache) against strace -f -c,
# both measured in the same run on the same workloads:
#
#   1. every syscall, entry and return: probe process.syscall,
#      process.syscall.return { n++ } on pt-target making N getppid();
#   2. entry probes on two syscalls of a workload that makes many others:
#      pt-target "mix" (six cheap syscalls a round, N/6 rounds), the probes counting
#      getppid and getuid only (the script names them, so the seccomp
#      filter of a -c target stops only those).
#
# Cost per syscall = (traced - baseline) / syscalls, where the baseline
# is the same tool running the workload with nothing traced (stap: a
# process.begin probe only, so startup and the module's load count on
# both sides).  Best of 5, interleaved.  Goals (issue 5): workload 1 at
# most 1.0x strace, workload 2 at most 0.2x.
#
#   bench/stap-syscall-cost.sh [BUILDDIR] [N]
set -eu
B=$(cd "${1:-build}" && pwd)
N=${2:-100000}
STAP=$B/stap-inplace
T=$B/testsuite/stap.ptrace/pt-target
for f in "$STAP" "$T"; do
	[ -x "$f" ] || { echo "stap-syscall-cost: $f not built (make check builds pt-target)"; exit 77; }
done
command -v strace >/dev/null || { echo "stap-syscall-cost: no strace"; exit 77; }

ALL='global n probe process.syscall, process.syscall.return { n++ } probe end { printf("%d\n", n) }'
TWO='global n probe process.syscall { if ($syscall == 110 || $syscall == 102) n++ } probe end { printf("%d\n", n) }'
NONE='global b probe process.begin { b++ } probe end { printf("%d\n", b) }'

now() { date +%s%N; }
best() { sort -n | head -1; }
# time_of CMD...: wall nanoseconds of one run, output discarded
time_of() {
	local t0 t1
	t0=$(now)
	"$@" > /dev/null 2>&1
	t1=$(now)
	echo $((t1 - t0))
}

# Warm the module cache: the figures are of running, not building.
for s in "$ALL" "$TWO" "$NONE"; do "$STAP" --runtime=ptrace -p4 -e "$s" > /dev/null; done

declare -A r
for w in "getppid $N" "mix $((N / 6))"; do
	for k in plain strace none all two; do r[$w,$k]=""; done
	for i in 1 2 3 4 5; do
		r[$w,plain]+="$(time_of $T $w) "
		r[$w,strace]+="$(time_of strace -f -c -o /dev/null $T $w) "
		r[$w,none]+="$(time_of "$STAP" --runtime=ptrace -e "$NONE" -c "$T $w") "
		r[$w,all]+="$(time_of "$STAP" --runtime=ptrace -e "$ALL" -c "$T $w") "
		r[$w,two]+="$(time_of "$STAP" --runtime=ptrace -e "$TWO" -c "$T $w") "
	done
done
b() { tr ' ' '\n' <<< "${r[$1,$2]}" | grep . | best; }
per() { awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN { printf "%.2f", (a - b) / n / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }

# report NUM WORKLOAD KEY GOAL TITLE: strace and the script KEY on WORKLOAD.
report() {
	local s o
	s=$(per "$(b "$2" strace)" "$(b "$2" plain)" "$N")
	o=$(per "$(b "$2" "$3")" "$(b "$2" none)" "$N")
	echo "stap-syscall-cost: $1. $5"
	echo "stap-syscall-cost:    strace -f -c      $s us a syscall"
	echo "stap-syscall-cost:    stap (ptrace)     $o us a syscall"
	echo "stap-syscall-cost:    ratio stap/strace $(ratio "$o" "$s") (goal: $4)"
}
report 1 "getppid $N" all 1.0x "$N getppid(), every syscall at entry and return"
report 2 "mix $((N / 6))" two 0.2x "mix, $((N / 6 * 6)) syscalls, probes on getppid and getuid only"
