#!/bin/bash
# Guest half of bench/kernel-peer-cost, run chrooted in the host's root
# (so the host paths the scripts name are the paths probed here).
# Environment: PEER_DIR (programs, modules and notes the host made),
# BUILD (the project's build folder: its staprun), BENCH_N (getppid
# calls a burst), BENCH_HITS (work() calls a burst), BENCH_ROUNDS,
# BENCH_TRACERS (a subset of ours,oursb,stap,bpf,tp,oursfn,oursfe,bpffn,
# to debug), BUILD_B (another build folder: oursb is its module).
#
# Two long-lived processes pinned to vCPU 0 run one burst per byte they
# read: T (bench_loop, the traced program) and U (the same binary under
# another path: nobody's target).  Each tracer is loaded once a round,
# and while it is loaded T and U burst in turn; rounds rotate the order of
# the tracers, so drift hits all alike.  Interference only adds time, so
# the minimum over bursts is the estimate; medians are shown beside it.
# Each load first runs a warm-up burst and checks at the end that the
# tracer counted exactly the getppid calls (or work() calls) it saw.
set -u
export PATH=/usr/sbin:/usr/bin:/sbin:/bin TMPDIR=/run
W=$PEER_DIR
N=${BENCH_N:-100000}
HITS=${BENCH_HITS:-20000}
ROUNDS=${BENCH_ROUNDS:-6}
STAPRUN=$BUILD/staprun/staprun
D=/run/peer
mkdir -p "$D"
cd "$D" || exit 1

say() { echo "bench: $*"; }

# ---- the bursting processes ----
declare -A wfd rfd ppid
spawn() {
	# spawn NAME CMD...: starts CMD pinned to vCPU 0, fed through fifos
	local name=$1 w r
	shift
	mkfifo "$D/$name.in" "$D/$name.out"
	taskset 1 "$@" < "$D/$name.in" > "$D/$name.out" &
	ppid[$name]=$!
	exec {w}> "$D/$name.in"
	exec {r}< "$D/$name.out"
	wfd[$name]=$w
	rfd[$name]=$r
}
burst() {
	# burst NAME: one burst; prints its nanoseconds per call
	local line
	printf x >&"${wfd[$1]}"
	read -r line <&"${rfd[$1]}" || return 1
	echo "$line"
}

# ---- the tracers: start_X prints nothing and returns 0 once attached ----
# bg_start LOG CMD... runs CMD in the background; bg_wait LOG RE SECONDS
# waits for RE in LOG, or for CMD's end (then the log says why).
bg_start() {
	local log=$1
	shift
	"$@" > "$log" 2>&1 &
	bg=$!
}
bg_wait() {
	local i=0
	while ! grep -q "$2" "$1"; do
		kill -0 "$bg" 2> /dev/null || return 1
		i=$((i + 1))
		[ "$i" -ge $(($3 * 10)) ] && return 1
		sleep 0.1
	done
}
bg_stop() {
	kill -INT "$bg" 2> /dev/null
	wait "$bg"
}
why() { tr '\n' ' ' < "$1" | cut -c1-300; }

# Each tracer: start (0 once attached), stop, and its count of the
# probed events (getppid calls for the syscall tracers).
start_ours() { bg_start "$D/ours.log" "$STAPRUN" "$W/peer_sc.ko" && bg_wait "$D/ours.log" '^ready' 120; }
start_oursb() {
	bg_start "$D/oursb.log" "$BUILD_B/staprun/staprun" "$W/peer_sc_b.ko" &&
		bg_wait "$D/oursb.log" '^ready' 120
}
start_stap() { bg_start "$D/stap.log" /usr/bin/staprun "$W/peer_sc48.ko" && bg_wait "$D/stap.log" '^ready' 120; }
start_bpf() {
	bg_start "$D/bpf.log" bpftrace -e \
		"tracepoint:raw_syscalls:sys_enter /pid == ${ppid[T]}/ { @n[args->id]++ }" &&
		bg_wait "$D/bpf.log" '^Attaching' 600
}
start_tp() { insmod /run/bench_tp.ko target="${ppid[T]}" > "$D/tp.log" 2>&1; }
start_oursfn() { bg_start "$D/oursfn.log" "$STAPRUN" "$W/peer_fn.ko" && bg_wait "$D/oursfn.log" '^ready' 120; }
start_oursfe() { bg_start "$D/oursfe.log" "$STAPRUN" "$W/peer_fe.ko" && bg_wait "$D/oursfe.log" '^ready' 120; }
start_bpffn() {
	bg_start "$D/bpffn.log" bpftrace -e "uprobe:$W/peer-work:work { @n++ }" &&
		bg_wait "$D/bpffn.log" '^Attaching' 600
}
stop_tp() { rmmod bench_tp; }
count_ours() { sed -n 's/^count //p' "$D/ours.log"; }
count_oursb() { sed -n 's/^count //p' "$D/oursb.log"; }
count_stap() { sed -n 's/^count //p' "$D/stap.log"; }
count_bpf() { sed -n 's/^@n\[110\]: //p' "$D/bpf.log"; }
count_tp() { echo -; }
count_oursfn() { sed -n 's/^count //p' "$D/oursfn.log"; }
count_oursfe() { sed -n 's/^count //p' "$D/oursfe.log"; }
count_bpffn() { sed -n 's/^@n: //p' "$D/bpffn.log"; }

# ---- one load of a tracer ----
declare -A broken
# measure X PROC UNTRACED: loads X, bursts PROC (and UNTRACED, if any)
# twice after a warm-up burst, unloads X and checks its count.
measure() {
	local x=$1 p=$2 u=${3:-} want c i
	[ -n "${broken[$x]:-}" ] && return
	if ! "start_$x"; then
		broken[$x]="did not attach: $(why "$D/$x.log")"
		[ "$x" = tp ] || bg_stop
		return
	fi
	# bpftrace says "Attaching" before it attaches: the warm-up burst
	# (counted too) comes after a pause.
	sleep 1
	burst "$p" > /dev/null
	: > "$D/load.traced"
	: > "$D/load.untraced"
	for i in 1 2; do
		burst "$p" >> "$D/load.traced"
		[ -n "$u" ] && burst "$u" >> "$D/load.untraced"
	done
	if [ "$x" = tp ]; then stop_tp; else bg_stop; fi
	want=$((3 * ${n[$p]}))
	c=$("count_$x")
	echo "$c/$want" >> "$D/$x.counts"
	# A tracer that missed calls (it stopped, or attached late) timed
	# partly untraced bursts: they would flatter it, so they are dropped.
	if [ "$c" != - ] && [ "$c" != "$want" ]; then
		say "count of $x: $c, expected $want (bursts dropped); its output: $(why "$D/$x.log")"
	else
		cat "$D/load.traced" >> "$D/$x.traced"
		cat "$D/load.untraced" >> "$D/$x.untraced"
	fi
	# No tracer again, as often as any tracer: the base follows drift.
	burst "$p" >> "$D/base.$p"
	[ -n "$u" ] && burst "$u" >> "$D/base.$u"
}

declare -A n=([T]=$N [U]=$N [F]=$HITS)
spawn T "$W/bench_loop" -G "$N"
spawn U "$W/bench_other" -G "$N"
spawn F "$W/peer-work" "$HITS"

# Peers the host could not build for this kernel.
for x in stap; do
	[ -f "$W/peer_sc48.why" ] && broken[$x]="not built: $(why "$W/peer_sc48.why")"
done
command -v bpftrace > /dev/null || { broken[bpf]="no bpftrace"; broken[bpffn]="no bpftrace"; }

for f in T U F; do burst $f > /dev/null; done	# TCG translates the loops once
default=ours,stap,bpf,tp,oursfn,oursfe,bpffn
[ -n "${BUILD_B:-}" ] && default=ours,oursb,stap,bpf,tp,oursfn,oursfe,bpffn
IFS=, read -r -a tracers <<< "${BENCH_TRACERS:-$default}"
r=0
while [ $r -lt "$ROUNDS" ]; do
	for k in "${!tracers[@]}"; do
		x=${tracers[$(((k + r) % ${#tracers[@]}))]}
		case $x in
		*fn | *fe) measure "$x" F ;;
		*) measure "$x" T U ;;
		esac
	done
	r=$((r + 1))
done
for f in T U F; do eval "exec ${wfd[$f]}>&-"; done
wait

. "$(dirname "$0")/peer-report.sh"
