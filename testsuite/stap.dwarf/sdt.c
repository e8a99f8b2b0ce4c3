/* SDT markers for the .mark tests: arguments of each size and
 * signedness, in registers, on the stack, in globals (%rip-relative) and
 * indexed memory, and a marker guarded by a semaphore.  The program
 * prints "EXPECT <marker> $argN <value>" for what each should read. */
#define _SDT_HAS_SEMAPHORES 1
#include <stdio.h>
#include <sys/sdt.h>

/* With _SDT_HAS_SEMAPHORES every marker has one; only "hot" is tested
 * before firing, as dtrace -G programs do. */
unsigned short app_hot_semaphore __attribute__((section(".probes")));
unsigned short app_mixed_semaphore __attribute__((section(".probes")));
unsigned short app_glob_semaphore __attribute__((section(".probes")));
unsigned short other_empty_semaphore __attribute__((section(".probes")));
long garr[4] = { 10, 20, 30, 40 };
static long counter = 41;

int main(int argc, char **argv)
{
	char c = (char)('a' + argc);
	short s = (short)(-300 * argc);
	int i = -70000 * argc;
	long l = 5000000000L * argc;
	unsigned char uc = (unsigned char)(200 + argc);
	long *p = &garr[argc];

	(void)argv;
	printf("EXPECT mixed $arg1 %d\n", c);
	printf("EXPECT mixed $arg2 %d\n", s);
	printf("EXPECT mixed $arg3 %d\n", i);
	printf("EXPECT mixed $arg4 %ld\n", l);
	printf("EXPECT mixed $arg5 %d\n", uc);
	printf("EXPECT mixed $arg6 %ld\n", garr[argc]);
	printf("EXPECT glob $arg1 %ld\n", counter);
	printf("EXPECT glob $arg2 %ld\n", (long)&garr[2]);
	printf("EXPECT glob $arg3 %ld\n", *p);
	fflush(stdout);
	STAP_PROBE6(app, mixed, c, s, i, l, uc, garr[argc]);
	STAP_PROBE3(app, glob, counter, &garr[2], *p);
	if (app_hot_semaphore)
		STAP_PROBE1(app, hot, l);
	STAP_PROBE(other, empty);
	counter++;
	return 0;
}
