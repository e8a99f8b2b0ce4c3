/* The whole ptrace utrace engine as one translation unit, for generated
 * code that builds the runtime by including it (pass 4 on the user
 * platform).  Each file keeps its statics under a ut_ prefix so they can
 * share a unit. */
#include "utrace.c"
#include "utrace_task.c"
#include "utrace_stop.c"
#include "utrace_clone.c"
#include "utrace_seccomp.c"
#include "utrace_loop.c"
#include "utrace_spawn.c"
#include "utrace_attach.c"
