# The figures of peer.sh (sourced at its end, in $D): added costs against
# the same process's bursts with nothing loaded, ratios of added costs,
# and the targets of issue 8 item 9 and issue 6 item 7.
declare -A label=([ours]="ustap" [oursb]="ustap (-B)" [stap]="SystemTap 4.8" [bpf]="bpftrace"
	[tp]="minimal tp module" [oursfn]="ustap" [oursfe]="ustap" [bpffn]="bpftrace")

# base.A: T and U run the same code; every burst with no tracer loaded
# is a sample of the base of both.
cat "$D/base.T" "$D/base.U" > "$D/base.A" 2> /dev/null
minimum() { sort -n "$1" | head -n 1; }
median() {
	sort -n "$1" | awk '{ v[NR] = $1 }
		END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
have() { [ -z "${broken[$1]:-}" ] && [ -s "$D/$1.$2" ]; }
# added X KIND BASE: X's minimum minus the base's
added() { awk -v a="$(minimum "$D/$1.$2")" -v b="$(minimum "$D/base.$3")" 'BEGIN { print a - b }'; }
counts() {
	local c
	c=$(sort "$D/$1.counts" | uniq -c | awk '{ printf "%s%s x%d", s, $2, $1; s = ", " }')
	if [ "$1" = tp ]; then
		echo "(no count)"
	elif awk -F/ '$1 != $2 { bad = 1 } END { exit bad }' "$D/$1.counts"; then
		echo "count exact: $c"
	else
		echo "count WRONG (their bursts dropped): $c"
	fi
}
row() {
	# row TEXT X KIND BASE
	if ! have "$2" "$3"; then
		say "$(printf '  %-44s' "$1") did not run: ${broken[$2]:-no result}"
		return
	fi
	awk -v t="$1" -v m="$(minimum "$D/$2.$3")" -v md="$(median "$D/$2.$3")" \
		-v b="$(minimum "$D/base.$4")" -v c="$([ "$3" = untraced ] || counts "$2")" \
		'BEGIN { printf "bench:   %-44s %8.1f ns (%+7.1f)  median %8.1f  %s\n", t, m, m - b, md, c }'
}
base_row() {
	awk -v t="$1" -v m="$(minimum "$D/base.$2")" -v md="$(median "$D/base.$2")" \
		'BEGIN { printf "bench:   %-44s %8.1f ns            median %8.1f\n", t, m, md }'
}
# verdict TEXT VALUE OP TARGET: "met" or "MISSED" beside the target
verdict() {
	awk -v t="$1" -v v="$2" -v op="$3" -v g="$4" -v u="${5:-}" 'BEGIN {
		ok = (op == "<=") ? v <= g : v >= g
		printf "bench: %-40s %8.*f%s  (target %s %s%s)  %s\n", t, u ? 1 : 3, v, u, op, g, u,
			ok ? "met" : "MISSED" }'
}
ratio() {
	# ratio X Y KIND BASE: X's added cost over Y's
	awk -v a="$(added "$1" "$3" "$4")" -v b="$(added "$2" "$3" "$4")" 'BEGIN { print (b > 0) ? a / b : -1 }'
}
ratio_line() {
	# ratio_line TEXT X Y KIND BASE [OP TARGET]
	local r
	if ! have "$2" "$4" || ! have "$3" "$4"; then
		say "$(printf '%-40s' "$1")      n/a  (${label[$3]} or ${label[$2]} did not run)"
		return
	fi
	r=$(ratio "$2" "$3" "$4" "$5")
	if [ -n "${6:-}" ]; then
		verdict "$1" "$r" "$6" "$7"
	else
		say "$(printf '%-40s %8.3f' "$1" "$r")"
	fi
}

syscall_tracers="ours stap bpf tp"
[ -n "${BUILD_B:-}" ] && syscall_tracers="ours oursb stap bpf tp"
say "A. getppid, $ROUNDS rounds, $N calls a burst, 2 bursts a load, pinned to one vCPU (TCG);"
say "   min over bursts (added to no tracer), median; counts are getppid calls seen/made"
base_row "no tracer (T and U bursts)" A
for x in $syscall_tracers; do
	row "traced by ${label[$x]}" $x traced A
done
for x in $syscall_tracers; do
	row "untraced process, ${label[$x]} loaded" $x untraced A
done
ratio_line "traced: ustap/SystemTap added cost" ours stap traced A "<=" 0.5
[ -n "${BUILD_B:-}" ] && ratio_line "traced: ustap (-B)/SystemTap added cost" oursb stap traced A "<=" 0.5
ratio_line "traced: ustap/bpftrace added cost" ours bpf traced A "<=" 0.75
ratio_line "traced: ustap/minimal module added cost" ours tp traced A
if have ours untraced; then
	verdict "untraced: ustap module loaded adds" "$(added ours untraced A)" "<=" 5 " ns"
fi
say "B. work(), $ROUNDS rounds, $HITS calls a burst, 2 bursts a load, pinned (TCG); per call"
base_row "no probe" F
for x in oursfn bpffn; do
	row "process.function(\"work\") by ${label[$x]}" $x traced F
done
row "process.statement(work's entry) by ustap" oursfe traced F
ratio_line "per hit: ustap/bpftrace added cost" oursfn bpffn traced F "<=" 1.0
ratio_line "same instruction: ustap/bpftrace" oursfe bpffn traced F
for x in "${!broken[@]}"; do
	say "${label[$x]} ($x) could not run in the guest: ${broken[$x]}"
done
for f in "$D"/*.traced "$D"/*.untraced "$D"/base.*; do
	echo "rounds $(basename "$f"): $(tr '\n' ' ' < "$f")"
done
