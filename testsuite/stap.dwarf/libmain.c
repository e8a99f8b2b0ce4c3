/* Calls into libdemo.so through the PLT; prints what a probe on lib_add
 * should read, as "EXPECT <expression> <value>" lines. */
#include <stdio.h>
#include <stdlib.h>

extern int lib_counter;
int lib_add(int a, int b);
size_t lib_len(const char *s);

int main(int argc, char **argv)
{
	int a = argc + 2, b = argc * 10;
	printf("EXPECT $a %d\n", a);
	printf("EXPECT $b %d\n", b);
	printf("EXPECT @var(\"lib_counter\") %d\n", lib_counter);
	fflush(stdout);
	int r = lib_add(a, b);
	printf("result %d %zu\n", r, lib_len(argv[0]));
	return argc > 5 ? atoi(argv[1]) : 0;
}
