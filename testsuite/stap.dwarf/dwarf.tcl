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
    set r [stap_run_capture $cc {*}$args -I$dwsrc -o $out {*}$srcs]
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
