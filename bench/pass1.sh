#!/bin/sh
# make bench: pass 1 (stap -p1) speed and peak memory against SystemTap's
# own stap (Debian's systemtap), on the same inputs, in the same run:
#   1. a generated 1,000-line script with the project's tapset library;
#   2. a one-line script with Debian's whole tapset library, which each
#      reads for the kernel runtime (top folder, linux/, x86_64 folders):
#      ustap's pass 1 scans the library and parses files when pass 2
#      needs them (translate/library.c), SystemTap's parses every file;
#   3. the same library with every file parsed by ustap's parser too
#      (testsuite/tools/p1check -n), against the same SystemTap run.
# Prints each side's median time and peak RSS, and the ratios; the goals
# are 10 times faster and at most a third of SystemTap's memory.
#
#   bench/pass1.sh STAP MEASURE SRCDIR P1CHECK [RUNS]
set -eu
ours=$1
measure=$2
srcdir=$3
p1check=$4
runs=${5:-11}
ref=/usr/bin/stap
release=6.1.0-50-amd64
debian=/usr/share/systemtap/tapset

if ! "$ref" -V 2>&1 | grep -q 'Systemtap translator'; then
	echo "pass1 bench: SystemTap's stap ($ref) is not installed; nothing to compare" >&2
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 40 blocks of 25 lines: declarations, loops, arrays, statistics, strings.
awk 'BEGIN {
	for (i = 1; i <= 40; i++) {
		printf "global counts_%d, totals_%d[100], names_%d\n", i, i, i
		printf "function helper_%d:long (a:long, b:string) {\n", i
		printf "\tif (a > %d && strlen(b) < 10) {\n", i
		printf "\t\treturn a * 2 + %d\n", i
		printf "\t} else if (a < 0) {\n\t\treturn -a\n\t}\n"
		printf "\tfor (k = 0; k < a; k++) {\n"
		printf "\t\ttotals_%d[k %% 7] += k << 1 | %d\n\t}\n", i, i
		printf "\treturn 0\n}\n"
		printf "probe timer.ms(%d), process(\"/bin/ls\").function(\"main\").return? {\n", i * 10
		printf "\tcounts_%d <<< helper_%d(%d, \"block %d\")\n", i, i, i, i
		printf "\tnames_%d[execname(), pid()] = sprintf(\"%%s-%%d\", execname(), %d)\n", i, i
		printf "\tforeach ([name, p] in names_%d- limit 10) {\n", i
		printf "\t\tprintf(\"%%s %%d %%s\\n\", name, p, names_%d[name, p])\n\t}\n", i
		printf "\ttry {\n"
		printf "\t\tx = @count(counts_%d) ? @sum(counts_%d) / @count(counts_%d) : 0\n", i, i, i
		printf "\t} catch (msg) {\n\t\tprintln(msg . \" in %d\")\n\t}\n", i
		printf "\tdelete names_%d\n}\n", i
	}
}' > "$tmp/script.stp"
lines=$(wc -l < "$tmp/script.stp")

# name, the tapset folder, ustap's command (as one string, words split),
# then the arguments both stap runs take.
bench() {
	name=$1
	tapset=$2
	ourcmd=$3
	shift 3
	# shellcheck disable=SC2086
	out=$(SYSTEMTAP_TAPSET=$tapset "$measure" "$runs" $ourcmd -- \
		"$ref" -r "$release" -p1 "$@")
	ours_libs=$(SYSTEMTAP_TAPSET=$tapset "$ours" -r "$release" --runtime=kernel -v -p1 "$@" \
		2>&1 >/dev/null | sed -n 's/.*user script and \([0-9]*\) library.*/\1/p')
	case $ourcmd in *p1check*) ours_libs="$nfiles parsed" ;; esac
	ref_libs=$(SYSTEMTAP_TAPSET=$tapset "$ref" -r "$release" -v -p1 "$@" \
		2>&1 >/dev/null | sed -n 's/.*user script and \([0-9]*\) library.*/\1/p')
	echo "$out" | awk -v name="$name" -v ol="${ours_libs:-?}" -v rl="${ref_libs:-?}" '
		$1 == "A" { ot = $2; om = $4; of = $5 }
		$1 == "B" { rt = $2; rm = $4; rf = $5 }
		END {
			printf "%s\n", name
			printf "  ustap      %9.1f ms  %8.1f MB peak  (%s library scripts)%s\n",
				ot, om / 1024, ol, of ? "  FAILED " of " runs" : ""
			printf "  SystemTap  %9.1f ms  %8.1f MB peak  (%s library scripts)%s\n",
				rt, rm / 1024, rl, rf ? "  FAILED " rf " runs" : ""
			printf "  ustap is %.1fx faster (goal 10x: %s), uses %.2f of the memory (goal 0.33: %s)\n",
				rt / ot, (rt / ot >= 10) ? "met" : "MISSED",
				om / rm, (om / rm <= 1 / 3) ? "met" : "MISSED"
		}'
}

echo "pass 1 benchmark: median of $runs runs each, alternating, on $(nproc) CPUs" \
	"(load $(cut -d' ' -f1-3 /proc/loadavg))"
stap_cmd="$ours -r $release --runtime=kernel -p1"
bench "1. a $lines-line script with the project's tapset library" \
	"$srcdir/tapset" "$stap_cmd $tmp/script.stp" "$tmp/script.stp"
echo 'probe begin { }' > "$tmp/begin.stp"
bench "2. Debian's tapset library ($(find "$debian" -name '*.stp*' | wc -l) files), stap -p1" \
	"$debian" "$stap_cmd $tmp/begin.stp" "$tmp/begin.stp"

# The files SystemTap reads for the kernel runtime on x86_64, .stpm first.
files=$(for d in "$debian" "$debian/linux" "$debian/linux/x86_64" "$debian/x86_64"; do
	ls "$d"/*.stp "$d"/*.stpm 2>/dev/null; done | sort)
nfiles=$(echo "$files" | wc -l)
kconfig=/lib/modules/$release/build/.config
bench "3. the same library, every file parsed by ustap's parser (p1check -n)" \
	"$debian" "$p1check -n -t -r $release -a x86_64 --runtime=kernel --kconfig=$kconfig $(echo $files) $tmp/begin.stp" \
	"$tmp/begin.stp"
