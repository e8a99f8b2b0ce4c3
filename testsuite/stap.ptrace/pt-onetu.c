/* The ptrace utrace engine must also build as one translation unit
 * (runtime/user/utrace_all.c), the way pass 4 compiles it into a module. */
#include "runtime/user/utrace_all.c"

int main(void)
{
	return stp_user_tracer_init() < 0;
}
