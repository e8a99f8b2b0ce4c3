#!/bin/sh
# A developer's check, not a test: runs SystemTap's own stap (Debian's
# systemtap package) at -p1 on every parse-ok and parse-ko script and lists
# those where it disagrees with the folder: a parse-ok script it rejects or
# a parse-ko script it accepts.  Each must be a difference doc/design.md
# records ("# differs:" in the script says which), or a bug to fix.
#
#   testsuite/stap.parse/refcheck.sh [SCRIPT...]
set -u
here=$(cd "$(dirname "$0")" && pwd)
ref=${REFSTAP:-/usr/bin/stap}
empty=$(mktemp -d)
trap 'rm -rf "$empty"' EXIT

header() {
	sed -n "/^# $2: /{s/^# $2: //p;q}" "$1"
}

run_ref() {
	f=$1
	flags=$(header "$f" flags)
	args=$(header "$f" args)
	tapset=$(header "$f" tapset)
	case " $flags " in *" -r "*) ;; *) flags="$flags -r 6.1.0-50-amd64" ;; esac
	ts=$empty
	[ -n "$tapset" ] && ts=$here/tapsets/$tapset
	# shellcheck disable=SC2086
	(cd "$(dirname "$f")" && eval "SYSTEMTAP_TAPSET=$ts $ref $flags -p1 $(basename "$f") $args") \
		>/dev/null 2>"$empty/err"
	! grep -q 'parse failed' "$empty/err"
}

[ $# -gt 0 ] || set -- "$here"/parse-ok/*.stp "$here"/parse-ko/*.stp
disagree=0
for f in "$@"; do
	case $f in
	*parse-ok/*) want=accept ;;
	*) want=reject ;;
	esac
	if run_ref "$f"; then got=accept; else got=reject; fi
	[ "$got" = "$want" ] && continue
	disagree=$((disagree + 1))
	why=$(header "$f" differs)
	echo "$(basename "$(dirname "$f")")/$(basename "$f"): SystemTap would ${got}${why:+ (differs: $why)}"
	[ -z "$why" ] && sed -n '1,/Pass 1/p' "$empty/err" | head -4 | sed 's/^/    /'
done
echo "$disagree disagreement(s)"
