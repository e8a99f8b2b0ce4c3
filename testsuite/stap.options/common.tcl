# Procedures the option tests share (sourced by each stap.options/*.exp).

set opt_dir [file normalize [file dirname [info script]]]
set opt_tmp "$stap_test_dir/options"
file delete -force $opt_tmp
file mkdir $opt_tmp

# Runs stap with a private, empty $SYSTEMTAP_DIR unless the caller set up
# one (opt_with_rc), and returns [list status stdout stderr].
proc opt_run {args} {
    global stap_bin env opt_tmp opt_rc_dir
    set saved $env(SYSTEMTAP_DIR)
    if {[info exists opt_rc_dir]} {
        set env(SYSTEMTAP_DIR) $opt_rc_dir
    } else {
        file mkdir "$opt_tmp/no-rc"
        set env(SYSTEMTAP_DIR) "$opt_tmp/no-rc"
    }
    set r [stap_run_capture $stap_bin {*}$args]
    set env(SYSTEMTAP_DIR) $saved
    return $r
}

# The session stap parsed, as a dict of NAME -> list of values (options
# that repeat give several), through USTAP_DUMP_OPTIONS.  Returns
# [list status dict stderr].
proc opt_dump {args} {
    global env
    set env(USTAP_DUMP_OPTIONS) 1
    set r [opt_run {*}$args]
    unset env(USTAP_DUMP_OPTIONS)
    set d [dict create]
    foreach line [split [lindex $r 1] "\n"] {
        if {[regexp {^([a-z_]+)=(.*)$} $line -> k v]} { dict lappend d $k $v }
    }
    return [list [lindex $r 0] $d [lindex $r 2]]
}

# Checks that `stap ARGS` parses with exit 0, nothing on stderr (or
# exactly want_err), and that each "key=value" in want is in the parsed
# session (all values of a repeated key: "key=v1|v2").
proc opt_accept {name argv want {want_err ""}} {
    set r [opt_dump {*}$argv]
    set st [lindex $r 0]; set d [lindex $r 1]; set err [lindex $r 2]
    set why ""
    if {$st != 0 || $err ne $want_err} {
        set why "status $st, stderr: $err"
    }
    foreach kv $want {
        regexp {^([a-z_]+)=(.*)$} $kv -> k v
        set got [expr {[dict exists $d $k] ? [join [dict get $d $k] |] : "<unset>"}]
        if {$got ne $v} { append why "$k is '$got', expected '$v'; " }
    }
    stap_result [expr {$why eq ""}] "accept: $name" $why
}

# Checks that `stap ARGS` fails with status 1, no stdout, and exactly the
# one line "stap: MESSAGE" on stderr.
proc opt_reject {name argv message} {
    set r [opt_run {*}$argv]
    set st [lindex $r 0]; set out [lindex $r 1]; set err [lindex $r 2]
    set ok [expr {$st == 1 && $out eq "" && $err eq "stap: $message\n"}]
    stap_result $ok "reject: $name" "status $st, stdout '$out', stderr '$err'"
}

# Writes text to a file under the options scratch folder; returns its path.
proc opt_file {name text} {
    global opt_tmp
    set path "$opt_tmp/$name"
    file mkdir [file dirname $path]
    set fd [open $path w]
    puts -nonewline $fd $text
    close $fd
    return $path
}

# Runs -p1 and returns the lines of the printed tree, stripped of leading
# blanks, or the error output when it failed.
proc opt_tree {args} {
    set r [opt_run -p1 {*}$args]
    if {[lindex $r 0] != 0} { return [list "FAILED [lindex $r 0]: [lindex $r 2]"] }
    set lines {}
    foreach l [split [lindex $r 1] "\n"] { lappend lines [string trim $l] }
    return $lines
}

# Checks that -p1 with ARGS prints a tree holding the line want.
proc opt_tree_has {name argv want} {
    set t [opt_tree {*}$argv]
    stap_result [expr {[lsearch -exact $t $want] >= 0}] "pass 1: $name" \
        "expected the line '$want' in:\n[join $t \n]"
}

# True when stap is built with AddressSanitizer, which reserves terabytes of
# address space (so address-space limits cannot apply).
proc opt_sanitized {} {
    global stap_bin
    return [expr {![catch {exec ldd $stap_bin} libs] && [string match "*libasan*" $libs]}]
}

# Removes the scratch folder at the end of a test file, so a build tree is
# clean after `make check` (distcheck's distcleancheck counts leftovers).
proc opt_done {} {
    global opt_tmp
    file delete -force $opt_tmp
}
