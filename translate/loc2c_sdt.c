/* $argN of an SDT marker: the parsed operand (debuginfo_sdt.c) as C.
 * "sym+8(%rip)" is the address of sym plus 8 (the assembler made it
 * pc-relative), so it needs the load bias, not the pc. */
#include "translate/loc2c_int.h"
#include <stdlib.h>
#include <string.h>

static int value(Gen *g, int t, int size, bool sgn)
{
	if (size == 8)
		return t;
	int r = l2c_gen_temp(g);
	if (sgn)
		l2c_gen_line(g, "t[%d] = (uint64_t)(int64_t)(int%d_t)t[%d];", r, size * 8, t);
	else
		l2c_gen_line(g, "t[%d] = (uint64_t)(uint%d_t)t[%d];", r, size * 8, t);
	return r;
}

int l2c_sdt_arg(DiModule *m, const DiMark *mk, int n, const char *fn, L2cAccess *out,
		char **err)
{
	memset(out, 0, sizeof(*out));
	*err = NULL;
	if (n < 1 || n > mk->nargs) {
		*err = l2c_strdup_printf("marker %s:%s has %d argument%s: $arg%d does not exist",
					 mk->provider, mk->name, mk->nargs,
					 mk->nargs == 1 ? "" : "s", n);
		return -1;
	}
	const DiSdtArg *a = &mk->arg[n - 1];
	Gen g = { .m = m, .pc = mk->addr, .fail = "return -1" };
	int t = l2c_gen_temp(&g);
	l2c_gen_line(&g, "/* $arg%d: %s */", n, a->text);
	switch (a->kind) {
	case DI_SDT_CONST:
		if (a->symbol) {
			g.uses_bias = true;
			l2c_gen_line(&g, "t[%d] = f->bias + 0x%llxULL + (uint64_t)%lldLL;", t,
				 (unsigned long long)a->symbol_addr, (long long)a->value);
		} else {
			l2c_gen_line(&g, "t[%d] = (uint64_t)%lldLL;", t, (long long)a->value);
		}
		break;
	case DI_SDT_REG:
		l2c_gen_line(&g, "t[%d] = l2c_reg(f, %d) >> %d;", t, a->reg, a->reg_shift);
		break;
	case DI_SDT_MEM: {
		if (a->reg == DI_SDT_RIP && !a->symbol) {
			*err = l2c_strdup_printf("SDT argument '%s' of %s:%s is relative to the pc "
						 "without a symbol", a->text, mk->provider, mk->name);
			return -1;
		}
		l2c_gen_line(&g, "t[%d] = (uint64_t)%lldLL;", t, (long long)a->value);
		if (a->symbol) {
			g.uses_bias = true;
			l2c_gen_line(&g, "t[%d] += f->bias + 0x%llxULL;", t,
				 (unsigned long long)a->symbol_addr);
		}
		if (a->reg >= 0 && a->reg != DI_SDT_RIP)
			l2c_gen_line(&g, "t[%d] += l2c_reg(f, %d);", t, a->reg);
		if (a->index >= 0)
			l2c_gen_line(&g, "t[%d] += l2c_reg(f, %d) * %d;", t, a->index, a->scale);
		int v = l2c_gen_temp(&g);
		l2c_gen_check(&g, "l2c_read_uint(f, t[%d], %d, &t[%d])", t, a->size, v);
		t = v;
		break;
	}
	}
	t = value(&g, t, a->size, a->is_signed);
	StrBuf c = { 0 };
	sb_printf(&c, "static int %s(struct l2c_frame *f, int64_t *out)\n{\n", fn);
	sb_printf(&c, "\tuint64_t t[%d];\n\n", g.ntemps);
	sb_putn(&c, g.body.s, g.body.len);
	sb_printf(&c, "\t*out = (int64_t)t[%d];\n\treturn 0;\n}\n", t);
	sb_free(&g.body);
	out->fn = strdup(fn);
	out->code = c.s;
	out->kind = L2C_LONG;
	out->uses_bias = g.uses_bias;
	return 0;
}
