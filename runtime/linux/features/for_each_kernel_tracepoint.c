/* STP_HAVE_FOR_EACH_KERNEL_TRACEPOINT: tracepoints are found by name (3.15+) */
#include <linux/tracepoint.h>

void (*stp_feature)(void (*)(struct tracepoint *, void *), void *);
void (*stp_feature)(void (*)(struct tracepoint *, void *), void *) = for_each_kernel_tracepoint;
