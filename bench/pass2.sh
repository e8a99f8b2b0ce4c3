#!/bin/bash
# Passes 1-2 on a process.syscall script: ustap against SystemTap 4.8,
# measured in the same run, alternating, on the same tapset library
# (Debian's /usr/share/systemtap/tapset, which both parse in pass 1).
#
#   bench/pass2.sh [STAP] [RUNS]
#
# Prints each side's median wall and CPU (user+sys) time and the ratios
# reference/ustap.  The goal: ustap at least 5 times faster.
set -eu

STAP=${1:-$(dirname "$0")/../build/stap}
RUNS=${2:-21}
REF=${REF_STAP:-stap}
REL=${REF_RELEASE:-6.1.0-50-amd64}
LIB=${REF_TAPSET:-/usr/share/systemtap/tapset}
SCRIPT='probe process("/bin/true").syscall { printf("%d %d %s\n", $syscall, $arg1, $$parms) }'

command -v "$REF" >/dev/null || { echo "pass2: no reference stap (Debian package systemtap)"; exit 77; }
[ -x "$STAP" ] || { echo "pass2: $STAP not built"; exit 77; }
[ -d "$LIB" ] || { echo "pass2: no tapset library at $LIB"; exit 77; }

# One timed run, in its own subshell: prints "WALL_MS CPU_MS" (CPU: the
# user+sys time of the children, from the shell's `times`).
measure() {
	local t0 t1
	t0=$(date +%s%N)
	"$@" >/dev/null 2>&1 || { echo "pass2: failed: $*" >&2; exit 1; }
	t1=$(date +%s%N)
	# `times` must run in this shell (not a pipeline's subshell) to
	# see the children it waited for.
	times >"$TIMES"
	awk -v wall=$(( (t1 - t0) / 1000000 )) 'NR == 2 {
		split($1, u, /[ms]/); split($2, s, /[ms]/)
		printf "%d %d\n", wall, (u[1] * 60 + u[2] + s[1] * 60 + s[2]) * 1000 }' "$TIMES"
}

TIMES=$(mktemp)
trap 'rm -f "$TIMES"' EXIT

median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

ours_w=() ours_c=() ref_w=() ref_c=()
for ((i = 0; i < RUNS; i++)); do
	read -r w c < <(measure env SYSTEMTAP_TAPSET="$LIB" "$STAP" -p2 -e "$SCRIPT")
	ours_w+=("$w"); ours_c+=("$c")
	read -r w c < <(measure "$REF" -r "$REL" -p2 -e "$SCRIPT")
	ref_w+=("$w"); ref_c+=("$c")
done

ow=$(printf '%s\n' "${ours_w[@]}" | median)
oc=$(printf '%s\n' "${ours_c[@]}" | median)
rw=$(printf '%s\n' "${ref_w[@]}" | median)
rc=$(printf '%s\n' "${ref_c[@]}" | median)
echo "pass2: $RUNS runs each, passes 1-2 on: $SCRIPT"
printf 'pass2: ustap     median %5d ms wall %5d ms cpu\n' "$ow" "$oc"
printf 'pass2: stap 4.8  median %5d ms wall %5d ms cpu\n' "$rw" "$rc"
awk -v ow="$ow" -v rw="$rw" -v oc="$oc" -v rc="$rc" 'BEGIN {
	printf "pass2: ratio (stap/ustap) wall %.1fx, cpu %.1fx (goal: 5x)\n",
	       rw / (ow > 0 ? ow : 1), rc / (oc > 0 ? oc : 1) }'
