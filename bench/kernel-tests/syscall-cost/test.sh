# Per-syscall cost of getppid in one boot: an untraced process without
# the module, with it loaded (one engine tracing another process's
# syscalls), with its flag filtering off, and with a minimal sys_enter
# module (the peer) loaded; then a traced process, under the utrace
# layer and under the peer.  Rounds
# alternate the configurations so drift hits all alike.  Other load on
# the host only ever adds time, so the minimum over rounds is the
# estimate the ratios use; medians are shown beside it.
# timeout: 600
N=${BENCH_N:-150000}
ROUNDS=${BENCH_ROUNDS:-30}

sleep 100000 &
sleeper=$!
loop() { taskset 1 ./bench_loop "$@"; }
# The minimal module is in the shared lib folder (peer-cost uses it too).
ko() { if [ -f "./$1.ko" ]; then echo "./$1.ko"; else echo "$KTEST_LIB/$1.ko"; fi; }
in_read() { [ "$(cut -d' ' -f1 "/proc/$1/syscall" 2>/dev/null)" = 0 ]; }
# traced MODULE: a gated loop, traced by MODULE (target=its pid).
traced() {
	rm -f /tmp/bench-gate
	mkfifo /tmp/bench-gate
	exec 6<> /tmp/bench-gate
	# Not through loop(): a function in the background is a subshell.
	taskset 1 ./bench_loop -g "$N" <&6 > /tmp/bench-traced &
	p=$!
	exec 6>&-
	wait_until 30 in_read "$p" || return 1
	insmod "$(ko "$1")" target="$p" || return 1
	printf x > /tmp/bench-gate
	wait "$p"
	rmmod "$1"
	cat /tmp/bench-traced
}
# untraced MODULE ARGS...: the loop while MODULE traces the sleeper.
untraced() {
	m=$1
	shift
	insmod "$(ko "$m")" target="$sleeper" "$@" || return 1
	loop "$N"
	rmmod "$m"
}

for f in base filt all tp traced tptraced; do : > /tmp/$f; done
loop "$N" > /dev/null	# warm up: TCG translates the loop once
r=0
while [ $r -lt "$ROUNDS" ]; do
	loop "$N" >> /tmp/base
	untraced bench_utrace filter=1 >> /tmp/filt || exit 1
	untraced bench_utrace filter=0 >> /tmp/all || exit 1
	untraced bench_tp >> /tmp/tp || exit 1
	traced bench_utrace >> /tmp/traced || exit 1
	traced bench_tp >> /tmp/tptraced || exit 1
	r=$((r + 1))
done
kill "$sleeper"

median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
minimum() { sort -n "$1" | head -n 1; }
base=$(minimum /tmp/base)
row() {
	awk -v t="$1" -v m="$(minimum "$2")" -v md="$(median "$2")" -v b="$base" \
		'BEGIN { printf "bench: %-46s %7.1f ns  ratio %.3f (%+6.1f ns)  median %7.1f ns\n", t, m, m / b, m - b, md }'
}
echo "bench: getppid, $ROUNDS rounds of $N calls, pinned to one vCPU (TCG); min over rounds"
row "untraced process, no module" /tmp/base
row "untraced process, ustap module loaded" /tmp/filt
row "untraced process, ustap module, no filtering" /tmp/all
row "untraced process, minimal sys_enter module" /tmp/tp
row "traced process, ustap engine counting by nr" /tmp/traced
row "traced process, minimal module counting by nr" /tmp/tptraced
awk -v a="$(minimum /tmp/traced)" -v b="$(minimum /tmp/tptraced)" -v n="$base" \
	'BEGIN { printf "bench: traced: ustap adds %.2f times what the minimal module adds\n", (a - n) / (b - n) }'
for f in base filt all tp traced tptraced; do echo "rounds $f: $(tr '\n' ' ' < /tmp/$f)"; done
