/* The kernel's restart codes (include/linux/errno.h, unchanged since
 * 2.6), which a ptrace tracer sees as a syscall's result at its exit stop
 * when a signal interrupted it.  gen-tables.sh reads them for the ptrace
 * runtime's errno names when the running kernel has no build tree. */
#define ERESTARTSYS	512
#define ERESTARTNOINTR	513
#define ERESTARTNOHAND	514
#define ERESTART_RESTARTBLOCK 516
