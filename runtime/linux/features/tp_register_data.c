/* STP_HAVE_TP_PROBE_REGISTER_DATA: tracepoint_probe_register(tp, probe, data) */
#include <linux/tracepoint.h>

int (*stp_feature)(struct tracepoint *, void *, void *);
int (*stp_feature)(struct tracepoint *, void *, void *) = tracepoint_probe_register;
