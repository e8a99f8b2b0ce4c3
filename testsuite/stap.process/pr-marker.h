/* Markers: getppid with arguments, which the kernel ignores and the
 * probes read (pr-target's modes ids, umem and cmdline). */
#ifndef PR_MARKER_H
#define PR_MARKER_H

#define PR_MAGIC 0x5054415053554c45L	/* "ELUSPATP" */

enum {
	PR_M_IDS = 1,		/* the process-context functions */
	PR_M_STRING,		/* user_string(arg3) */
	PR_M_STRING_N,		/* user_string_n(arg3, arg4) */
	PR_M_QUOTED,		/* user_string_quoted(arg3) */
	PR_M_INTS,		/* user_long/int/short/char(arg3) and the _error forms */
	PR_M_CMDLINE,		/* cmdline_str() and friends */
};

#endif
