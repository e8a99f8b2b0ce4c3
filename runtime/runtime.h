/* The one header generated code includes.
 *
 * A module is one translation unit: this header brings in the limits, the
 * platform layer (linux/ in a kernel module, user/ in the ptrace runtime's
 * shared object), the core's declarations, and then the core's code, all
 * static.  doc/runtime.md describes the API generated code targets.
 *
 * Before including it, generated code may define any limit
 * (MAXSTRINGLEN, MAXMAPENTRIES, ..., STP_REGEX_MAX_INSNS); before calling
 * stp_runtime_init() it defines STP_LOCALS_SIZE. */
#ifndef RUNTIME_RUNTIME_H
#define RUNTIME_RUNTIME_H

#include "runtime_defs.h"

#ifdef __KERNEL__
#include "linux/platform.h"
#else
#include "user/platform.h"
#endif

#include "transport_hooks.h"
#include "arith.h"
#include "str.h"
#include "fmt.h"
#include "print.h"
#include "stat.h"
#include "map.h"
#include "lock.h"
#include "rxprog.h"
#include "rxvm.h"
#include "context.h"
#include "umem.h"
#include "timefn.h"
#include "strfn.h"

#include "arith.c"
#include "str.c"
#include "print.c"
#include "printf.c"
#include "stat.c"
#include "hist.c"
#include "map.c"
#include "map_iter.c"
#include "lock.c"
#include "rxvm.c"
#include "session.c"
#include "umem.c"
#include "timefn.c"
#include "strfn.c"

#ifdef __KERNEL__
#include "linux/param.h"
#endif

#endif
