/* Scopes: the variables a probe handler sees at its address, and the -L
 * listing of them.
 *
 * A handler sees the lexical blocks of the probed function (or inlined
 * instance) that hold the pc, and the function itself: $name looks there
 * first, innermost out, and then among the unit's globals.  Code inlined
 * into the function is another function's: its variables are not the
 * probed function's. */
#include "translate/loc2c_int.h"
#include <stdlib.h>
#include <string.h>

L2cScope *l2c_scope(DiModule *m, const DiFunc *f, uint64_t pc, bool is_return, char **err)
{
	*err = NULL;
	L2cScope *s = calloc(1, sizeof(*s));
	if (!s) {
		*err = strdup("out of memory");
		return NULL;
	}
	s->m = m;
	s->func = *f;
	s->pc = pc;
	s->is_return = is_return;
	s->fn = -1;
	if (!f->has_dwarf || !di_dwarf(m))
		return s;
	if (!di_cu_die(m, f->cu, &s->cu)) {
		*err = l2c_strdup_printf("cannot read the compile unit of %s in %s", f->name,
					 di_path(m));
		free(s);
		return NULL;
	}
	/* The chain is built down from f's own DIE rather than with
	 * dwarf_getscopes, which walks the whole unit for each pc: resolving
	 * every function of a big program would be quadratic. */
	Dwarf_Die fdie;
	if (!di_die(m, f->die, &fdie)) {
		*err = l2c_strdup_printf("cannot read the DWARF of %s in %s", f->name, di_path(m));
		free(s);
		return NULL;
	}
	int cap = 8, n = 0;
	Dwarf_Die *chain = malloc(sizeof(*chain) * (size_t)cap);
	if (!chain) {
		*err = strdup("out of memory");
		free(s);
		return NULL;
	}
	chain[n++] = fdie;
	for (Dwarf_Die cur = fdie;;) {
		Dwarf_Die c;
		bool found = false;
		if (dwarf_child(&cur, &c) == 0) {
			do {
				if (dwarf_tag(&c) == DW_TAG_lexical_block && dwarf_haspc(&c, pc) > 0) {
					found = true;
					break;
				}
			} while (dwarf_siblingof(&c, &c) == 0);
		}
		if (!found)
			break;
		if (n == cap) {
			Dwarf_Die *nc = realloc(chain, sizeof(*chain) * (size_t)(cap *= 2));
			if (!nc)
				break;
			chain = nc;
		}
		chain[n++] = c;
		cur = c;
	}
	/* Innermost first, then the unit for its globals. */
	s->scopes = malloc(sizeof(*s->scopes) * (size_t)(n + 1));
	if (!s->scopes) {
		free(chain);
		*err = strdup("out of memory");
		free(s);
		return NULL;
	}
	for (int i = 0; i < n; i++)
		s->scopes[i] = chain[n - 1 - i];
	s->scopes[n] = s->cu;
	s->nscopes = n + 1;
	s->fn = n - 1;
	free(chain);
	return s;
}

void l2c_scope_free(L2cScope *s)
{
	if (!s)
		return;
	free(s->scopes);
	for (int i = 0; i < s->nvars; i++)
		free((char *)s->vars[i].type);
	free(s->vars);
	free(s->var_dies);
	free(s->view);
	free(s);
}

bool l2c_scope_func_die(L2cScope *s, Dwarf_Die *out)
{
	if (s->fn >= 0) {
		*out = s->scopes[s->fn];
		return true;
	}
	return s->func.has_dwarf && di_die(s->m, s->func.die, out);
}

static bool available(Dwarf_Die *var, uint64_t pc)
{
	Dwarf_Attribute a;
	if (dwarf_attr_integrate(var, DW_AT_const_value, &a))
		return true;
	if (!dwarf_attr(var, DW_AT_location, &a))
		return false;
	Dwarf_Op *expr;
	size_t len;
	return dwarf_getlocation_addr(&a, pc, &expr, &len, 1) > 0 && len > 0;
}

static void add_var(L2cScope *s, Dwarf_Die *d, bool is_param)
{
	const char *name = dwarf_diename(d);
	if (!name)
		return;
	for (int i = 0; i < s->nvars; i++)
		if (!strcmp(s->vars[i].name, name))
			return;		/* hidden by an inner one */
	if (s->nvars == s->capvars) {
		int cap = s->capvars ? s->capvars * 2 : 16;
		L2cVar *v = realloc(s->vars, sizeof(*v) * (size_t)cap);
		Dwarf_Off *o = v ? realloc(s->var_dies, sizeof(*o) * (size_t)cap) : NULL;
		if (v)
			s->vars = v;
		if (!o)
			return;
		s->var_dies = o;
		s->capvars = cap;
	}
	Dwarf_Die t;
	bool has_t = l2c_die_type(d, &t);
	L2cVar *v = &s->vars[s->nvars];
	v->name = name;
	v->type = l2c_type_str(has_t ? &t : NULL, 0);
	v->is_param = is_param;
	v->available = available(d, s->pc);
	s->var_dies[s->nvars] = dwarf_dieoffset(d);
	s->nvars++;
}

static void collect(L2cScope *s)
{
	if (s->vars_done)
		return;
	s->vars_done = true;
	for (int i = 0; i <= s->fn; i++) {
		Dwarf_Die c;
		if (dwarf_child(&s->scopes[i], &c) != 0)
			continue;
		do {
			int tag = dwarf_tag(&c);
			if (tag == DW_TAG_formal_parameter)
				add_var(s, &c, i == s->fn);
			else if (tag == DW_TAG_variable && !dwarf_hasattr(&c, DW_AT_declaration))
				add_var(s, &c, false);
		} while (dwarf_siblingof(&c, &c) == 0);
	}
}

int l2c_vars(L2cScope *s, unsigned which, const L2cVar **out)
{
	collect(s);
	/* The caller gets a filtered copy, kept with the scope until the
	 * next call. */
	int n = 0;
	free(s->view);
	L2cVar *view = s->view = malloc(sizeof(*view) * (size_t)(s->nvars ? s->nvars : 1));
	if (!view)
		return 0;
	for (int i = 0; i < s->nvars; i++) {
		const L2cVar *v = &s->vars[i];
		if (!(which & (v->is_param ? L2C_PARAMS : L2C_LOCALS)))
			continue;
		if (!v->available && !(which & L2C_UNAVAILABLE))
			continue;
		view[n++] = *v;
	}
	*out = view;
	return n;
}

bool l2c_scope_var(L2cScope *s, const char *name, Dwarf_Die *out)
{
	collect(s);
	for (int i = 0; i < s->nvars; i++)
		if (!strcmp(s->vars[i].name, name))
			return dwarf_offdie(s->m->dw, s->var_dies[i], out) != NULL;
	/* Then the unit's globals (and those of the scopes outside the
	 * function, for code inlined from elsewhere). */
	for (int i = s->fn + 1; i < s->nscopes; i++) {
		Dwarf_Die c;
		if (dwarf_child(&s->scopes[i], &c) != 0)
			continue;
		do {
			const char *n;
			if (dwarf_tag(&c) == DW_TAG_variable && (n = dwarf_diename(&c)) &&
			    !strcmp(n, name)) {
				*out = c;
				return true;
			}
		} while (dwarf_siblingof(&c, &c) == 0);
	}
	return false;
}

char *l2c_scope_alternatives(L2cScope *s)
{
	collect(s);
	StrBuf b = { 0 };
	/* Sorted by name, as SystemTap lists them. */
	const char *names[s->nvars ? s->nvars : 1];
	int n = 0;
	for (int i = 0; i < s->nvars; i++)
		names[n++] = s->vars[i].name;
	for (int i = 1; i < n; i++)
		for (int k = i; k > 0 && strcmp(names[k - 1], names[k]) > 0; k--) {
			const char *t = names[k];
			names[k] = names[k - 1];
			names[k - 1] = t;
		}
	for (int i = 0; i < n; i++)
		sb_printf(&b, "%s$%s", i ? ", " : "", names[i]);
	if (!n)
		sb_puts(&b, "<no alternatives>");
	return b.s;
}

char *l2c_listing(DiModule *m, const DiFunc *f, uint64_t pc, bool is_return, char **err)
{
	*err = NULL;
	StrBuf b = { 0 };
	sb_puts(&b, "");
	if (!f->has_dwarf || !di_dwarf(m))
		return b.s;
	L2cScope *s = l2c_scope(m, f, pc, is_return, err);
	if (!s) {
		sb_free(&b);
		return NULL;
	}
	Dwarf_Die fn, rt;
	if (is_return && l2c_scope_func_die(s, &fn) && l2c_die_type(&fn, &rt)) {
		char *t = l2c_type_str(&rt, 0);
		sb_printf(&b, "$return:%s", t);
		free(t);
	}
	const L2cVar *v;
	int n = l2c_vars(s, L2C_PARAMS | L2C_LOCALS, &v);
	for (int i = 0; i < n; i++)
		sb_printf(&b, "%s$%s:%s", b.len ? " " : "", v[i].name, v[i].type);
	l2c_scope_free(s);
	return b.s;
}
