# Shared by the stap.dwarf tests: building the test programs and asking
# dwquery, gdb, readelf and objdump about them.

set dwquery "$top_builddir/testsuite/tools/dwquery"
set dwsrc "$srcdir/$subdir"
set dwdir "$stap_test_dir/dwarf"
file mkdir $dwdir

# Compiles sources (relative to this folder) into $dwdir/$name with the
# given flags; returns the path, or "" after a failed test.
proc dw_build {name sources args} {
    global dwsrc dwdir
    set srcs {}
    foreach s $sources { lappend srcs "$dwsrc/$s" }
    set cc gcc
    if {[lindex $args 0] eq "clang"} {
        set cc clang
        set args [lrange $args 1 end]
    }
    set out "$dwdir/$name"
    # Flags after the sources, so -l options find what they use.
    set r [stap_run_capture $cc -I$dwsrc -o $out {*}$srcs {*}$args]
    if {[lindex $r 0] != 0} {
        fail "dwarf: build $name"
        verbose -log "build $name: $r" 0
        return ""
    }
    return $out
}

proc dwq {args} {
    global dwquery
    return [stap_run_capture $dwquery {*}$args]
}

# Lines of a command's stdout (a failed command gives none).
proc dw_lines {r} {
    return [split [string trimright [lindex $r 1] "\n"] "\n"]
}

# gdb's breakpoint addresses for a location, as a sorted list of
# integers (several for a function inlined in several places).
proc gdb_break_addrs {prog where} {
    set r [stap_run_capture gdb -nx -batch -ex "break $where" -ex "info breakpoints" $prog]
    set addrs {}
    foreach line [dw_lines $r] {
        if {[regexp {^[0-9.]+\s+(?:breakpoint\s+keep\s+y\s+)?(?:y\s+)?(0x[0-9a-f]+)} $line -> a]} {
            lappend addrs [expr {$a}]
        }
    }
    return [lsort -integer -unique $addrs]
}

# gdb's "info line FILE:N": the start address, or "" when the line has
# no code.
proc gdb_line_addr {prog where} {
    set r [stap_run_capture gdb -nx -batch -ex "info line $where" $prog]
    if {[regexp {starts at address (0x[0-9a-f]+)} [lindex $r 1] -> a]} {
        return [expr {$a}]
    }
    return ""
}

# The field after "key=" in a dwquery output line.
proc dw_field {line key} {
    if {[regexp "(?:^| )$key=(\[^ \]+)" $line -> v]} {
        return $v
    }
    return ""
}

# Is the host's SystemTap (the reference) there to compare with?
proc have_reference_stap {} {
    return [expr {[file executable /usr/bin/stap] && [file isdirectory /lib/modules/6.1.0-50-amd64/build]}]
}

# ---- running generated accessors against a live process ----
#
# Each item is {label dwquery-args ?index-args index-add?}: dwquery's
# "access"/"mark-access" output for dwquery-args becomes a C function; an
# accessor with an [expr] index gets, as its argument, the value of the
# accessor for index-args plus index-add.  The harness runs prog, stops it
# at addr (after the function returns with ret), and prints each value.
# Returns a dict: label -> value (or "error: ..."), and "EXPECT label" ->
# what the program printed on its "EXPECT label value" lines.
proc l2c_run {prog addr ret items {lib {}}} {
    global dwdir dwsrc top_srcdir
    set code {}
    set calls {}
    set results [dict create]
    set i 0
    foreach item $items {
        lassign $item label args idxargs idxadd
        set r [dwq $prog {*}$args]
        if {[lindex $r 0] != 0} {
            dict set results $label "translate error: [string trim [lindex $r 2]]"
            incr i
            continue
        }
        set text [lindex $r 1]
        set header [lindex [split $text "\n"] 0]
        regsub {l2c_access_0} $text "acc_$i" text
        append code $text "\n"
        set pre ""
        set callargs "f"
        if {[regexp {nindex=([1-9])} $header] || [regexp {base=1} $header]} {
            set r2 [dwq $prog {*}$idxargs]
            if {[lindex $r2 0] != 0} {
                dict set results $label "translate error: [string trim [lindex $r2 2]]"
                incr i
                continue
            }
            set t2 [lindex $r2 1]
            regsub {l2c_access_0} $t2 "idx_$i" t2
            append code $t2 "\n"
            set pre "int64_t ix = 0; if (idx_$i\(f, &ix)) printf(\"VALUE $i error %s\\n\", f->err); ix += $idxadd;"
            append callargs ", ix"
        }
        if {[string match "*kind=string*" $header]} {
            lappend calls "\t{ char s\[MAXSTRINGLEN\]; $pre if (acc_$i\($callargs, s)) printf(\"VALUE $i error %s\\n\", f->err); else printf(\"VALUE $i %s\\n\", s); }"
        } else {
            lappend calls "\t{ int64_t v = 0; $pre if (acc_$i\($callargs, &v)) printf(\"VALUE $i error %s\\n\", f->err); else printf(\"VALUE $i %lld\\n\", (long long)v); }"
        }
        incr i
    }
    set work "$dwdir/harness-[file tail $prog][expr {$lib ne "" ? "-lib" : ""}]"
    file mkdir $work
    set fd [open "$work/gen.c" w]
    puts $fd $code
    puts $fd "static void run_accesses(struct l2c_frame *f)\n\{\n\t(void)f;"
    puts $fd [join $calls "\n"]
    puts $fd "\}"
    close $fd
    set r [stap_run_capture gcc -g -Wall -Wextra -Werror -Wno-unused-function \
               -I$top_srcdir/runtime -I$work -o $work/harness $dwsrc/harness.c]
    if {[lindex $r 0] != 0} {
        dict set results _build "harness build failed: [lindex $r 2]"
        return $results
    }
    set cmd [list $work/harness]
    if {$ret} { lappend cmd -r }
    # lib: {LIBRARY MAIN PROGRAM}: prog is a library whose code PROGRAM
    # runs; it is mapped once PROGRAM reaches its address MAIN.
    set run $prog
    if {$lib ne ""} {
        lappend cmd -l [lindex $lib 0] [format 0x%x [lindex $lib 1]]
        set run [lindex $lib 2]
    }
    set r [stap_run_capture {*}$cmd [format 0x%x $addr] $run]
    dict set results _run $r
    set labels {}
    foreach item $items { lappend labels [lindex $item 0] }
    foreach line [dw_lines $r] {
        if {[regexp {^VALUE (\d+) (.*)$} $line -> k v]} {
            dict set results [lindex $labels $k] $v
        } elseif {[regexp {^EXPECT (.*)$} $line -> rest]} {
            foreach l $labels {
                if {[string first "$l " $rest] == 0} {
                    dict set results "EXPECT $l" [string range $rest [string length "$l "] end]
                }
            }
        }
    }
    return $results
}

# Passes or fails one test per item: its value is what the program said.
proc l2c_check {results items prefix {skip {}}} {
    if {[dict exists $results _build]} {
        fail "$prefix: harness builds"
        verbose -log [dict get $results _build] 0
        return
    }
    foreach item $items {
        set l [lindex $item 0]
        if {[lsearch -exact $skip $l] >= 0} continue
        set got [expr {[dict exists $results $l] ? [dict get $results $l] : "(none)"}]
        set want [expr {[dict exists $results "EXPECT $l"] ? [dict get $results "EXPECT $l"] : "(no EXPECT)"}]
        stap_result [expr {$got eq $want}] "$prefix: $l" "got '$got' want '$want' [dict get $results _run]"
    }
}
