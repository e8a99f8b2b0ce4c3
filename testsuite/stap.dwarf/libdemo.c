/* A shared library for the .library and .plt tests. */
#include <string.h>

int lib_counter = 5;

__attribute__((noinline)) int lib_add(int a, int b)
{
	lib_counter += a;
	return a + b + lib_counter;
}

__attribute__((noinline)) size_t lib_len(const char *s)
{
	return strlen(s);
}
