# Helpers for the stap.transport tier, sourced by its .exp files.
set staprun "$top_builddir/staprun/staprun"
set fake "$top_builddir/testsuite/stap.transport/fake-user.so"
set ttmp [file normalize "$stap_test_dir/transport"]
file mkdir $ttmp
# Messages are compared as plain text.
set env(SYSTEMTAP_COLORS) ""
if {[info exists env(SYSTEMTAP_VERBOSE)]} { unset env(SYSTEMTAP_VERBOSE) }

# r is what stap_run_capture returned; compares all three parts exactly.
proc tr_expect {name r status out err} {
    set ok [expr {[lindex $r 0] eq $status && [lindex $r 1] eq $out && [lindex $r 2] eq $err}]
    stap_result $ok $name "status [lindex $r 0] (want $status)\nstdout <<[lindex $r 1]>>\nstderr <<[lindex $r 2]>>"
}

proc tr_read {path} {
    if {![file exists $path]} { return "<missing>" }
    set fd [open $path r]
    fconfigure $fd -translation binary
    set d [read $fd]
    close $fd
    return $d
}

proc tr_write {path data} {
    set fd [open $path w]
    fconfigure $fd -translation binary
    puts -nonewline $fd $data
    close $fd
}

# Waits (20 s at most) until the file's text matches re.
proc tr_wait_file {path re} {
    for {set i 0} {$i < 200} {incr i} {
        if {[regexp $re [tr_read $path]]} { return 1 }
        after 100
    }
    return 0
}

# Waits (20 s at most) until process pid is gone.
proc tr_wait_gone {pid} {
    for {set i 0} {$i < 200} {incr i} {
        if {![file exists /proc/$pid]} { return 1 }
        after 100
    }
    return 0
}

# Expects re from the spawned process; 0 on timeout or end of file.
proc tr_see {re} {
    expect {
        -re $re { return 1 }
        timeout { return 0 }
        eof { return 0 }
    }
}

# Collects the spawned process's exit status after it closed its output.
proc tr_reap {} {
    expect { eof {} timeout { catch {close}; } }
    set w [wait]
    return [lindex $w 3]
}
set timeout 30
