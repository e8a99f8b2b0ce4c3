/* Pretty-printing: $x$, $x$$, $$vars, $$parms, $$locals and $$return, in
 * SystemTap's formats (stapprobes(3stap), checked against its pass-3
 * output in stap.dwarf/pretty.exp):
 *
 *   $$vars        "a=0x5 s={...} arr=[...] f=?": numbers in hex, the
 *                 members of aggregates left out
 *   $x$           "{.a=5, .c='x', .s="text", .p=0x601040, .in={...}, .arr=[...]}"
 *   $x$$          the same with nested members and arrays' first element:
 *                 "{.a=5, .in={.b=1}, .arr=[1, ...], .name="abc"}"
 *
 * A pointer printed on its own is followed once ($p$ shows the struct it
 * points to); a char pointer or array is a quoted string; when the memory
 * cannot be read the address is printed in hex instead.  Floating-point
 * members and values with no location print as '?'. */
#include "translate/loc2c_int.h"
#include <stdlib.h>
#include <string.h>

enum { MAX_DEPTH = 12 };

static void text(Gen *g, const char *s)
{
	if (!*s)
		return;
	StrBuf q = { 0 };
	sb_put_quoted(&q, s, strlen(s));
	l2c_gen_line(g, "l2c_puts(o, %s);", sb_str(&q));
	sb_free(&q);
}

static bool char_type(Dwarf_Die *type)
{
	Dwarf_Die t;
	return type && l2c_peel(type, &t) && l2c_is_char(&t);
}

/* Starts a region whose read faults print the pointer in temp p instead. */
static int protect_begin(Gen *g, const char **saved)
{
	int label = g->nlabels++;
	int pos = l2c_gen_temp(g);
	l2c_gen_line(g, "t[%d] = o->len;", pos);
	*saved = g->fail;
	char *fail = arena_alloc(&g->m->arena, 32);
	snprintf(fail, 32, "goto l2c_fb%d", label);
	g->fail = fail;
	return label | pos << 16;
}

static void protect_end(Gen *g, int token, const char *saved, int p)
{
	int label = token & 0xffff, pos = token >> 16;
	g->fail = saved;
	l2c_gen_line(g, "goto l2c_fb%d_done;", label);
	sb_printf(&g->body, "l2c_fb%d:\n", label);
	l2c_gen_line(g, "f->err = NULL;");
	l2c_gen_line(g, "l2c_rewind(o, (size_t)t[%d]);", pos);
	l2c_gen_line(g, "l2c_hex(o, t[%d]);", p);
	sb_printf(&g->body, "l2c_fb%d_done:\n", label);
	l2c_gen_line(g, ";");
}

static int print(Gen *g, Val *v, int level, bool deep, int depth, const char *what);

static int print_number(Gen *g, Val *v, Dwarf_Die *t, const char *what)
{
	int size;
	bool sgn;
	int r = l2c_fetch(g, v, what);
	if (r < 0)
		return -1;
	if (!v->bit_size && l2c_is_char(t))
		l2c_gen_line(g, "l2c_char(o, t[%d]);", r);
	else if (l2c_int_type(t, &size, &sgn) && !sgn && dwarf_tag(t) != DW_TAG_base_type)
		l2c_gen_line(g, "l2c_udec(o, t[%d]);", r);	/* unsigned enum */
	else if (l2c_int_type(t, &size, &sgn) && !sgn) {
		Dwarf_Attribute a;
		Dwarf_Word enc = 0;
		dwarf_formudata(dwarf_attr(t, DW_AT_encoding, &a), &enc);
		l2c_gen_line(g, enc == DW_ATE_boolean ? "l2c_dec(o, (int64_t)t[%d]);" :
			    "l2c_udec(o, t[%d]);", r);
	} else
		l2c_gen_line(g, "l2c_dec(o, (int64_t)t[%d]);", r);
	return 0;
}

static int print_members(Gen *g, Val *v, Dwarf_Die *agg, bool deep, int depth, bool *first)
{
	Dwarf_Die c;
	if (dwarf_child(agg, &c) != 0)
		return 0;
	do {
		if (dwarf_tag(&c) != DW_TAG_member)
			continue;
		const char *name = dwarf_diename(&c);
		Val m = *v;
		uint64_t off;
		Dwarf_Die mt;
		if (!l2c_member_offset(&c, &off))
			continue;
		m.off += off;
		m.has_type = l2c_die_type(&c, &mt);
		m.type = mt;
		m.bit_off = m.bit_size = 0;
		m.dim = 0;
		if (l2c_member_bits(&c, &m.bit_off, &m.bit_size) &&
		    !dwarf_hasattr_integrate(&c, DW_AT_data_member_location)) {
			m.off = v->off + (uint64_t)(m.bit_off / 8);
			m.bit_off %= 8;
		}
		if (!name) {
			/* An anonymous struct or union: its members belong here. */
			Dwarf_Die p;
			if (m.has_type && l2c_peel(&m.type, &p) &&
			    print_members(g, &m, &p, deep, depth, first))
				return -1;
			continue;
		}
		text(g, *first ? "." : ", .");
		*first = false;
		text(g, name);
		text(g, "=");
		if (print(g, &m, 1, deep, depth + 1, name))
			return -1;
	} while (dwarf_siblingof(&c, &c) == 0);
	return 0;
}

static int print(Gen *g, Val *v, int level, bool deep, int depth, const char *what)
{
	Dwarf_Die t;
	if (depth > MAX_DEPTH) {
		text(g, "...");
		return 0;
	}
	if (v->ld.kind == LD_NONE || !v->has_type || !l2c_peel(&v->type, &t)) {
		text(g, "?");
		return 0;
	}
	int size;
	bool sgn;
	int tag = dwarf_tag(&t);
	if (v->bit_size || (l2c_int_type(&t, &size, &sgn) && tag != DW_TAG_pointer_type &&
			    tag != DW_TAG_reference_type && tag != DW_TAG_rvalue_reference_type))
		return print_number(g, v, &t, what);
	if (tag == DW_TAG_pointer_type || tag == DW_TAG_reference_type ||
	    tag == DW_TAG_rvalue_reference_type) {
		Dwarf_Die pointee, pp;
		bool has = l2c_die_type(&t, &pointee);
		int p = l2c_load(g, &v->ld, v->off, 8);
		if (p < 0)
			return -1;
		if (has && char_type(&pointee)) {
			l2c_gen_line(g, "l2c_string_at(f, o, t[%d], 0);", p);
			return 0;
		}
		if (has && l2c_peel(&pointee, &pp) && dwarf_tag(&pp) == DW_TAG_subroutine_type) {
			if (!level)
				text(g, "<function>:");
			l2c_gen_line(g, "l2c_hex(o, t[%d]);", p);
			return 0;
		}
		if (level || !has || !l2c_peel(&pointee, &pp)) {
			l2c_gen_line(g, "l2c_hex(o, t[%d]);", p);
			return 0;
		}
		/* On its own, a pointer shows what it points to. */
		const char *saved;
		int token = protect_begin(g, &saved);
		Val d = { .off = 0, .type = pointee, .has_type = true };
		d.ld.kind = LD_MEM;
		d.ld.t = p;
		int rc = print(g, &d, dwarf_tag(&pp) == DW_TAG_pointer_type ? 1 : 0, deep,
			       depth + 1, what);
		protect_end(g, token, saved, p);
		return rc;
	}
	if (tag == DW_TAG_structure_type || tag == DW_TAG_union_type ||
	    tag == DW_TAG_class_type) {
		if (level && !deep) {
			text(g, "{...}");
			return 0;
		}
		bool first = true;
		text(g, "{");
		if (print_members(g, v, &t, deep, depth, &first))
			return -1;
		text(g, "}");
		return 0;
	}
	if (tag == DW_TAG_array_type) {
		Dwarf_Die elem;
		bool has = l2c_die_type(&t, &elem);
		if (has && char_type(&elem)) {
			if (v->ld.kind != LD_MEM) {
				text(g, "?");
				return 0;
			}
			uint64_t size64 = 0;
			l2c_type_size(&t, &size64);
			int a = l2c_address(g, v, what);
			if (a < 0)
				return -1;
			l2c_gen_line(g, "l2c_string_at(f, o, t[%d], %llu);", a,
				 (unsigned long long)size64);
			return 0;
		}
		if (level && !deep) {
			text(g, "[...]");
			return 0;
		}
		/* The first element: nested arrays down to their first scalar. */
		Val e0 = *v;
		Dwarf_Die et = t;
		while (has && l2c_peel(&elem, &et) && dwarf_tag(&et) == DW_TAG_array_type)
			has = l2c_die_type(&et, &elem);
		e0.type = elem;
		e0.has_type = has;
		text(g, "[");
		if (print(g, &e0, 1, deep, depth + 1, what))
			return -1;
		text(g, ", ...]");
		return 0;
	}
	text(g, "?");
	return 0;
}

int l2c_pretty_value(Gen *g, Val *v, bool deep, const char *what)
{
	return print(g, v, 0, deep, 0, what);
}

/* $$vars without $: numbers in hex, aggregates elided. */
static int plain(Gen *g, Val *v, const char *what)
{
	Dwarf_Die t;
	if (v->ld.kind == LD_NONE || !v->has_type || !l2c_peel(&v->type, &t)) {
		text(g, "?");
		return 0;
	}
	int tag = dwarf_tag(&t);
	if (tag == DW_TAG_structure_type || tag == DW_TAG_union_type ||
	    tag == DW_TAG_class_type) {
		text(g, "{...}");
		return 0;
	}
	if (tag == DW_TAG_array_type) {
		text(g, "[...]");
		return 0;
	}
	int size;
	bool sgn;
	Dwarf_Attribute a;
	Dwarf_Word enc = 0;
	if (tag == DW_TAG_base_type)
		dwarf_formudata(dwarf_attr(&t, DW_AT_encoding, &a), &enc);
	if (!l2c_int_type(&t, &size, &sgn) && enc != DW_ATE_float) {
		text(g, "?");
		return 0;
	}
	int r = l2c_fetch(g, v, what);
	if (r < 0)
		return -1;
	l2c_gen_line(g, "l2c_hex(o, t[%d]);", r);
	return 0;
}

/* One variable of $$vars: its text, or '?' when it cannot be read here
 * (SystemTap prints "x=?" for those rather than failing). */
static int one_var(Gen *g, L2cScope *s, Dwarf_Die *var, bool pretty, bool deep)
{
	const char *name = dwarf_diename(var);
	/* Translate into a scratch generator first: an error there is a '?'. */
	Gen sub = *g;
	sub.body = (StrBuf){ 0 };
	sub.err = NULL;
	Val v = { 0 };
	char *alts = NULL;
	int rc = l2c_var_location(&sub, var, &v.ld, &alts);
	free(alts);
	Dwarf_Die t;
	v.has_type = l2c_die_type(var, &t);
	v.type = t;
	if (rc == 0)
		rc = pretty ? l2c_pretty_value(&sub, &v, deep, name) : plain(&sub, &v, name);
	if (rc == 0) {
		sb_putn(&g->body, sub.body.s ? sub.body.s : "", sub.body.len);
		g->ntemps = sub.ntemps;
		g->nlabels = sub.nlabels;
		g->uses_bias |= sub.uses_bias;
	} else {
		text(g, "?");
	}
	sb_free(&sub.body);
	free(sub.err);
	(void)s;
	return 0;
}

int l2c_pretty_vars(Gen *g, L2cScope *s, const char *which, bool pretty, bool deep)
{
	if (!strcmp(which, "$$return")) {
		Dwarf_Die fn, rt;
		if (!s->is_return)
			return l2c_gen_error(g, "$$return is only available in .return probes");
		if (!l2c_scope_func_die(s, &fn) || !l2c_die_type(&fn, &rt))
			return 0;	/* a void function: "" */
		const Dwarf_Op *ops;
		Dwarf_Addr bias;
		Val v = { .type = rt, .has_type = true };
		text(g, "return=");
		int n = dwfl_module_return_value_location(s->m->mod, &fn, &ops);
		if (n <= 0 || l2c_translate(g, NULL, ops, (size_t)n, NULL, &v.ld)) {
			free(g->err);
			g->err = NULL;
			text(g, "?");
			return 0;
		}
		(void)bias;
		return pretty ? l2c_pretty_value(g, &v, deep, "$return") : plain(g, &v, "$return");
	}
	unsigned want = !strcmp(which, "$$parms") ? L2C_PARAMS :
			!strcmp(which, "$$locals") ? L2C_LOCALS : L2C_PARAMS | L2C_LOCALS;
	const L2cVar *vars;
	int n = l2c_vars(s, want | L2C_UNAVAILABLE, &vars);
	/* l2c_vars' view is replaced by the next call: copy the names. */
	const char *names[n ? n : 1];
	for (int i = 0; i < n; i++)
		names[i] = vars[i].name;
	for (int i = 0; i < n; i++) {
		Dwarf_Die var;
		text(g, i ? " " : "");
		text(g, names[i]);
		text(g, "=");
		if (!l2c_scope_var(s, names[i], &var)) {
			text(g, "?");
			continue;
		}
		one_var(g, s, &var, pretty, deep);
	}
	return 0;
}
