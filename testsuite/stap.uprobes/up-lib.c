/* The shared library the stap.uprobes tier probes after a dlopen. */
#define NOINLINE __attribute__((noinline, noclone, used))

static volatile long up_lib_sink;

NOINLINE long up_lib_mul(long a, long b)
{
	up_lib_sink += a;
	return a * b;
}
