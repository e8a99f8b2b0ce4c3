#!/bin/sh
# Pass-2 work on a big -g program: ustap's debuginfo layer against
# SystemTap's own pass 2 on the same probe points, in the same run.
#
# The program (bench/debuginfo-gen.sh: 40 files x 250 functions, -g -O2)
# is built once under $TMPDIR.  For each probe point, SystemTap's time is
# its "Pass 2" line of stap -v (its tapset parsing, pass 1, is left out);
# ustap's is the whole of `dwquery resolve` -- opening the file, indexing
# it, matching, and generating the C for each $expression -- the best of
# three runs.  Prints one line per case and the ratio ustap/SystemTap
# (the target is at most 0.33).
#
# Usage: bench/debuginfo-bench.sh [BUILD-DIR]   (default: ./build)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
dwquery=$build/testsuite/tools/dwquery
release=6.1.0-50-amd64
work=${TMPDIR:-/tmp}/ustap-bench-debuginfo
if [ ! -x "$dwquery" ]; then
	echo "debuginfo-bench: build $dwquery first (make check or make testsuite/tools/dwquery)" >&2
	exit 1
fi
if ! command -v stap >/dev/null || [ ! -d /lib/modules/$release/build ]; then
	echo "debuginfo-bench: SystemTap and the $release kernel headers are needed" >&2
	exit 1
fi
big=$work/big
if [ ! -x "$big" ]; then
	echo "debuginfo-bench: generating and building $big ..." >&2
	rm -rf "$work"
	"$top/bench/debuginfo-gen.sh" "$work/src"
	ls "$work"/src/*.c | xargs -P2 -n1 sh -c 'gcc -g -O2 -c -o "${0%.c}.o" "$0"'
	gcc -o "$big" "$work"/src/*.o
fi
size=$(du -k "$big" | cut -f1)
echo "program: $big (${size} KiB, $(nm "$big" | grep -c ' T fn_') functions)"

now_ms() { date +%s%3N; }

# Best of three wall times of a command, in ms.
best_ms() {
	best=
	for i in 1 2 3; do
		t0=$(now_ms)
		"$@" >/dev/null 2>&1 || true
		t=$(( $(now_ms) - t0 ))
		if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
	done
	echo "$best"
}

# SystemTap's own Pass 2 time, in ms, for a script.
stap_pass2_ms() {
	stap -r $release -p2 -v -e "$1" 2>&1 >/dev/null |
		sed -n 's/^Pass 2: .* in [0-9]*usr\/[0-9]*sys\/\([0-9]*\)real ms\./\1/p'
}

run_case() {
	name=$1 pattern=$2
	shift 2
	body=
	for e in "$@"; do body="$body println($e);"; done
	ref=$(stap_pass2_ms "probe process(\"$big\").function(\"$pattern\") {$body }")
	ours=$(best_ms "$dwquery" "$big" resolve "$pattern" "$@")
	what=$("$dwquery" "$big" resolve "$pattern" "$@")
	if [ -z "$ref" ] || [ "$ref" -eq 0 ]; then
		echo "$name: SystemTap's pass 2 failed or took no time" >&2
		return
	fi
	ratio=$(awk -v a="$ours" -v b="$ref" 'BEGIN { printf "%.3f", a / b }')
	printf '%-34s stap pass 2 %6d ms   ustap %5d ms   ratio %s   (%s)\n' "$name" "$ref" \
		"$ours" "$ratio" "$what"
}

run_case "one function, two \$vars" fn_20_100 '$a' '$b->first->weight'
run_case "250 functions (fn_7_*), \$var" 'fn_7_*' '$c'
run_case "all functions, no \$vars" '*'
run_case "all functions, \$\$parms" 'fn_*' '$$parms'
