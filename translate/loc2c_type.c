/* Types: peeling typedefs, sizes, members, and names as -L prints them.
 *
 * SystemTap writes qualifiers after what they qualify ("char const*",
 * "int* restrict"), arrays without their bounds ("int[]"), function
 * pointers as "int (*)(int, char*)", and anonymous aggregates as
 * "struct {...}". */
#include "translate/loc2c_int.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *l2c_strdup_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = NULL;
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

bool l2c_die_type(Dwarf_Die *die, Dwarf_Die *out)
{
	Dwarf_Attribute a;
	return dwarf_attr_integrate(die, DW_AT_type, &a) && dwarf_formref_die(&a, out);
}

bool l2c_peel(Dwarf_Die *type, Dwarf_Die *out)
{
	Dwarf_Die t = *type;
	for (int i = 0; i < 64; i++) {
		switch (dwarf_tag(&t)) {
		case DW_TAG_typedef:
		case DW_TAG_const_type:
		case DW_TAG_volatile_type:
		case DW_TAG_restrict_type:
		case DW_TAG_atomic_type:
			if (!l2c_die_type(&t, &t))
				return false;	/* const void */
			continue;
		default:
			*out = t;
			return true;
		}
	}
	return false;
}

bool l2c_type_size(Dwarf_Die *type, uint64_t *size)
{
	Dwarf_Die t;
	Dwarf_Word w;
	if (!l2c_peel(type, &t))
		return false;
	if (dwarf_tag(&t) == DW_TAG_pointer_type || dwarf_tag(&t) == DW_TAG_reference_type ||
	    dwarf_tag(&t) == DW_TAG_rvalue_reference_type) {
		Dwarf_Attribute a;
		if (!dwarf_attr(&t, DW_AT_byte_size, &a)) {
			*size = 8;
			return true;
		}
	}
	if (dwarf_aggregate_size(&t, &w) != 0)
		return false;
	*size = w;
	return true;
}

bool l2c_int_type(Dwarf_Die *t, int *size, bool *is_signed)
{
	Dwarf_Attribute a;
	Dwarf_Word sz = 0, enc = 0;
	switch (dwarf_tag(t)) {
	case DW_TAG_pointer_type:
	case DW_TAG_reference_type:
	case DW_TAG_rvalue_reference_type:
		*size = 8;
		*is_signed = false;
		return true;
	case DW_TAG_enumeration_type: {
		Dwarf_Die under, p;
		if (dwarf_formudata(dwarf_attr(t, DW_AT_byte_size, &a), &sz) != 0)
			sz = 4;
		*size = (int)sz;
		*is_signed = false;
		if (l2c_die_type(t, &under) && l2c_peel(&under, &p) &&
		    dwarf_formudata(dwarf_attr(&p, DW_AT_encoding, &a), &enc) == 0)
			*is_signed = enc == DW_ATE_signed || enc == DW_ATE_signed_char;
		return sz >= 1 && sz <= 8;
	}
	case DW_TAG_base_type:
		if (dwarf_formudata(dwarf_attr(t, DW_AT_byte_size, &a), &sz) != 0 ||
		    dwarf_formudata(dwarf_attr(t, DW_AT_encoding, &a), &enc) != 0)
			return false;
		switch (enc) {
		case DW_ATE_signed:
		case DW_ATE_signed_char:
			*is_signed = true;
			break;
		case DW_ATE_unsigned:
		case DW_ATE_unsigned_char:
		case DW_ATE_boolean:
		case DW_ATE_UTF:
			*is_signed = false;
			break;
		default:
			return false;
		}
		*size = (int)sz;
		return sz >= 1 && sz <= 8;
	default:
		return false;
	}
}

bool l2c_is_char(Dwarf_Die *t)
{
	Dwarf_Attribute a;
	Dwarf_Word sz, enc;
	return dwarf_tag(t) == DW_TAG_base_type &&
	       dwarf_formudata(dwarf_attr(t, DW_AT_byte_size, &a), &sz) == 0 && sz == 1 &&
	       dwarf_formudata(dwarf_attr(t, DW_AT_encoding, &a), &enc) == 0 &&
	       (enc == DW_ATE_signed_char || enc == DW_ATE_unsigned_char);
}

bool l2c_member_offset(Dwarf_Die *member, uint64_t *off)
{
	Dwarf_Attribute a;
	Dwarf_Word w;
	*off = 0;
	if (!dwarf_attr_integrate(member, DW_AT_data_member_location, &a))
		return true;	/* a union member, or a bit field with data_bit_offset */
	if (dwarf_formudata(&a, &w) == 0) {
		*off = w;
		return true;
	}
	/* DWARF 2 style: an expression, DW_OP_plus_uconst N. */
	Dwarf_Op *ops;
	size_t n;
	if (dwarf_getlocation(&a, &ops, &n) == 0 && n == 1 && ops[0].atom == DW_OP_plus_uconst) {
		*off = ops[0].number;
		return true;
	}
	return false;
}

bool l2c_member_bits(Dwarf_Die *member, int *bit_off, int *bit_size)
{
	Dwarf_Attribute a;
	Dwarf_Word size, off, bytes;
	if (dwarf_formudata(dwarf_attr_integrate(member, DW_AT_bit_size, &a), &size) != 0)
		return false;
	*bit_size = (int)size;
	if (dwarf_formudata(dwarf_attr_integrate(member, DW_AT_data_bit_offset, &a), &off) == 0) {
		*bit_off = (int)off;
		return true;
	}
	/* DWARF 2/3: DW_AT_bit_offset counts from the most significant bit of
	 * a storage unit of DW_AT_byte_size bytes; on a little-endian machine
	 * the field starts byte_size*8 - bit_offset - bit_size bits up. */
	if (dwarf_formudata(dwarf_attr_integrate(member, DW_AT_bit_offset, &a), &off) != 0)
		off = 0;
	if (dwarf_formudata(dwarf_attr_integrate(member, DW_AT_byte_size, &a), &bytes) != 0) {
		Dwarf_Die t;
		uint64_t s = 4;
		if (l2c_die_type(member, &t))
			l2c_type_size(&t, &s);
		bytes = s;
	}
	*bit_off = (int)(bytes * 8 - off - size);
	return true;
}

bool l2c_find_member(Dwarf_Die *agg, const char *name, Dwarf_Die *member, uint64_t *off,
		     int *bit_off, int *bit_size)
{
	Dwarf_Die c;
	if (dwarf_child(agg, &c) != 0)
		return false;
	do {
		if (dwarf_tag(&c) != DW_TAG_member && dwarf_tag(&c) != DW_TAG_inheritance)
			continue;
		const char *n = dwarf_diename(&c);
		uint64_t moff;
		if (!l2c_member_offset(&c, &moff))
			continue;
		if (n && !strcmp(n, name)) {
			*member = c;
			*off = moff;
			*bit_size = 0;
			*bit_off = 0;
			if (l2c_member_bits(&c, bit_off, bit_size)) {
				/* data_bit_offset counts from the aggregate's start. */
				if (!dwarf_hasattr_integrate(&c, DW_AT_data_member_location)) {
					*off = (uint64_t)(*bit_off / 8);
					*bit_off %= 8;
				}
			}
			return true;
		}
		Dwarf_Die t, p;
		if (!n && l2c_die_type(&c, &t) && l2c_peel(&t, &p) &&
		    (dwarf_tag(&p) == DW_TAG_structure_type || dwarf_tag(&p) == DW_TAG_union_type) &&
		    l2c_find_member(&p, name, member, off, bit_off, bit_size)) {
			*off += moff;
			return true;
		}
	} while (dwarf_siblingof(&c, &c) == 0);
	return false;
}

static void member_names(Dwarf_Die *agg, StrBuf *b)
{
	Dwarf_Die c;
	if (dwarf_child(agg, &c) != 0)
		return;
	do {
		if (dwarf_tag(&c) != DW_TAG_member)
			continue;
		const char *n = dwarf_diename(&c);
		Dwarf_Die t, p;
		if (n) {
			sb_printf(b, "%s%s", b->len ? ", " : "", n);
		} else if (l2c_die_type(&c, &t) && l2c_peel(&t, &p)) {
			member_names(&p, b);
		}
	} while (dwarf_siblingof(&c, &c) == 0);
}

char *l2c_member_names(Dwarf_Die *agg)
{
	StrBuf b = { 0 };
	member_names(agg, &b);
	if (!b.len)
		sb_puts(&b, "<none>");
	return b.s;
}

const char *l2c_decl_where(Dwarf_Die *die)
{
	static char buf[512];
	const char *file = di_decl_file(die);
	int line = 0;
	if (!file || dwarf_decl_line(die, &line) != 0) {
		buf[0] = '\0';
		return buf;
	}
	snprintf(buf, sizeof(buf), "%s:%d", file, line);
	return buf;
}

/* ---- names ---- */

static void tname(Dwarf_Die *t, StrBuf *b, int depth);

static void params(Dwarf_Die *fn, StrBuf *b, int depth)
{
	Dwarf_Die c;
	int n = 0;
	sb_puts(b, "(");
	if (dwarf_child(fn, &c) == 0) {
		do {
			int tag = dwarf_tag(&c);
			if (tag == DW_TAG_unspecified_parameters) {
				sb_puts(b, n++ ? ", ..." : "...");
				continue;
			}
			if (tag != DW_TAG_formal_parameter)
				continue;
			if (n++)
				sb_puts(b, ", ");
			Dwarf_Die pt;
			if (l2c_die_type(&c, &pt))
				tname(&pt, b, depth + 1);
			else
				sb_puts(b, "void");
		} while (dwarf_siblingof(&c, &c) == 0);
	}
	if (!n && dwarf_hasattr(fn, DW_AT_prototyped))
		sb_puts(b, "void");
	sb_puts(b, ")");
}

static void tname(Dwarf_Die *t, StrBuf *b, int depth)
{
	Dwarf_Die inner;
	bool has_inner = l2c_die_type(t, &inner);
	const char *name = dwarf_diename(t);
	if (depth > 32) {
		sb_puts(b, "...");
		return;
	}
	switch (dwarf_tag(t)) {
	case DW_TAG_base_type:
	case DW_TAG_typedef:
	case DW_TAG_unspecified_type:
		sb_puts(b, name ? name : "?");
		return;
	case DW_TAG_structure_type:
		sb_printf(b, "struct %s", name ? name : "{...}");
		return;
	case DW_TAG_union_type:
		sb_printf(b, "union %s", name ? name : "{...}");
		return;
	case DW_TAG_class_type:
		sb_printf(b, "class %s", name ? name : "{...}");
		return;
	case DW_TAG_enumeration_type:
		sb_printf(b, "enum %s", name ? name : "{...}");
		return;
	case DW_TAG_const_type:
	case DW_TAG_volatile_type:
	case DW_TAG_restrict_type:
	case DW_TAG_atomic_type: {
		const char *q = dwarf_tag(t) == DW_TAG_const_type ? "const" :
				dwarf_tag(t) == DW_TAG_volatile_type ? "volatile" :
				dwarf_tag(t) == DW_TAG_restrict_type ? "restrict" : "_Atomic";
		if (has_inner)
			tname(&inner, b, depth + 1);
		else
			sb_puts(b, "void");
		sb_printf(b, " %s", q);
		return;
	}
	case DW_TAG_pointer_type:
	case DW_TAG_reference_type:
	case DW_TAG_rvalue_reference_type: {
		const char *star = dwarf_tag(t) == DW_TAG_pointer_type ? "*" :
				   dwarf_tag(t) == DW_TAG_reference_type ? "&" : "&&";
		if (has_inner && dwarf_tag(&inner) == DW_TAG_subroutine_type) {
			Dwarf_Die ret;
			if (l2c_die_type(&inner, &ret))
				tname(&ret, b, depth + 1);
			else
				sb_puts(b, "void");
			sb_printf(b, " (%s)", star);
			params(&inner, b, depth);
			return;
		}
		if (has_inner)
			tname(&inner, b, depth + 1);
		else
			sb_puts(b, "void");
		sb_puts(b, star);
		return;
	}
	case DW_TAG_array_type:
		if (has_inner)
			tname(&inner, b, depth + 1);
		sb_puts(b, "[]");
		return;
	case DW_TAG_subroutine_type: {
		Dwarf_Die ret;
		if (l2c_die_type(t, &ret))
			tname(&ret, b, depth + 1);
		else
			sb_puts(b, "void");
		sb_puts(b, " ");
		params(t, b, depth);
		return;
	}
	default:
		sb_puts(b, name ? name : "?");
		return;
	}
}

char *l2c_type_str(Dwarf_Die *type, int ptr)
{
	StrBuf b = { 0 };
	if (type)
		tname(type, &b, 0);
	else
		sb_puts(&b, "void");
	for (int i = 0; i < ptr; i++)
		sb_putc(&b, '*');
	return b.s;
}

const L2cType *l2c_type_new(DiModule *m, Dwarf_Die *type, int ptr)
{
	L2cType *t = arena_zalloc(&m->arena, sizeof(*t));
	t->m = m;
	t->die = type ? dwarf_dieoffset(type) : 0;
	t->ptr = ptr;
	char *s = l2c_type_str(type, ptr);
	t->name = di_strdup(m, s ? s : "?");
	free(s);
	return t;
}

const char *l2c_type_name(const L2cType *t)
{
	return t->name;
}

bool l2c_type_same(const L2cType *a, const L2cType *b)
{
	if (a == b)
		return true;
	if (!a || !b || a->m != b->m)
		return false;
	/* The compiler may describe one pointer type with several DIEs. */
	return (a->die == b->die && a->ptr == b->ptr) || !strcmp(a->name, b->name);
}
