# Shared by uprobes.exp and kernel.exp: gdb's view of the stack of
# up-target at up_bt_leaf (mode "bt 5"), to compare backtraces with.
#
# gdb stops at the same place (its breakpoint at up_bt_leaf is the probe
# point the debuginfo layer chose); each frame is given as its offset in
# its file's mappings (two runs have different layouts), the file, and
# its symbol and offset as gdb's "info symbol" gives them (the ELF
# symbol tables, which is what a module embeds).

proc up_gdb_frames {prog} {
    global stap_test_dir
    set cmds "$stap_test_dir/up-bt.gdb"
    set fd [open $cmds w]
    puts $fd "set pagination off\nset confirm off\nset debuginfod enabled off"
    puts $fd "set backtrace past-main on\nbreak up_bt_leaf\nrun bt 5\nbt\ninfo proc mappings"
    for {set i 0} {$i < 12} {incr i} {
        puts $fd "frame $i\nprintf \"gdbframe $i 0x%lx\\n\", \$pc\ninfo symbol \$pc"
    }
    puts $fd "kill"
    close $fd
    set r [stap_run_capture timeout 300 gdb -nx -batch -x $cmds --args $prog]
    set out [lindex $r 1]
    # The lowest mapping of each file.
    set lo [dict create]
    foreach line [split $out "\n"] {
        if {[regexp {^\s+0x([0-9a-f]+)\s+0x[0-9a-f]+\s+0x[0-9a-f]+\s+0x[0-9a-f]+\s+\S+\s+(/\S+)$} \
                 $line -> start path]} {
            set path [file normalize $path]
            set s [expr {"0x$start"}]
            if {![dict exists $lo $path] || $s < [dict get $lo $path]} { dict set lo $path $s }
        }
    }
    set frames {}
    set cur ""
    foreach line [split $out "\n"] {
        if {[regexp {^gdbframe (\d+) (0x[0-9a-f]+)$} $line -> i pc]} {
            if {$i != [llength $frames]} { break }
            set cur $pc
        } elseif {$cur ne "" && [regexp {^(\S+)(?: \+ (\d+))? in section \S+(?: of (\S+))?$} \
                                     $line -> sym off path]} {
            if {$off eq ""} { set off 0 }
            if {$path eq ""} { set path $prog }
            # gdb names libc by the path it opened (/lib is a symlink).
            set path [file normalize $path]
            set mlo [expr {[dict exists $lo $path] ? [dict get $lo $path] : 0}]
            lappend frames [list [format 0x%x [expr {$cur - $mlo}]] $path $sym [format 0x%x $off]]
            set cur ""
        }
    }
    return $frames
}

