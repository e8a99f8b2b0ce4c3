/* STP_HAVE_TP_FUNCS: struct tracepoint lists its probes in funcs[] */
#include <linux/tracepoint.h>

void *stp_feature(struct tracepoint *tp);
void *stp_feature(struct tracepoint *tp)
{
	struct tracepoint_func *f = rcu_dereference_raw(tp->funcs);

	return f ? f[0].func : NULL;
}
