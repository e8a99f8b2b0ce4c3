/* Variables of every kind loc2c reads, for the harness tests: before each
 * call the program prints what the probe should see, as lines
 * "EXPECT <expression> <value>", so the test compares the values read
 * through the generated C with the program's own. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct inner {
	short s;
	unsigned char uc;
};

enum color { RED, GREEN = 5, BLUE = -2 };

struct rec {
	char c;
	unsigned char uc;
	signed char sc;
	short sh;
	unsigned short ush;
	int i;
	unsigned u;
	long l;
	unsigned long ul;
	long long ll;
	bool b;
	float f;
	double d;
	int *ip;
	const char *str;
	char name[8];
	int arr[3];
	int grid[2][3];
	struct inner in;
	struct inner *inp;
	union {
		int ui;
		char bytes[4];
	} un;
	enum color e;
	unsigned bf:3;
	int sbf:5;
	unsigned long wide:40;
	struct rec *next;
};

struct pair {
	long a, b;
};

int gcount = 42;
const char *gmsg = "global message";
__thread int tlsv = 17;
struct rec grec;
FILE *gout;

static uint64_t bits(double d)
{
	uint64_t u;
	memcpy(&u, &d, sizeof(u));
	return u;
}

__attribute__((noinline)) long probe_me(struct rec *r, struct pair pr, int n, const char *s,
					 double dd, char ch)
{
	static int calls;
	long sum = n + pr.a + pr.b;
	calls++;
	for (int k = 0; k < n; k++)
		sum += r->arr[k % 3];
	return sum + calls + (long)dd + ch + (s ? s[0] : 0);
}

int main(int argc, char **argv)
{
	int base = argc + 6;	/* 7, not known to the compiler */
	static int target = 99;
	struct inner pointed = { (short)-base, (unsigned char)(200 + argc) };
	struct rec next = { 0 };
	struct rec r = { 0 };
	next.i = base * 3;
	r.c = (char)('a' + base);
	r.uc = (unsigned char)(250 + argc);
	r.sc = (signed char)-base;
	r.sh = (short)(-300 * base);
	r.ush = (unsigned short)(60000 + argc);
	r.i = -100000 * base;
	r.u = 4000000000u + (unsigned)argc;
	r.l = -5000000000L * base;
	r.ul = 18000000000000000000UL + (unsigned long)argc;
	r.ll = -7LL * base;
	r.b = argc > 0;
	r.f = 1.5f * (float)base;
	r.d = -2.25 * base;
	r.ip = &target;
	r.str = argc > 5 ? "other" : "hello \"quoted\"\n";
	strcpy(r.name, "abc");
	for (int k = 0; k < 3; k++)
		r.arr[k] = base * 10 + k;
	for (int a = 0; a < 2; a++)
		for (int k = 0; k < 3; k++)
			r.grid[a][k] = a * 100 + k + base;
	r.in.s = (short)(base + 1000);
	r.in.uc = 'Q';
	r.inp = &pointed;
	r.un.ui = 0x41424344;
	r.e = argc > 5 ? RED : BLUE;
	r.bf = (unsigned)(base - 2);
	r.sbf = -base - 3;
	r.wide = 0xabcdef1234UL + (unsigned long)argc;
	r.next = &next;
	struct pair pr = { 11L * base, -13L * base };
	const char *arg = "arg";
	grec.i = base;
	gout = stdout;

	printf("EXPECT $r->c %d\n", r.c);
	printf("EXPECT $r->uc %d\n", r.uc);
	printf("EXPECT $r->sc %d\n", r.sc);
	printf("EXPECT $r->sh %d\n", r.sh);
	printf("EXPECT $r->ush %d\n", r.ush);
	printf("EXPECT $r->i %d\n", r.i);
	printf("EXPECT $r->u %u\n", r.u);
	printf("EXPECT $r->l %ld\n", r.l);
	printf("EXPECT $r->ul %ld\n", (long)r.ul);
	printf("EXPECT $r->ll %lld\n", r.ll);
	printf("EXPECT $r->b %d\n", r.b);
	printf("EXPECT $r->f %lld\n", (long long)bits((double)r.f));
	printf("EXPECT $r->d %lld\n", (long long)bits(r.d));
	printf("EXPECT $r->ip %ld\n", (long)r.ip);
	printf("EXPECT $r->ip[0] %d\n", r.ip[0]);
	printf("EXPECT $r->name[2] %d\n", r.name[2]);
	printf("EXPECT $r->arr[1] %d\n", r.arr[1]);
	printf("EXPECT $r->arr[$n-6] %d\n", r.arr[base - 6]);
	printf("EXPECT $r->grid[1][2] %d\n", r.grid[1][2]);
	printf("EXPECT $r->in->s %d\n", r.in.s);
	printf("EXPECT $r->inp->uc %d\n", r.inp->uc);
	printf("EXPECT $r->un->ui %d\n", r.un.ui);
	printf("EXPECT $r->un->bytes[3] %d\n", r.un.bytes[3]);
	printf("EXPECT $r->e %d\n", (int)r.e);
	printf("EXPECT $r->bf %u\n", r.bf);
	printf("EXPECT $r->sbf %d\n", r.sbf);
	printf("EXPECT $r->wide %ld\n", (long)r.wide);
	printf("EXPECT $r->next->i %d\n", r.next->i);
	printf("EXPECT &$r->arr[2] %ld\n", (long)&r.arr[2]);
	printf("EXPECT $pr->a %ld\n", pr.a);
	printf("EXPECT $pr->b %ld\n", pr.b);
	printf("EXPECT $n %d\n", base);
	printf("EXPECT $dd %lld\n", (long long)bits(0.5 * base));
	printf("EXPECT $ch %d\n", 'A' + argc);
	printf("EXPECT @var(\"gcount\") %d\n", gcount);
	printf("EXPECT @var(\"gmsg@vars.c\") %ld\n", (long)gmsg);
	printf("EXPECT @var(\"grec@vars.c\")->i %d\n", grec.i);
	printf("EXPECT @var(\"tlsv\") %d\n", tlsv);
	printf("EXPECT @cast($r, \"struct rec\")->i %d\n", r.i);
	printf("EXPECT @cast($r, \"struct inner\")->s %d\n", *(short *)&r);
	printf("EXPECT @cast(gout, \"FILE\", \"<stdio.h>\")->_fileno %d\n", fileno(gout));
	printf("EXPECT ($r->next)->i %d\n", r.next->i);
	printf("EXPECT (&$r->in)->uc %d\n", r.in.uc);
	printf("EXPECT $r->in$ {.s=%d, .uc='%c'}\n", r.in.s, r.in.uc);
	printf("EXPECT $r->next->in$$ {.s=0, .uc='\\000'}\n");
	printf("EXPECT $r->grid$$ [%d, ...]\n", r.grid[0][0]);
	printf("EXPECT $r->inp$ {.s=%d, .uc='\\%03o'}\n", pointed.s, pointed.uc);
	printf("EXPECT $r->str$ \"hello \\\"quoted\\\"\\n\"\n");
	printf("EXPECT $r->name$ \"abc\"\n");
	printf("EXPECT $r->arr$ [%d, ...]\n", r.arr[0]);
	printf("EXPECT $pr$ {.a=%ld, .b=%ld}\n", pr.a, pr.b);
	printf("EXPECT $s$ \"%s\"\n", "arg");
	printf("EXPECT $$parms ");
	printf("r=0x%lx pr={...} n=0x%x s=0x%lx dd=0x%llx ch=0x%x\n", (long)&r, base, (long)arg,
	       (unsigned long long)bits(0.5 * base), 'A' + argc);
	fflush(stdout);
	long v = probe_me(&r, pr, base, arg, 0.5 * base, (char)('A' + argc));
	printf("EXPECT $return %ld\n", v);
	printf("EXPECT $$return return=0x%lx\n", v);
	printf("EXPECT $return$ %ld\n", v);
	return 0;
}
