/* Target expressions: a base ($var, $return, @var, @cast, autocast),
 * then ->member and [index] components, then the value, its address (&)
 * or its pretty-printed text ($ and $$), as one generated C function. */
#include "translate/loc2c_int.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_aggregate(Dwarf_Die *t)
{
	int tag = dwarf_tag(t);
	return tag == DW_TAG_structure_type || tag == DW_TAG_union_type ||
	       tag == DW_TAG_class_type;
}

static bool is_pointer(Dwarf_Die *t)
{
	int tag = dwarf_tag(t);
	return tag == DW_TAG_pointer_type || tag == DW_TAG_reference_type ||
	       tag == DW_TAG_rvalue_reference_type;
}

static char *type_str(Dwarf_Die *t)
{
	return l2c_type_str(t, 0);
}

/* Follows a pointer value: v becomes what it points to. */
static int deref(Gen *g, Val *v, Dwarf_Die *ptr, const char *what, const char *access)
{
	Dwarf_Die pointee;
	if (!l2c_die_type(ptr, &pointee)) {
		char *ts = type_str(ptr);
		l2c_gen_error(g, "invalid access '%s' vs. %s: it points to void", access, ts);
		free(ts);
		return -1;
	}
	int p = l2c_load(g, &v->ld, v->off, 8);
	if (p < 0)
		return -1;
	memset(&v->ld, 0, sizeof(v->ld));
	v->ld.kind = LD_MEM;
	v->ld.t = p;
	v->off = 0;
	v->type = pointee;
	v->has_type = true;
	v->dim = 0;
	(void)what;
	return 0;
}

/* Edit distance, for "did you mean". */
static int distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return 99;
	int d[65][65];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (int)i;
	for (size_t k = 0; k <= lb; k++)
		d[0][k] = (int)k;
	for (size_t i = 1; i <= la; i++)
		for (size_t k = 1; k <= lb; k++) {
			int c = d[i - 1][k - 1] + (a[i - 1] != b[k - 1]);
			if (d[i - 1][k] + 1 < c)
				c = d[i - 1][k] + 1;
			if (d[i][k - 1] + 1 < c)
				c = d[i][k - 1] + 1;
			d[i][k] = c;
		}
	return d[la][lb];
}

/* The closest name in a ", "-separated list, or NULL. */
static char *closest(const char *list, const char *want)
{
	char *copy = strdup(list), *save = NULL, *best = NULL;
	int bestd = 3;
	for (char *w = strtok_r(copy, ", ", &save); w; w = strtok_r(NULL, ", ", &save)) {
		if (*w == '$')
			w++;
		int d = distance(w, want);
		if (d < bestd) {
			bestd = d;
			free(best);
			best = strdup(w);
		}
	}
	free(copy);
	return best;
}

static int member(Gen *g, Val *v, Dwarf_Die *agg, const char *name, const char *access)
{
	Dwarf_Die mem, mt;
	uint64_t off;
	int bit_off, bit_size;
	if (!l2c_find_member(agg, name, &mem, &off, &bit_off, &bit_size)) {
		char *ts = type_str(agg), *names = l2c_member_names(agg);
		char *near = closest(names, name);
		if (near)
			l2c_gen_error(g, "unable to find member '%s' for %s (alternatives: %s; did you "
				  "mean '%s'?)", name, ts, names, near);
		else
			l2c_gen_error(g, "unable to find member '%s' for %s (alternatives: %s)", name, ts,
				  names);
		free(ts);
		free(names);
		free(near);
		return -1;
	}
	(void)access;
	v->off += off;
	v->has_type = l2c_die_type(&mem, &mt);
	v->type = mt;
	v->bit_off = bit_off;
	v->bit_size = bit_size;
	v->dim = 0;
	return 0;
}

/* Subrange counts of an array type; -1 for an unknown bound. */
static int array_dims(Dwarf_Die *arr, int64_t *counts, int max)
{
	Dwarf_Die c;
	int n = 0;
	if (dwarf_child(arr, &c) != 0)
		return 0;
	do {
		if (dwarf_tag(&c) != DW_TAG_subrange_type || n == max)
			continue;
		Dwarf_Attribute a;
		Dwarf_Word w;
		if (dwarf_formudata(dwarf_attr(&c, DW_AT_count, &a), &w) == 0)
			counts[n] = (int64_t)w;
		else if (dwarf_formudata(dwarf_attr(&c, DW_AT_upper_bound, &a), &w) == 0)
			counts[n] = (int64_t)w + 1;
		else
			counts[n] = -1;
		n++;
	} while (dwarf_siblingof(&c, &c) == 0);
	return n;
}

static int index_temp(Gen *g, const Component *c, int64_t *lit)
{
	if (c->kind == COMP_INDEX_LIT) {
		*lit = c->num;
		return -2;
	}
	int t = l2c_gen_temp(g);
	l2c_gen_line(g, "t[%d] = (uint64_t)i%d;", t, g->nindex++);
	return t;
}

static int element(Gen *g, Val *v, int idx, int64_t lit, uint64_t stride, const char *access)
{
	if (idx == -2) {
		v->off += (uint64_t)lit * stride;
		return 0;
	}
	if (v->ld.kind != LD_MEM)
		return l2c_gen_error(g, "invalid access '%s': the array is not in memory, so only "
				 "constant indexes can be used", access);
	int t = l2c_gen_temp(g);
	l2c_gen_line(g, "t[%d] = t[%d] + %llu + t[%d] * %lluULL;", t, v->ld.t,
		 (unsigned long long)v->off, idx, (unsigned long long)stride);
	v->ld.t = t;
	v->off = 0;
	return 0;
}

int l2c_component(Gen *g, Val *v, const Component *c, const char *what)
{
	char access[128];
	Dwarf_Die t;
	if (c->kind == COMP_MEMBER)
		snprintf(access, sizeof(access), "->%s", c->name);
	else if (c->kind == COMP_INDEX_LIT)
		snprintf(access, sizeof(access), "[%lld]", (long long)c->num);
	else
		snprintf(access, sizeof(access), "[...]");
	if (v->bit_size)
		return l2c_gen_error(g, "invalid access '%s' on a bit field", access);
	if (!v->has_type || !l2c_peel(&v->type, &t))
		return l2c_gen_error(g, "invalid access '%s' vs. void", access);
	if (c->kind == COMP_MEMBER) {
		if (is_pointer(&t)) {
			if (deref(g, v, &t, what, access) || !l2c_peel(&v->type, &t))
				return -1;
		}
		if (!is_aggregate(&t)) {
			char *ts = type_str(&v->type);
			l2c_gen_error(g, "invalid access '%s' vs. %s", access, ts);
			free(ts);
			return -1;
		}
		return member(g, v, &t, c->name, access);
	}
	int64_t lit = 0;
	if (is_pointer(&t)) {
		Dwarf_Die pointee;
		uint64_t size;
		if (!l2c_die_type(&t, &pointee) || !l2c_type_size(&pointee, &size) || !size) {
			char *ts = type_str(&v->type);
			l2c_gen_error(g, "invalid access '%s' vs. %s: the size of what it points to is "
				  "unknown", access, ts);
			free(ts);
			return -1;
		}
		int p = l2c_load(g, &v->ld, v->off, 8);
		if (p < 0)
			return -1;
		int idx = index_temp(g, c, &lit);
		memset(&v->ld, 0, sizeof(v->ld));
		v->ld.kind = LD_MEM;
		v->ld.t = p;
		v->off = 0;
		v->type = pointee;
		v->dim = 0;
		return element(g, v, idx, lit, size, access);
	}
	if (dwarf_tag(&t) == DW_TAG_array_type) {
		int64_t counts[16];
		int ndims = array_dims(&t, counts, 16);
		Dwarf_Die elem;
		uint64_t stride;
		if (!l2c_die_type(&t, &elem) || !l2c_type_size(&elem, &stride))
			return l2c_gen_error(g, "invalid access '%s': unknown element size", access);
		if (ndims < 1)
			ndims = 1;
		for (int d = v->dim + 1; d < ndims; d++)
			stride *= counts[d] > 0 ? (uint64_t)counts[d] : 0;
		int idx = index_temp(g, c, &lit);
		if (element(g, v, idx, lit, stride, access))
			return -1;
		if (++v->dim >= ndims) {
			v->type = elem;
			v->dim = 0;
		}
		return 0;
	}
	char *ts = type_str(&v->type);
	l2c_gen_error(g, "invalid access '%s' vs. %s", access, ts);
	free(ts);
	return -1;
}

int l2c_address(Gen *g, const Val *v, const char *what)
{
	if (v->bit_size)
		return l2c_gen_error(g, "cannot take the address of a bit field");
	if (v->ld.kind != LD_MEM)
		return l2c_gen_error(g, "cannot take the address of %s: it is not in memory (%s)",
				 what, v->ld.kind == LD_REG ? "it is in a register" :
				 v->ld.kind == LD_NONE ? "it was optimised out" :
				 "its value is computed");
	int t = l2c_gen_temp(g);
	l2c_gen_line(g, "t[%d] = t[%d] + %llu;", t, v->ld.t, (unsigned long long)v->off);
	return t;
}

/* IEEE single to double, in integers: kernel code must not touch the FPU. */
static int float_bits(Gen *g, int t)
{
	int r = l2c_gen_temp(g);
	l2c_gen_line(g, "t[%d] = l2c_f32_to_f64_bits((uint32_t)t[%d]);", r, t);
	return r;
}

int l2c_fetch(Gen *g, Val *v, const char *what)
{
	Dwarf_Die t;
	if (!v->has_type || !l2c_peel(&v->type, &t))
		return l2c_gen_error(g, "%s has no type (void)", what);
	if (v->dim) {
		/* Part of a multi-dimensional array: its address, like C. */
		return l2c_address(g, v, what);
	}
	int size;
	bool sgn;
	if (v->bit_size) {
		if (!l2c_int_type(&t, &size, &sgn))
			return l2c_gen_error(g, "unsupported bit field type");
		unsigned bytes = (unsigned)(v->bit_off + v->bit_size + 7) / 8;
		if (bytes > 8)
			return l2c_gen_error(g, "bit field %s spans more than 8 bytes", what);
		int raw = l2c_load(g, &v->ld, v->off, bytes);
		if (raw < 0)
			return -1;
		int r = l2c_gen_temp(g);
		int up = 64 - v->bit_size;
		l2c_gen_line(g, "t[%d] = t[%d] << %d;", r, raw, up - v->bit_off);
		if (sgn)
			l2c_gen_line(g, "t[%d] = (uint64_t)((int64_t)t[%d] >> %d);", r, r, up);
		else
			l2c_gen_line(g, "t[%d] = t[%d] >> %d;", r, r, up);
		return r;
	}
	if (l2c_int_type(&t, &size, &sgn)) {
		int raw = l2c_load(g, &v->ld, v->off, (unsigned)size);
		if (raw < 0 || size == 8 || !sgn)
			return raw;
		int r = l2c_gen_temp(g);
		l2c_gen_line(g, "t[%d] = (uint64_t)(int64_t)(int%d_t)t[%d];", r, size * 8, raw);
		return r;
	}
	int tag = dwarf_tag(&t);
	if (tag == DW_TAG_array_type)
		return l2c_address(g, v, what);
	if (tag == DW_TAG_base_type) {
		Dwarf_Attribute a;
		Dwarf_Word enc = 0, sz = 0;
		dwarf_formudata(dwarf_attr(&t, DW_AT_encoding, &a), &enc);
		dwarf_formudata(dwarf_attr(&t, DW_AT_byte_size, &a), &sz);
		if (enc == DW_ATE_float && sz == 8)
			return l2c_load(g, &v->ld, v->off, 8);
		if (enc == DW_ATE_float && sz == 4) {
			int raw = l2c_load(g, &v->ld, v->off, 4);
			return raw < 0 ? -1 : float_bits(g, raw);
		}
		char *ts = type_str(&v->type);
		l2c_gen_error(g, "%s has type %s, which cannot be read as a number", what, ts);
		free(ts);
		return -1;
	}
	if (is_aggregate(&t)) {
		char *ts = type_str(&t), *names = l2c_member_names(&t);
		char *first = strtok(names, ",");
		const char *where = l2c_decl_where(&t);
		l2c_gen_error(g, "'%s'%s%s%s is being accessed instead of a member such as '->%s'", ts,
			  *where ? " (" : "", where, *where ? ")" : "", first ? first : "...");
		free(ts);
		free(names);
		return -1;
	}
	char *ts = type_str(&v->type);
	l2c_gen_error(g, "%s has type %s, which cannot be read as a number", what, ts);
	free(ts);
	return -1;
}
