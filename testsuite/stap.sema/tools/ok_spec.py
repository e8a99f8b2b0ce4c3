# sema-ok scripts: (name, messages, body); messages as in ko_spec.py
# (expected warnings).  p2=True: the exact -p2 output is kept in NAME.p2.
def T(name, msgs, body, **kw):
    d = dict(name=name, msgs=msgs, body=body)
    d.update(kw)
    return d

W = 'warning'

TESTS = [
# ---- probe families ----
T('begin_end_priorities', [], '''
probe begin(10), end(-5), error, never { println("x") }
probe init { println("init") }
probe begin(-9223372036854775808) { println("first") }
''', p2=True),
T('timers', [], '''
probe timer.s(1), timer.sec(2), timer.ms(100), timer.msec(5) { println(1) }
probe timer.us(100), timer.usec(200), timer.ns(100000), timer.nsec(200000) { println(2) }
probe timer.jiffies(10), timer.hz(100), timer.hz(10000) { println(3) }
probe timer.ms(100).randomize(50), timer.jiffies(10).randomize(10), timer.s(86400).randomize(0) { println(4) }
''', p2=True),
T('process_forms', [], '''
probe process.begin, process.end, process.thread.begin, process.thread.end { println(1) }
probe process("/bin/true").syscall, process("true").syscall.return { println(2) }
probe process(1).begin { println(3) }
''', p2=False),
T('process_path_resolved', [], '''
// A name without '/' is found along $PATH; symlinks are followed.
probe process("true").begin, process("/bin/true").end { println(1) }
''', p2=True),
T('syscall_variables', [], '''
probe process("/bin/true").syscall {
	printf("%d %d %d %d %d %d %d %s\\n", $syscall, $arg1, $arg2, $arg3, $arg4, $arg5, $arg6, $$parms)
}
''', p2=True),
T('syscall_return_variables', [], '''
probe process("/bin/true").syscall.return { printf("%d = %d\\n", $syscall, $return) }
''', p2=True),
T('syscall_number_both', [], '''
// $syscall works at entry and at return (kept per thread).
global calls
probe process.syscall, process.syscall.return { calls[$syscall]++ }
probe end { foreach (n in calls) printf("%d %d\\n", n, calls[n]) }
''', p2=True),
T('defined_chooses', [], '''
// @defined picks the branch that exists in each probe.
probe process.syscall, begin { println(@defined($arg1) ? $arg1 : -1) }
probe process.syscall.return { println(@sema_choose($return, 0)) }
''', p2=True),
T('defined_in_function', [], '''
function f() { return @defined($syscall) }
probe begin { println(f()) }
'''),
T('amp_folded', [], '''
// The condition folds away before '&' would reach a target.
probe begin { println(@defined($nothere) ? 1 : 2) }
'''),

# ---- aliases ----
T('alias_prologue', [], 'probe sema.sys { println(name) }', p2=True),
T('alias_suffix', [], 'probe sema.sys.return { println(name, $return) }', p2=True),
T('alias_suffix_two', [], 'probe sema.proc.begin, sema.proc.syscall { println(pname) }', p2=True),
T('alias_epilogue', [], 'probe sema.epi { e = 2; println(e) }', p2=True),
T('alias_two_points', [], 'probe sema.both { println(b) }', p2=True),
T('alias_nested', [], 'probe sema.nest { println(b, n) }', p2=True),
T('alias_optional_point', [], 'probe sema.opt { println(o) }', p2=True),
T('alias_sufficient_point', [], 'probe sema.first { println(f) }', p2=True),
T('alias_timer', [], 'probe sema.timer { println(t) }', p2=True),
T('alias_user', [], '''
probe my.start = begin(3) { started = 1 }
probe my.start { println(started) }
''', p2=True),
T('alias_user_epilogue', [], '''
probe my.stop += end { println(count) }
probe my.stop { count = 7 }
''', p2=True),
T('alias_both_blocks', [(W, "Eliding assignment to 'after'", '= before'), (W, 'Eliding side-effect-free expression', 'after =')], '''
probe my.wrap = begin { before = 1 }, { after = before + inside }
probe my.wrap { inside = 2; println(inside) }
''', p2=True),
T('alias_shared_names', [], '''
// ustap: several alias names may share one definition.
probe my.a, my.b = begin { v = 1 }
probe my.a, my.b { println(v) }
''', p2=True),
T('alias_broken_unreached', [], '''
// semabad.* aliases fail only when reached.
probe begin { println(1) }
'''),
T('alias_optional_broken', [], 'probe semabad.nomatch ?, begin { println(1) }', p2=True),
T('alias_wildcard', [], 'probe sema.b* { println(1) }', p2=True),

# ---- wildcards, optional, sufficient, conditions ----
T('wildcard_one', [], 'probe process.sys* { println(1) }', p2=True),
T('wildcard_deep', [], 'probe process("/sbin/ldconfig").** { println(1) }', p2=True,
  needs='/sbin/ldconfig'),
T('wildcard_thread', [], 'probe process.thread.* { println(1) }', p2=True),
T('braces', [], 'probe process.{begin,end}, timer.{ms(5),s(5)} { println(1) }', p2=True),
T('optional_missing', [], 'probe nosuch ?, begin { println(1) }', p2=True),
T('optional_bad_timer', [], 'probe timer.ms(0) ?, end { println(1) }', p2=True),
T('sufficient', [], 'probe begin !, end { println(1) }', p2=True),
T('sufficient_skipped', [], '''
// '!' implies '?': a sufficient point that fails is skipped.
probe nosuch !, end { println(1) }
''', p2=True),
T('condition', [], '''
global enabled
probe begin if (enabled > 1), end if (!enabled) { println(1) }
probe timer.s(1) { enabled++ }
''', p2=True),

# ---- functions and the library ----
T('library_functions', [], 'probe begin { println(sema_add(1, 2), sema_str("x"), sema_bump()) }', p2=True),
T('library_private', [], 'probe begin { println(sema_reveal()) }', p2=True),
T('library_pulls_file', [], 'probe begin { println(sema_pulled()) }', p2=True),
T('library_unreached_file', [], '''
// sema_unpulled.stp defines a probe, but nothing calls into that file.
probe begin { println(sema_add(1, 1)) }
''', p2=True),
T('library_global_shadowed', [], '''
// The user's own global hides the library's.
global sema_counter
probe begin { sema_counter = 5; println(sema_counter) }
''', p2=True),
T('library_overloads', [], 'probe begin { println(sema_ov(1), sema_ov(20), sema_ov(1, 2)) }', p2=True),
T('library_untyped_param', [], 'probe begin { println(sema_untyped("s") . "!") }', p2=True),
T('library_conditional', [], '''
// The branch a %( %) condition takes decides; the other does not exist.
probe begin { println(sema_live_function()) }
''', p2=True),
T('library_macro', [], 'probe begin { println(@sema_twice(21)) }'),
T('search_order', [], '''
// linux/x86_64 before linux before the root: the first definition runs,
// the others are overloads that never do.
probe begin { println(sema_arch(1), sema_rt(2)) }
''', p2=True, arch='x86_64'),
T('user_overloads', [], '''
function pick(x) :2 { return "fallback" }
function pick(x) :1 { if (x < 0) next; return "positive" }
function pick(x, y) { return "two" }
probe begin { println(pick(1), pick(-1), pick(1, 2)) }
''', p2=True),
T('user_overrides_library', [], '''
// A user definition comes first among the overloads; the library's follows.
function sema_add(a, b) { if (a < 0) next; return a - b }
probe begin { println(sema_add(1, 2)) }
''', p2=True),
T('declared_types', [], '''
function f:string (a:long, b:string) { return sprintf("%d%s", a, b) }
function g:long (s) { return strlen_ok(s) }
function strlen_ok(s:string) { return 1 }
probe begin { println(f(1, "x"), g("y")) }
''', p2=True),
T('recursion', [], '''
function fact(n) { if (n <= 1) return 1; return n * fact(n - 1) }
probe begin { println(fact(10)) }
''', p2=True),
T('function_locals', [], '''
function f(a) { x = a * 2; y = "s"; return x . "" == y ? 1 : 0 }
probe begin { println(f(3)) }
''' if False else '''
function f(a) { x = a * 2; y = sprint(x); return y }
probe begin { println(f(3)) }
''', p2=True),
T('void_function', [], '''
function say(s) { println(s) }
probe begin { say("hi") }
''', p2=True),
T('next_in_probe', [], 'probe begin { if (1) next; println(1) }'),

# ---- types ----
T('types_arrays', [], '''
global a, b, c
probe begin {
	a[1] = "x"; b["k", 2] = 3; c[1, "a", 2, "b", 3, "c", 4, "d", 5] = 1
	println(a[1], b["k", 2], c[1, "a", 2, "b", 3, "c", 4, "d", 5])
}
''', p2=True),
T('types_stats', [], '''
global s, t
probe begin { s <<< 1; t["a"] <<< 2 }
probe end {
	println(@count(s), @sum(s), @min(s), @max(s), @avg(s), @variance(s), @variance(s, 2))
	print(@hist_log(s))
	print(@hist_linear(t["a"], 0, 100, 10))
	foreach (k in t) println(k, @count(t[k]))
	foreach ([k] in t @sum- limit 3) println(k)
	foreach (b in @hist_log(s)) println(b, @hist_log(s)[b])
}
''', p2=True),
T('types_strings', [], '''
probe begin {
	s = "a" . "b"
	s .= "c"
	if (s =~ "^a" && s !~ "z" && s == "abc" && s < "b") println(s)
	t = s == "" ? "empty" : s
	println(t)
}
''', p2=True),
T('types_flow', [], '''
// Types flow backwards: y gets long from x, z from a function.
function id(v) { return v }
probe begin { x = 1; y = x; z = id(y); println(z) }
''', p2=True),
T('types_printf', [], '''
probe begin {
	printf("%s %d %i %u %o %x %X %c %p %b %%\\n", "s", 1, 2, 3, 4, 5, 6, 7, 8, 9)
	printf("%-5s|%05d|%+d|% d|%#x|%.3s|%*d|%.*s\\n", "a", 1, 2, 3, 4, "abcd", 5, 6, 2, "xyz")
	printf("no directives\\n")
	s = sprintf("%m %M", 1, 2)
	println(s)
}
''', p2=True),
T('types_print_family', [], '''
probe begin {
	print(1, "a")
	println()
	printd(",", 1, "a")
	printdln(":", "x", 2)
	a = sprint(1); b = sprintln("x"); c = sprintd("-", 1, 2); d = sprintdln("+", "p")
	println(a . b . c . d)
}
''', p2=True),
T('types_foreach_forms', [], '''
global a
probe begin { a[1, "x"] = 10; a[2, "y"] = 20 }
probe end {
	foreach ([i, s] in a) println(i, s)
	foreach (v = [i, s] in a-) println(v)
	foreach ([i-, s] in a limit 1) println(i)
	foreach ([i, s] in a[*, "x"]) println(i)
	foreach ([i, s] in a[2, *]) println(s)
	if ([1, "x"] in a && !([3, "z"] in a)) delete a[1, "x"]
	delete a[*, "y"]
	delete a
}
''', p2=True),
T('types_try_catch', [], '''
probe begin { try { println(1) } catch (msg) { println("caught " . msg) } try { println(2) } catch { println(3) } }
''', p2=True),
T('types_loops', [], '''
probe begin {
	for (i = 0; i < 10; i++) { if (i == 2) continue; if (i == 5) break }
	while (i > 0) { i--; if (i == 1) break }
	foreach (k in sema_keys) { if (k) continue; break }
	println(i)
}
global sema_keys
probe end { sema_keys[1] = 1 }
''', p2=True),
T('types_globals_init', [], '''
global n = 5, s = "str", neg = -3
global sized[100], wrapped%[10], wrapped2%
probe begin { sized[1] = n; wrapped[s] = neg; wrapped2[1] = 1; println(sized[1], wrapped["str"], wrapped2[1]) }
''', p2=True),
T('types_delete_scalars', [], '''
global g
probe begin { g = 1; x = "a"; delete g; delete x; println(g, x) }
''', p2=True),
T('types_incdec', [], '''
global a
probe begin { x = 0; x++; ++x; x--; --x; a[1]++; a[1] += 2; a[1] -= 1; a[1] *= 3; a[1] /= 2; a[1] %= 5; a[1] <<= 1; a[1] >>= 1; a[1] &= 7; a[1] |= 8; a[1] ^= 1; println(x, a[1]) }
''', p2=True),
T('types_operators', [], '''
probe begin { x = 7; println(-x, +x, !x, ~x, x << 1, x >> 1, x >>> 1, x & 1, x | 2, x ^ 3, x * 2 / 3 % 4, x && 0, x || 0) }
''', p2=True),
T('embedded_in_library', [], 'probe begin { println(sema_unpriv() + sema_myproc() + sema_priv() + sema_embexpr(), sema_string()) }', p2=True),

# ---- elision and the end display ----
T('elide_unused', [], '''
// Unused functions and globals go silently.
global unused_g, unused_a
function unused_f() { return unused_g }
probe begin { println(1) }
''', p2=True),
T('elide_dead_assignment', [(W, "Eliding assignment to 'x'", '= 1'), (W, 'Eliding side-effect-free expression', 'x =')], '''
probe begin { x = 1; println(2) }
''', p2=True),
T('elide_keeps_calls', [(W, "Eliding assignment to 'x'", '= sema_bump')], '''
// The call has side effects: only the assignment goes.
probe begin { x = sema_bump(); println(1) }
''', p2=True),
T('elide_pure_call', [(W, 'Eliding side-effect-free expression', 'sema_add')], '''
probe begin { sema_add(1, 2); println(1) }
''', p2=True),
T('elide_empty_probe', [(W, "Probe 'end' has been elided", 'probe end')], '''
probe begin { println(1) }
probe end { }
''', p2=True),
T('elide_chain', [(W, "Eliding assignment to 'b'", '= a'), (W, 'Eliding side-effect-free expression', 'b =')], '''
// Eliding b's assignment leaves a unread in turn: that one goes silently
// (SystemTap warns in the first round only).
probe begin { a = 1; b = a; println(2) }
''' if False else '''
// Eliding b's assignment leaves a unread in turn: that one goes silently
// (SystemTap warns in the first round only).
probe begin { a = 1; b = a; println(2) }
''', p2=True),
T('elide_silenced', [], 'probe begin { x = 1; println(2) }', flags='-w', p2=True),
T('unoptimized', [], 'probe begin { x = 1 }', flags='-u', p2=True),
T('display_written_globals', [], '''
// Globals written and never read are printed at the end.
global count, name, hits, pairs, lat, lats
probe begin {
	count = 1; name = "x"; hits[1] = 2; pairs["a", 1] = "b"
	lat <<< 5; lats["p"] <<< 6
}
''', p2=True),
T('display_not_for_read', [], '''
global seen
probe begin { seen = 1 }
probe end { println(seen) }
''', p2=True),
T('never_assigned_global', [(W, "never-assigned global variable 'flag'", 'flag\n')], '''
global flag
probe begin { if (flag) println(1) }
''', p2=True),

# ---- privilege ----
T('stapusr_allowed', [], '''
probe begin, end, timer.ms(10), process("/bin/true").syscall, process.begin { println(sema_unpriv(), sema_myproc(), sema_string(), sema_embexpr_unpriv()) }
''', flags='--unprivileged', p2=True),
T('stapusr_own_pid', [], '''
// The test's own process: the user's own.
probe process($1).begin { println(1) }
''', flags='--privilege=stapusr', args='%PID%'),
T('guru_allows', [], 'probe begin { println(sema_guru(), @const("HZ")) }', flags='-g', p2=True),
T('guru_user_embedded', [], '''
%{
#include <linux/sched.h>
%}
function f:long () %{ STAP_RETVALUE = 1; %}
probe begin { println(f(), %{ 2 %}) }
''', flags='-g', p2=True),
T('stapdev_privileged', [], 'probe begin { println(sema_priv()) }', flags='--privilege=stapdev'),

# ---- Debian's SystemTap library (systemtap-common), where installed ----
T('debian_functions', [], '''
// Resolution against the real library: only what the script reaches is kept.
probe begin { printf("%d %s %d\\n", pid(), execname(), gettimeofday_ms()) }
''', flags='-I /usr/share/systemtap/tapset', needs='/usr/share/systemtap/tapset', p2=True),
T('debian_strings', [], '''
probe begin { println(strlen("abc"), substr("abc", 1, 1), isinstr("a", "b"), ctime(0)) }
''', flags='-I /usr/share/systemtap/tapset', needs='/usr/share/systemtap/tapset', p2=True),
T('debian_oneshot', [], '''
// A library alias with an epilogue; its kernel-only siblings are never reached.
probe oneshot { println("once") }
''', flags='-I /usr/share/systemtap/tapset', needs='/usr/share/systemtap/tapset', p2=True),

# ---- the tapset path ----
T('broken_tapset_unreached', [], '''
// A library file with errors that the script does not need is never
// parsed, so never reported (ustap parses the library on demand).
probe begin { println(semabad_good()) }
''', flags='-I %DIR%/tapset-bad', p2=True),
]
