#!/bin/bash
# Passes 3 and 4 against SystemTap 4.8, measured in the same run,
# alternating:
#
#   1. passes 1-3 of a process.syscall script (time to -p3), with ustap's
#      own library and with Debian's (which SystemTap parses);
#   2. a cold pass 4 (--disable-cache) of a begin/timer script: ustap's
#      ptrace .so and kernel .ko against SystemTap's kernel pass 4, which
#      fails on this kernel after compiling most of its runtime: its time
#      to fail is what can be measured;
#   3. a cache hit, from start to a runnable module (stap -p4);
#   4. module sizes.
#
#   bench/pass34.sh [STAP] [RUNS]
#
# Prints medians and the ratios reference/ustap.  Goals: passes 1-3 in at
# most 20 ms, a cold pass 4 in at most a third of SystemTap's time, a hit
# in at most 100 ms, a module at most a quarter of SystemTap's size
# (600 KB for a syscall_name() script).
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
STAP=${1:-$HERE/../build/stap}
RUNS=${2:-11}
REF=${REF_STAP:-stap}
REL=${REF_RELEASE:-6.1.0-50-amd64}
LIB=${REF_TAPSET:-/usr/share/systemtap/tapset}
SRC=$(cd "$HERE/.." && pwd)
export SYSTEMTAP_TAPSET=${SYSTEMTAP_TAPSET:-$SRC/tapset}
export SYSTEMTAP_RUNTIME=${SYSTEMTAP_RUNTIME:-$SRC/runtime}
REFENV="env -u SYSTEMTAP_TAPSET -u SYSTEMTAP_RUNTIME"
P3='probe process("/bin/true").syscall { printf("%d %d %s\n", $syscall, $arg1, $$parms) }'
P4='global n probe begin { println("hi") } probe timer.ms(10) { if (++n > 3) exit() }'
P5='probe process.syscall { println(syscall_name($syscall)) }'

command -v "$REF" >/dev/null || { echo "pass34: no reference stap (Debian package systemtap)"; exit 77; }
[ -x "$STAP" ] || { echo "pass34: $STAP not built"; exit 77; }

WORK=$(mktemp -d)
TIMES=$WORK/times
trap 'rm -rf "$WORK"' EXIT
export SYSTEMTAP_DIR=$WORK/sysdir

# One timed run: prints "WALL_MS CPU_MS" (CPU: user+sys of the children,
# compilers included).  ok=0 accepts a failing command (SystemTap's pass 4).
measure() {
	local ok=$1 t0 t1
	shift
	t0=$(date +%s%N)
	if ! "$@" >/dev/null 2>&1 && [ "$ok" = 1 ]; then
		echo "pass34: failed: $*" >&2
		exit 1
	fi
	t1=$(date +%s%N)
	times >"$TIMES"
	awk -v wall=$(( (t1 - t0) / 1000000 )) 'NR == 2 {
		split($1, u, /[ms]/); split($2, s, /[ms]/)
		printf "%d %d\n", wall, (u[1] * 60 + u[2] + s[1] * 60 + s[2]) * 1000 }' "$TIMES"
}

median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

# run NAME RUNS OK CMD...: median wall and cpu into NAME_w, NAME_c
run() {
	local name=$1 n=$2 ok=$3 w c i ws=() cs=()
	shift 3
	for ((i = 0; i < n; i++)); do
		read -r w c < <(measure "$ok" "$@")
		ws+=("$w"); cs+=("$c")
	done
	printf -v "${name}_w" '%s' "$(printf '%s\n' "${ws[@]}" | median)"
	printf -v "${name}_c" '%s' "$(printf '%s\n' "${cs[@]}" | median)"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1fx", a / (b > 0 ? b : 1) }'; }

echo "pass34: $RUNS runs each (cold builds: 3), medians"

# ---- 1. passes 1-3, alternating ----
ow_=() oc_=() dw_=() dc_=() rw_=() rc_=()
for ((i = 0; i < RUNS; i++)); do
	read -r w c < <(measure 1 "$STAP" --runtime=ptrace -p3 -e "$P3"); ow_+=("$w"); oc_+=("$c")
	read -r w c < <(measure 1 env SYSTEMTAP_TAPSET="$LIB" "$STAP" --runtime=ptrace -p3 -e "$P3")
	dw_+=("$w"); dc_+=("$c")
	read -r w c < <(measure 1 $REFENV "$REF" -r "$REL" -p3 -e "$P3"); rw_+=("$w"); rc_+=("$c")
done
ow=$(printf '%s\n' "${ow_[@]}" | median); oc=$(printf '%s\n' "${oc_[@]}" | median)
dw=$(printf '%s\n' "${dw_[@]}" | median); dc=$(printf '%s\n' "${dc_[@]}" | median)
rw=$(printf '%s\n' "${rw_[@]}" | median); rc=$(printf '%s\n' "${rc_[@]}" | median)
echo "pass34: passes 1-3 of: $P3"
printf 'pass34:   ustap, its library      %6d ms wall %6d ms cpu (goal: 20 ms)\n' "$ow" "$oc"
printf 'pass34:   ustap, Debian library   %6d ms wall %6d ms cpu\n' "$dw" "$dc"
printf 'pass34:   stap 4.8                %6d ms wall %6d ms cpu\n' "$rw" "$rc"
echo "pass34:   ratio stap/ustap: wall $(ratio "$rw" "$ow") ($(ratio "$rw" "$dw") on Debian's library), cpu $(ratio "$rc" "$oc")"

# ---- 2. cold pass 4 ----
run cu 3 1 "$STAP" --runtime=ptrace --disable-cache -p4 -e "$P4"
if [ -f "/lib/modules/$REL/build/Makefile" ]; then
	run ck 3 1 "$STAP" --runtime=kernel -r "$REL" --disable-cache -p4 -e "$P4"
else
	ck_w=0 ck_c=0
fi
run cr 3 0 $REFENV "$REF" -r "$REL" --disable-cache -p4 -e "$P4"
echo "pass34: cold pass 4 (passes 1-4) of: $P4"
printf 'pass34:   ustap ptrace .so        %6d ms wall %6d ms cpu\n' "$cu_w" "$cu_c"
printf 'pass34:   ustap kernel .ko        %6d ms wall %6d ms cpu\n' "$ck_w" "$ck_c"
printf 'pass34:   stap 4.8 kernel (fails) %6d ms wall %6d ms cpu (time to its failure)\n' "$cr_w" "$cr_c"
echo "pass34:   ratio stap/ustap: .so wall $(ratio "$cr_w" "$cu_w") cpu $(ratio "$cr_c" "$cu_c"); .ko wall $(ratio "$cr_w" "$ck_w") cpu $(ratio "$cr_c" "$ck_c") (goal: 3x)"

# ---- 3. cache hit ----
"$STAP" --runtime=ptrace -p4 -e "$P4" >/dev/null 2>&1
run hit "$RUNS" 1 "$STAP" --runtime=ptrace -p4 -e "$P4"
run ref2 "$RUNS" 1 $REFENV "$REF" -r "$REL" -p2 -e "$P4"
echo "pass34: cache hit, start to a runnable module (stap -p4, warm cache)"
printf 'pass34:   ustap                   %6d ms wall %6d ms cpu (goal: 100 ms)\n' "$hit_w" "$hit_c"
printf 'pass34:   stap 4.8 passes 1-2     %6d ms wall %6d ms cpu (its hit cannot be faster; its pass 4 never succeeds here)\n' "$ref2_w" "$ref2_c"

# ---- 4. sizes ----
size_kb() { echo $(( $(stat -c %s "$1") / 1024 )); }
sizes() {
	local so ko
	so=$("$STAP" --runtime=ptrace -p4 -e "$1" 2>/dev/null)
	printf 'pass34:   %-26s .so %d KB' "$2" "$(size_kb "$so")"
	if [ -f "/lib/modules/$REL/build/Makefile" ]; then
		ko=$("$STAP" --runtime=kernel -r "$REL" -p4 -e "$1" 2>/dev/null)
		printf ', .ko %d KB' "$(size_kb "$ko")"
		KO_KB=$(size_kb "$ko")
	fi
	echo
}
echo "pass34: module sizes"
sizes "$P4" "begin/timer script"
sizes "$P5" "syscall_name() script"
# SystemTap's pass 4 fails on this machine's kernel, so its size is the
# figure measured where it builds (the issue's 600 KB).
[ -n "${KO_KB:-}" ] && echo "pass34:   ratio SystemTap's 600 KB/ustap .ko: $(ratio 600 "$KO_KB") (goal: 4x)"
