/* Functions for the .function and .statement tests: external, static,
 * inlined (twice at -O2, and always), and one in a header. */
#include <stdio.h>
#include <stdlib.h>
#include "funcs.h"

struct node {
	int value;
	struct node *next;
};

static inline int square(int v)
{
	return v * v;
}

__attribute__((noinline)) static long helper(long a, long b)
{
	long r = a * b;
	if (r > 1000)
		r -= 1000;
	return r;
}

__attribute__((noinline)) long compute(int a, long b)
{
	long r = a + b;
	r += square(a);
	r += helper(a, b);
	return r + twice(a);
}

/* Another name for compute: a symbol only, no DWARF of its own. */
long compute_alias(int a, long b) __attribute__((alias("compute")));

__attribute__((noinline)) int walk(struct node *head)
{
	int total = 0;
	for (struct node *n = head; n; n = n->next) {
		int v = n->value;

		total += square(v);
	}
	return total;
}

int main(int argc, char **argv)
{
	struct node c = { 3, NULL }, b = { 2, &c }, a = { argc, &b };
	printf("%ld\n", compute(argc, 10));
	printf("%d\n", walk(&a));
	return argc > 5 ? atoi(argv[1]) : 0;
}
