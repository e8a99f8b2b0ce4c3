#!/bin/sh
# Writes a large C program for the debuginfo benchmark: FILES source files
# of FUNCS functions each, with structs, locals, loops and inlined helpers,
# so its DWARF looks like a real program's (location lists, inlined
# instances, many types).  Usage: debuginfo-gen.sh DIR [FILES [FUNCS]]
set -eu
dir=$1
files=${2:-40}
funcs=${3:-250}
mkdir -p "$dir"
awk -v files="$files" -v funcs="$funcs" -v dir="$dir" 'BEGIN {
	hdr = dir "/big.h"
	print "struct item { int id; long weight; struct item *next; char tag[8]; unsigned flags:4; };" > hdr
	print "struct box { struct item *first; int count; double scale; };" > hdr
	for (f = 0; f < files; f++)
		for (n = 0; n < funcs; n++)
			printf "long fn_%d_%d(struct box *b, int a, long c);\n", f, n > hdr
	close(hdr)
	for (f = 0; f < files; f++) {
		src = sprintf("%s/big%d.c", dir, f)
		print "#include \"big.h\"" > src
		printf "static inline long mix_%d(long x, int y) { return x * 31 + y; }\n", f > src
		for (n = 0; n < funcs; n++) {
			printf "__attribute__((noinline)) long fn_%d_%d(struct box *b, int a, long c)\n{\n", f, n > src
			print "\tlong total = c;" > src
			print "\tfor (struct item *it = b ? b->first : 0; it; it = it->next) {" > src
			print "\t\tint w = (int)it->weight + a;" > src
			printf "\t\ttotal = mix_%d(total, w) + it->tag[a & 7];\n", f > src
			print "\t}" > src
			if (n > 0)
				printf "\tif (a > %d) total += fn_%d_%d(b, a - 1, total);\n", n, f, n - 1 > src
			print "\treturn total;\n}" > src
		}
		close(src)
	}
	main = dir "/main.c"
	print "#include \"big.h\"\n#include <stdio.h>" > main
	print "int main(int argc, char **argv) {\n\tstruct item i = { 1, 2, 0, \"tag\", 3 };\n\tstruct box b = { &i, 1, 1.5 };\n\tlong t = 0;" > main
	for (f = 0; f < files; f++)
		printf "\tt += fn_%d_%d(&b, argc, t);\n", f, funcs - 1 > main
	print "\tprintf(\"%ld\\n\", t);\n\t(void)argv;\n\treturn 0;\n}" > main
}'
