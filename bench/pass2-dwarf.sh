#!/bin/bash
# Pass 2 on DWARF probes: `stap -p2` end to end, ustap against SystemTap
# 4.8 (`stap -r 6.1.0-50-amd64 -p2`), on the same scripts, alternating,
# both on Debian's tapset library.
#
#   bench/pass2-dwarf.sh [STAP] [RUNS]
#
# The program is bench/debuginfo-gen.sh's: 40 files x 250 functions, built
# with -g -O2 once under $TMPDIR (10,000 functions, 10,000 inlined
# instances).  Prints, per script, each side's median wall time and the
# ratio ustap/SystemTap; the goal is at most 0.33.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
STAP=${1:-$top/build/stap}
RUNS=${2:-5}
REF=${REF_STAP:-stap}
REL=${REF_RELEASE:-6.1.0-50-amd64}
LIB=${REF_TAPSET:-/usr/share/systemtap/tapset}
work=${TMPDIR:-/tmp}/ustap-bench-debuginfo
big=$work/big

command -v "$REF" >/dev/null || { echo "pass2-dwarf: no reference stap (Debian package systemtap)"; exit 77; }
[ -x "$STAP" ] || { echo "pass2-dwarf: $STAP not built"; exit 77; }
[ -d "$LIB" ] || { echo "pass2-dwarf: no tapset library at $LIB"; exit 77; }
[ -d "/lib/modules/$REL/build" ] || { echo "pass2-dwarf: no $REL kernel headers for the reference"; exit 77; }

if [ ! -x "$big" ]; then
	echo "pass2-dwarf: generating and building $big ..." >&2
	rm -rf "$work"
	"$top/bench/debuginfo-gen.sh" "$work/src"
	ls "$work"/src/*.c | xargs -P2 -n1 sh -c 'gcc -g -O2 -c -o "${0%.c}.o" "$0"'
	gcc -o "$big" "$work"/src/*.o
fi

now_ms() { date +%s%3N; }

# Wall time of one run in ms; a failed run fails the benchmark, so both
# sides are seen to do the same work.
run_ms() {
	local t0 t1
	t0=$(now_ms)
	"$@" >/dev/null 2>&1 || { echo "pass2-dwarf: failed: $*" >&2; exit 1; }
	t1=$(now_ms)
	echo $((t1 - t0))
}

median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

bench_case() {
	local name=$1 script=$2 ours=() ref=() i
	for ((i = 0; i < RUNS; i++)); do
		ours+=("$(run_ms env SYSTEMTAP_TAPSET="$LIB" "$STAP" -p2 -e "$script")")
		ref+=("$(run_ms "$REF" -r "$REL" -p2 -e "$script")")
	done
	local o r
	o=$(printf '%s\n' "${ours[@]}" | median)
	r=$(printf '%s\n' "${ref[@]}" | median)
	awk -v n="$name" -v o="$o" -v r="$r" 'BEGIN {
		printf "pass2-dwarf: %-36s ustap %6d ms  stap 4.8 %6d ms  ratio %.2f\n",
		       n, o, r, o / (r > 0 ? r : 1) }'
}

p="process(\"$big\")"
echo "pass2-dwarf: $big ($(du -kL "$big" | cut -f1) KiB), $RUNS runs each, medians"
bench_case "one function, two \$vars" "probe $p.function(\"fn_7_100\") { println(\$a, \$c) }"
bench_case "250 functions, \$b->first->weight" \
	"probe $p.function(\"fn_7_*\") { println(\$b->first->weight) }"
bench_case "50 statements of 10 functions" "probe $p.statement(\"fn_3_1?@*:*\") { println(1) }"
bench_case "function(\"*\"): 20,000 probes" "probe $p.function(\"*\") { println(1) }"
bench_case "10,000 functions with \$\$parms" "probe $p.function(\"fn_*\") { println(\$\$parms) }"
