# The stap.dwarfprobes scripts, for tools/mkscripts.py.
#
# args: script arguments, each a program the tier builds (funcs0 funcs2
# funcs2np funcs2g funcs2s vars0 vars2 sdt0 sdt2 libdemo.so libmain: see
# dwarfprobes.exp), "nm:PROG:SYMBOL[+N]" (the symbol's address, in hex),
# "line:PROG:FILE:N" (gdb's address for the line), or a plain word.
# ref: how the reference's -p2 must agree: "probes" (the same probe
# lines), or absent (ustap differs on purpose, or the reference cannot).
# The sources are compiled with -fdebug-prefix-map so DWARF names them
# /src/funcs.c, /src/vars.c ...

def T(name, msgs, body, **kw):
    d = dict(name=name, msgs=msgs, body=body)
    d.update(kw)
    return d

E = 'error'
S = 'errstart'
W = 'warning'
CONFUSING = 'confusing usage, value is captured as @entry(%s) in .return probe [man stapprobes] RETURN PROBES'
NODWARF = ('cannot find module %BIN%/funcs2g debuginfo: No DWARF information found '
           '[man warning::debuginfo]; probing functions by their symbols, without $variables')
WRITE = ("write to target variable '%s' not permitted: ustap reads the probed program's "
         "variables but never writes them, even with -g")

OK = [
# ---- .function ----
T('function_name', [], '''
probe process(@1).function("compute") { printf("%d %d\\n", $a, $b) }
''', args='funcs0', ref='probes'),
T('function_wildcard', [], '''
probe process(@1).function("*") { println(pp()) }
''', args='funcs0', ref='probes'),
T('function_file', [], '''
probe process(@1).function("*@funcs.c") { println(1) }
''', args='funcs0', ref='probes'),
T('function_file_line', [], '''
probe process(@1).function("compute@funcs.c:25") { println($r) }
''', args='funcs0', ref='probes'),
T('function_header_inline', [], '''
probe process(@1).function("twice@funcs.h") { println(1) }
''', args='funcs2', ref='probes'),
T('function_inlined_twice', [], '''
probe process(@1).function("square") { println(1) }
''', args='funcs2', ref='probes'),
T('function_call', [], '''
probe process(@1).function("*").call { println(1) }
''', args='funcs2', ref='probes'),
T('function_inline', [], '''
probe process(@1).function("s*").inline { println(1) }
''', args='funcs2', ref='probes'),
T('function_exported', [], '''
probe process(@1).function("*").exported { println(1) }
''', args='funcs2', ref='probes'),
T('function_registers', [], '''
probe process(@1).function("compute"), process(@1).function("helper") { println($a + $b) }
''', args='funcs2', ref='probes'),
T('function_nopie', [], '''
probe process(@1).function("compute"), process(@1).function("square") { println(1) }
''', args='funcs2np', ref='probes'),
T('function_addr', [], '''
probe process(@1).function($2) { println($a) }
''', args='funcs0 nm:funcs0:compute+20', ref='probes'),
T('function_addr_return', [], '''
probe process(@1).function($2).return { println($return) }
''', args='funcs0 nm:funcs0:walk+4', ref='probes'),
T('function_alias_symbol', [], '''
probe process(@1).function("compute_alias") { println($a) }
''', args='funcs0', ref='probes'),
T('function_optional', [], '''
probe process(@1).function("nosuch") ?, process(@1).function("walk") { println(1) }
''', args='funcs0', ref='probes'),
T('function_sufficient', [], '''
probe process(@1).function("nosuch") !, process(@1).function("walk") !, process(@1).function("main") { println(1) }
''', args='funcs0', ref='probes'),
T('function_target_c', [], '''
probe process.function("walk") { println($head->value) }
''', flags='-c "%BIN%/funcs0 3"', ref='probes'),
T('function_target_x', [], '''
probe process.plt("nanosleep") { println($$name) }
''', flags='-x %PID%'),
T('function_pid', [], '''
probe process($1).plt("nanosleep") { println($$name) }
''', args='%PID%'),
T('function_stapusr', [], '''
probe process(@1).function("walk") { println($total) }
''', args='funcs0', flags='--unprivileged', ref='probes'),
# ---- .return and @entry ----
T('return_value', [], '''
probe process(@1).function("compute").return { println($return) }
''', args='funcs0', ref='probes'),
T('return_wildcard', [(W, 'function _start return probe is blocklisted', 'function')], '''
probe process(@1).function("*").return { println(1) }
''', args='funcs2', ref='probes'),
T('return_entry', [], '''
probe process(@1).function("compute").return { printf("%d %d\\n", $return, @entry($a * 2)) }
''', args='funcs0', ref='probes'),
T('return_implicit_entry', [(W, CONFUSING % '$b', '$b'), (W, CONFUSING % '$$parms', '$$parms')], '''
probe process(@1).function("compute").return { println($return, $b, $$parms) }
''', args='funcs0', ref='probes'),
T('return_pretty', [], '''
probe process(@1).function("probe_me").return { println($$return, $return$) }
''', args='vars0', ref='probes'),
T('return_entry_members', [(W, CONFUSING % '$r->next->i', '$r->next')], '''
probe process(@1).function("probe_me").return {
	println(@entry($r->i) + @entry($n), $r->next->i)
}
''', args='vars0', ref='probes'),
T('return_entry_call', [], '''
function twice(x) { return x * 2 }
probe process(@1).function("walk").return { println(@entry(twice($head->value))) }
''', args='funcs0', ref='probes'),
T('return_entry_elided', [(W, "Eliding assignment to 'x'", '= @entry'),
                          (W, 'Eliding side-effect-free expression', 'x =')], '''
probe process(@1).function("walk").return { x = @entry($head); println($return) }
''', args='funcs0'),
# ---- .statement ----
T('statement_line', [], '''
probe process(@1).statement("compute@funcs.c:27") { println($a) }
''', args='funcs0', ref='probes'),
T('statement_range', [], '''
probe process(@1).statement("compute@funcs.c:27-29") { println($r) }
''', args='funcs0', ref='probes'),
T('statement_all_lines', [], '''
probe process(@1).statement("walk@funcs.c:*") { println($total) }
''', args='funcs0', ref='probes'),
T('statement_relative', [], '''
probe process(@1).statement("compute@funcs.c+3") { println(1) }
''', args='funcs0', ref='probes'),
T('statement_function', [], '''
probe process(@1).statement("helper") { println($a) }
''', args='funcs0', ref='probes'),
T('statement_nearest', [], '''
probe process(@1).statement("walk@funcs.c:41").nearest { println($v) }
''', args='funcs0', ref='probes'),
T('statement_addr', [], '''
probe process(@1).statement($2) { println($a) }
''', args='funcs0 line:funcs0:funcs.c:28', ref='probes'),
T('statement_block_local', [], '''
probe process(@1).statement("walk@funcs.c:42") { println($v, $n->value, $total) }
''', args='funcs0', ref='probes'),
# ---- .mark ----
T('mark_all', [], '''
probe process(@1).mark("*") { println($$provider, ":", $$name) }
''', args='sdt0'),
T('mark_provider', [], '''
probe process(@1).provider("app").mark("*e*") { println($$name) }
''', args='sdt0'),
T('mark_args', [], '''
probe process(@1).mark("mixed") { printf("%d %d %d %d %d %d\\n", $arg1, $arg2, $arg3, $arg4, $arg5, $arg6) }
''', args='sdt2'),
T('mark_parms', [], '''
probe process(@1).mark("glob") { println($$parms) println($$vars) }
''', args='sdt0'),
T('mark_no_args', [], '''
probe process(@1).mark("empty") { println($$parms . $$provider) }
''', args='sdt0'),
T('mark_dwarf_locals', [], '''
probe process(@1).mark("mixed") { println($c, $l, $$locals) }
''', args='sdt0'),
T('mark_semaphore', [], '''
probe process(@1).provider("app").mark("hot") { println($arg1) }
''', args='sdt0'),
# ---- .plt ----
T('plt_name', [], '''
probe process(@1).plt("lib_*") { println($$name) }
''', args='libmain'),
T('plt_all', [], '''
probe process(@1).plt { println($$name) }
''', args='libmain'),
T('plt_return', [], '''
probe process(@1).plt("lib_add").return { println($$name, @entry(pid())) }
''', args='libmain'),
# ---- .library ----
T('library_function', [], '''
probe process(@1).library("libdemo.so").function("lib_add") { println($a, $b, @var("lib_counter")) }
''', args='libmain', ref='probes'),
T('library_wildcard', [], '''
probe process(@1).library("libdemo*").function("lib_*") { println(1) }
''', args='libmain', ref='probes'),
T('library_return', [], '''
probe process(@1).library("libdemo.so").function("lib_len").return { println($return, @entry($s$)) }
''', args='libmain', ref='probes'),
T('library_statement', [], '''
probe process(@1).library("libdemo.so").statement("lib_add@libdemo.c:8") { println($a) }
''', args='libmain', ref='probes'),
T('library_plt', [], '''
probe process(@1).library("libdemo.so").plt("*") { println($$name) }
''', args='libmain'),
T('library_direct', [], '''
probe process(@1).function("lib_len") { println($s$) }
''', args='libdemo.so', ref='probes'),
T('library_var_other', [], '''
probe process(@1).function("main") { println(@var("lib_counter@libdemo.c", @2)) }
''', args='libmain libdemo.so', ref='probes'),
# ---- without DWARF ----
T('nodwarf_symbols', [(W, NODWARF, None)], '''
probe process(@1).function("compute*"), process(@1).function("walk") { println(1) }
''', args='funcs2g', ref='probes'),
T('nodwarf_return', [(W, NODWARF, None)], '''
probe process(@1).function("helper").return { println(1) }
''', args='funcs2g', ref='probes'),
# ---- variables ----
T('vars_members', [], '''
probe process(@1).function("probe_me") {
	println($r->c, $r->i, $r->inp->uc, $r->arr[1], $r->grid[1][2], $r->un->bytes[3], $r->bf)
}
''', args='vars0'),
T('vars_index_expr', [], '''
probe process(@1).function("probe_me") { println($r->arr[$n - 6], $r->name[$n % 3]) }
''', args='vars0'),
T('vars_address', [], '''
probe process(@1).function("probe_me") { println(&$r->arr[2], &$r->in, &$n) }
''', args='vars0'),
T('vars_pretty', [], '''
probe process(@1).function("probe_me") { println($r$, $r$$, $pr$, $s$, $r->name$, $r->grid$$) }
''', args='vars0'),
T('vars_dollar_dollar', [], '''
probe process(@1).function("probe_me") { println($$vars) println($$parms) println($$locals) println($$parms$$) }
''', args='vars0'),
T('vars_atvar', [], '''
probe process(@1).function("probe_me") {
	println(@var("gcount"), @var("gmsg@vars.c"), @var("grec@vars.c")->i, @var("tlsv"))
}
''', args='vars0'),
T('vars_atvar_module', [], '''
probe process(@1).function("main") { println(@var("gcount@vars.c", @1)) }
probe process(@1).plt("printf") { println(@var("grec", @1)->next) }
''', args='vars0'),
T('vars_cast', [], '''
probe process(@1).function("probe_me") {
	println(@cast($r, "struct rec")->i, @cast($r, "struct inner", @1)->s, @cast($r, "struct rec")->next->in->uc)
}
''', args='vars0'),
T('vars_cast_header', [], '''
probe process(@1).function("probe_me") { println(@cast(@var("gout"), "FILE", "<stdio.h>")->_fileno) }
''', args='vars0'),
T('vars_cast_function', [], '''
function value(p) { return @cast(p, "struct node", @1)->next->value }
probe process(@1).function("walk") { println(value($head)) }
''', args='funcs0'),
T('vars_autocast', [], '''
probe process(@1).function("probe_me") { println(($r->next)->i, (&$r->in)->uc, (@var("grec")->next)->i) }
''', args='vars0'),
T('vars_autocast_locals', [], '''
probe process(@1).function("walk") {
	total = 0
	n = $head
	while (n) {
		total += n->value
		n = n->next
	}
	println(total)
}
''', args='funcs0'),
T('vars_defined', [], '''
@define either(a, b) %( @defined(@a) ? @a : @b %)
probe process(@1).function("walk") {
	println(@defined($nosuch) ? $nosuch : $total)
	println(@defined($head->next->value) ? 1 : 2, @defined($head->nosuch) ? 3 : 4)
	println(@defined(@cast($head, "struct node")->next), @defined(@var("nosuch@funcs.c")))
	println(@either($nope, $head->value))
}
''', args='funcs0'),
T('vars_defined_return', [], '''
probe process(@1).function("walk").return {
	println(@defined($return) ? $return : -1, @defined($head) ? 1 : 0, @defined(@entry($nope)) ? 1 : 0)
}
''', args='funcs0'),
T('vars_optimized_defined', [], '''
probe process(@1).function("twice") { println(@defined($x) ? $x : -1) }
''', args='funcs2'),
T('vars_o2', [], '''
probe process(@1).function("probe_me") { println($n, $r->l, $s$, $ch) }
''', args='vars2'),
T('vars_alias', [], '''
probe walking = process(@1).function("walk") { head = $head; first = $head->value }
probe walking { println(head, first) }
''', args='funcs0', ref='probes'),
T('vars_types', [], '''
probe process(@1).function("probe_me") { s = $s$ . "!"; n = $n + 1; println(s, n, $$parms . s) }
''', args='vars0'),
]

KO = [
# ---- points ----
T('point_no_function', [(E, 'while resolving probe point process("%BIN%/funcs0").function("comput"): '
                            'no match (similar functions: compute)', 'function')], '''
probe process(@1).function("comput") { println(1) }
''', args='funcs0'),
T('point_no_function_wildcard', [(E, 'while resolving probe point process("%BIN%/funcs0").function("zz*"): '
                                     'no match', 'function')], '''
probe process(@1).function("zz*") { println(1) }
''', args='funcs0'),
T('point_no_function_file', [(E, 'while resolving probe point process("%BIN%/funcs0").function("walk@vars.c"): '
                                 'no match', 'function')], '''
probe process(@1).function("walk@vars.c") { println(1) }
''', args='funcs0'),
T('point_no_mark', [(E, 'while resolving probe point process("%BIN%/sdt0").mark("mixd"): '
                        'no match (similar marks: mixed)', 'mark')], '''
probe process(@1).mark("mixd") { println(1) }
''', args='sdt0'),
T('point_no_provider', [(E, 'while resolving probe point process("%BIN%/sdt0").provider("nosuch").mark("*"): '
                            'no match', 'provider')], '''
probe process(@1).provider("nosuch").mark("*") { println(1) }
''', args='sdt0'),
T('point_no_plt', [(E, 'while resolving probe point process("%BIN%/libmain").plt("lib_ad"): '
                       'no match (similar functions: lib_add)', 'plt')], '''
probe process(@1).plt("lib_ad") { println(1) }
''', args='libmain'),
T('point_no_library', [(S, 'while resolving probe point process("%BIN%/libmain").library("nosuch.so").function("x"): '
                           'no match (similar libraries: %BIN%/libdemo.so, ', 'library')], '''
probe process(@1).library("nosuch.so").function("x") { println(1) }
''', args='libmain'),
T('point_no_line', [(E, 'while resolving probe point process("%BIN%/funcs0").statement("compute@funcs.c:33"): '
                        'no line records for /src/funcs.c:33 [man error::dwarf] (try :31)', 'statement')], '''
probe process(@1).statement("compute@funcs.c:33") { println(1) }
''', args='funcs0'),
T('point_statement_addr', [(S, 'while resolving probe point process("%BIN%/funcs0").statement(0x', 'statement')], '''
probe process(@1).statement($2) { println(1) }
''', args='funcs0 nm:funcs0:compute+1'),
T('point_function_addr', [(E, 'while resolving probe point process("%BIN%/funcs0").function(0x1): '
                              'no function holds address 0x1 in %BIN%/funcs0', 'function')], '''
probe process(@1).function(1) { println(1) }
''', args='funcs0'),
T('point_return_inlined', [(W, 'cannot probe .return of 1 inlined function square', 'function'),
                           (E, 'while resolving probe point process("%BIN%/funcs2").function("square").return: '
                               'no match', 'function')], '''
probe process(@1).function("square").return { println(1) }
''', args='funcs2'),
T('point_unspecified', [(E, 'while resolving probe point process.function("walk"): unspecified process probe '
                            'is invalid without a -c COMMAND or -x PID [man stapprobes]', 'process')], '''
probe process.function("walk") { println(1) }
'''),
T('point_no_pid', [(E, 'while resolving probe point process(2147483647).function("walk"): cannot probe pid '
                       '2147483647: No such process', 'process')], '''
probe process(2147483647).function("walk") { println(1) }
'''),
T('point_not_executable', [(E, 'while resolving probe point process("/etc/passwd").function("walk"): '
                               "'/etc/passwd' is not an executable file", 'process')], '''
probe process("/etc/passwd").function("walk") { println(1) }
'''),
T('point_label', [(E, 'while resolving probe point process("%BIN%/funcs0").function("compute").label("x"): '
                      '.label probes are not supported', 'label')], '''
probe process(@1).function("compute").label("x") { println(1) }
''', args='funcs0'),
T('point_callee', [(E, 'while resolving probe point process("%BIN%/funcs0").function("compute").callee("helper"): '
                       '.callee probes are not supported', 'callee')], '''
probe process(@1).function("compute").callee("helper") { println(1) }
''', args='funcs0'),
T('point_bad_suffix', [(E, 'while resolving probe point process("%BIN%/funcs0").function("compute").retrun: '
                           'invalid suffix for probe', 'retrun')], '''
probe process(@1).function("compute").retrun { println(1) }
''', args='funcs0'),
T('point_stripped', [(E, 'while resolving probe point process("%BIN%/funcs2s").function("compute"): '
                         'no match', 'function')], '''
probe process(@1).function("compute") { println(1) }
''', args='funcs2s'),
# ---- variables ----
T('var_not_found', [(E, "unable to find local 'nosuch' in walk (funcs.c) at pc 0x11f4 (alternatives: $head, $total)",
                     '$nosuch')], '''
probe process(@1).function("walk") { println($nosuch) }
''', args='funcs0'),
T('var_member_not_found', [(E, "unable to find member 'nope' for struct node (alternatives: value, next)",
                            'nope')], '''
probe process(@1).function("walk") { println($head->nope) }
''', args='funcs0'),
T('var_member_of_int', [(E, "invalid access '->x' vs. int", 'x)')], '''
probe process(@1).function("walk") { println($head->value->x) }
''', args='funcs0'),
T('var_struct_value', [(E, "'struct node' (/src/funcs.c:7) is being accessed instead of a member such as '->value'",
                        '$head')], '''
probe process(@1).function("walk") { println($head[0]) }
''', args='funcs0'),
T('var_struct_param', [(S, "'struct pair' (/src/vars.c:", '$pr')], '''
probe process(@1).function("probe_me") { println($pr) }
''', args='vars0'),
T('var_optimized_out', [(E, "cannot read '$x' in twice (funcs.h) at pc 0x1221: failed to retrieve location "
                         "attribute for 'x' [man error::dwarf] (it was optimised out)", '$x')], '''
probe process(@1).function("twice") { println($x) }
''', args='funcs2'),
T('var_not_at_pc', [(S, "cannot read '$v' in square (funcs.c) at pc 0x", '$v')], '''
probe process(@1).function("square") { println($v) }
''', args='funcs2'),
T('var_unavailable_local', [(S, "cannot read '$base' in main (vars.c) at pc 0x", '$base')], '''
probe process(@1).function("main") { println($base) }
''', args='vars2'),
T('var_index_scalar', [(E, "invalid access '[1]' vs. int", '[1]')], '''
probe process(@1).function("walk") { println($total[1]) }
''', args='funcs0'),
T('var_string_as_long', [(E, 'type mismatch: expected long but found string', '$head$')], '''
probe process(@1).function("walk") { println($head$ + 1) }
''', args='funcs0'),
T('var_long_as_string', [(E, 'type mismatch: expected string but found long', '$head->next')], '''
probe process(@1).function("walk") { println($head->next->value . "x") }
''', args='funcs0'),
T('var_parms_as_long', [(E, "type mismatch (string) for 'x'", 'x = $$parms'),
                        (E, 'type was first inferred here (long)', 'x = 1')], '''
probe process(@1).function("walk") { x = 1; x = $$parms; println(x) }
''', args='funcs0'),
T('var_write', [(E, WRITE % '$total', '$total')], '''
probe process(@1).function("walk") { $total = 5 }
''', args='funcs0'),
T('var_write_member', [(E, WRITE % '$head->value', '$head')], '''
probe process(@1).function("walk") { $head->value++ }
''', args='funcs0'),
T('var_write_return', [(W, CONFUSING % '$head', '$head'), (E, WRITE % '$head', '$head')], '''
probe process(@1).function("walk").return { $head = 0 }
''', args='funcs0'),
T('var_delete', [(E, WRITE % '$r->i', '$r')], '''
probe process(@1).function("probe_me") { delete $r->i }
''', args='vars0'),
T('var_write_cast', [(E, WRITE % '@cast($head, "struct node")->value', '@cast')], '''
probe process(@1).function("walk") { @cast($head, "struct node")->value = 1 }
''', args='funcs0'),
T('var_return_in_entry', [(E, "unable to find local 'return' in walk (funcs.c) at pc 0x11f4: $return is only "
                               "available in .return probes", '$return')], '''
probe process(@1).function("walk") { println($return) }
''', args='funcs0'),
T('var_dollar_return_in_entry', [(E, '$$return is only available in .return probes', '$$return')], '''
probe process(@1).function("walk") { println($$return) }
''', args='funcs0'),
T('var_nodwarf', [(W, NODWARF, None),
                  (E, "target variable '$a' is not available: %BIN%/funcs2g has no DWARF debuginfo "
                      "(variables need a -g build or its debuginfo)", '$a')], '''
probe process(@1).function("compute") { println($a) }
''', args='funcs2g'),
T('var_nodwarf_return', [(W, NODWARF, None), (E, '$return needs DWARF debuginfo for compute', '$return')], '''
probe process(@1).function("compute").return { println($return) }
''', args='funcs2g'),
T('var_in_function', [(E, "target variable '$head' cannot be used in a function: only probe handlers have a "
                          "context", '$head')], '''
function f() { return $head }
probe process(@1).function("walk") { println(f()) }
''', args='funcs0'),
T('var_in_condition', [(E, 'probe condition must not reference target variables or embedded C', '$head')], '''
probe process(@1).function("walk") if ($head) { println(1) }
''', args='funcs0'),
# ---- @entry ----
T('entry_not_return', [(E, '@entry is only valid in .return probes', '@entry')], '''
probe process(@1).function("walk") { println(@entry($head)) }
''', args='funcs0'),
T('entry_local', [(E, "@entry cannot read the local 'x': its operand is evaluated at the function's entry, "
                      "before this probe runs", 'x +')], '''
probe process(@1).function("walk").return { x = 1; println(@entry(x + $head)) }
''', args='funcs0'),
T('entry_nested', [(E, "@entry inside @entry: the operand is already read at the entry", ('@entry', 2))], '''
probe process(@1).function("walk").return { println(@entry(@entry($head))) }
''', args='funcs0'),
T('entry_return_value', [(E, "unable to find local 'return' in walk (funcs.c) at pc 0x11f4: $return is only "
                             "available in .return probes", '$return')], '''
probe process(@1).function("walk").return { println(@entry($return)) }
''', args='funcs0'),
# ---- @var, @cast, autocast ----
T('atvar_not_found', [(S, "unable to find global 'nosuch' in ", '@var')], '''
probe process(@1).function("walk") { println(@var("nosuch@funcs.c")) }
''', args='funcs0'),
T('atvar_needs_module', [(E, '@var("gcount") needs the program it is in here (outside a DWARF probe): '
                             '@var("gcount", "/path/to/program")', '@var')], '''
probe begin { println(@var("gcount")) }
'''),
T('atvar_bad_module', [(S, '@var("gcount", "/nonexistent/prog"): ', '@var')], '''
probe process(@1).function("walk") { println(@var("gcount", "/nonexistent/prog")) }
''', args='funcs0'),
T('cast_needs_module', [(E, '@cast(..., "struct node") needs the program or header that defines the type here '
                            '(outside a DWARF probe): @cast(p, "struct node", "/path/to/program") or "<header.h>"',
                         '@cast')], '''
probe begin { println(@cast(0, "struct node")->value) }
'''),
T('cast_type_not_found', [(E, "type definition 'struct nosuch' not found in '%BIN%/funcs0'", '@cast')], '''
probe process(@1).function("walk") { println(@cast($head, "struct nosuch")->x) }
''', args='funcs0'),
T('cast_member_not_found', [(E, "unable to find member 'nope' for struct node (alternatives: value, next)",
                             'nope')], '''
probe process(@1).function("walk") { println(@cast($head, "struct node")->nope) }
''', args='funcs0'),
T('cast_bad_header', [(S, "", '@cast')], '''
probe process(@1).function("walk") { println(@cast($head, "struct node", "<nosuch/header.h>")->value) }
''', args='funcs0'),
T('autocast_untyped', [(E, "'->' on a value with no DWARF type (only $variables, @cast and values derived from "
                           "them carry one)", '->')], '''
probe process(@1).function("walk") { x = 5; println(x->value) }
''', args='funcs0'),
T('autocast_conflict', [(E, "'->' on a value with no DWARF type (only $variables, @cast and values derived from "
                            "them carry one)", ('->', 2))], '''
probe process(@1).function("walk") { x = $head; x = $head->value; println(x->value) }
''', args='funcs0'),
# ---- markers and PLT entries ----
T('mark_arg_range', [(E, 'marker app:mixed has 6 arguments: $arg7 does not exist', '$arg7')], '''
probe process(@1).mark("mixed") { println($arg7) }
''', args='sdt0'),
T('mark_arg_member', [(E, "'$arg1' is a marker argument, a long: it has no members, elements or pretty form",
                       'x)')], '''
probe process(@1).mark("mixed") { println($arg1->x) }
''', args='sdt0'),
T('mark_arg_address', [(E, "cannot take address of sdt variable '$arg1'", '$arg1')], '''
probe process(@1).mark("mixed") { println(&$arg1) }
''', args='sdt0'),
T('mark_arg_write', [(E, WRITE % '$arg2', '$arg2')], '''
probe process(@1).mark("mixed") { $arg2 = 1 }
''', args='sdt0'),
T('mark_unknown_var', [(E, "unable to find local 'nosuch' in main (sdt.c) at pc 0x12e6 (alternatives: $argc, "
                           "$argv, $c, $i, $l, $p, $s, $uc)", '$nosuch')], '''
probe process(@1).mark("mixed") { println($nosuch) }
''', args='sdt0'),
T('plt_var', [(E, "invalid target variable '$a': .plt probes offer $$name only", '$a')], '''
probe process(@1).plt("lib_add") { println($a) }
''', args='libmain'),
# ---- privilege ----
T('stapusr_write_cast', [(E, WRITE % '$total', '$total')], '''
probe process(@1).function("walk") { $total = 1 }
''', args='funcs0', flags='--unprivileged'),
]
