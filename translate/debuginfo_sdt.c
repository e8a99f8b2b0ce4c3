/* SDT markers (<sys/sdt.h>): the .note.stapsdt notes and their argument
 * strings.
 *
 * Each note (owner "stapsdt", type 3) holds three addresses -- the probe
 * pc, the link-time address of .stapsdt.base, the semaphore -- then the
 * provider, name and argument strings.  A prelinked file moved its
 * sections: the difference between .stapsdt.base's address now and the
 * one recorded moves the pc and semaphore too.
 *
 * Arguments are "SIZE@OPERAND" in the assembler's AT&T syntax: SIZE is the
 * byte count, negative for signed values; OPERAND is $IMM, %REG,
 * DISP(%BASE,%INDEX,SCALE) or SYM+DISP(%rip). */
#include "translate/debuginfo_int.h"
#include <ctype.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NT_STAPSDT 3

static const struct {
	const char *name;
	int dwarf;
	int shift;
} regs[] = {
	{ "rax", 0, 0 }, { "eax", 0, 0 }, { "ax", 0, 0 }, { "al", 0, 0 }, { "ah", 0, 8 },
	{ "rdx", 1, 0 }, { "edx", 1, 0 }, { "dx", 1, 0 }, { "dl", 1, 0 }, { "dh", 1, 8 },
	{ "rcx", 2, 0 }, { "ecx", 2, 0 }, { "cx", 2, 0 }, { "cl", 2, 0 }, { "ch", 2, 8 },
	{ "rbx", 3, 0 }, { "ebx", 3, 0 }, { "bx", 3, 0 }, { "bl", 3, 0 }, { "bh", 3, 8 },
	{ "rsi", 4, 0 }, { "esi", 4, 0 }, { "si", 4, 0 }, { "sil", 4, 0 },
	{ "rdi", 5, 0 }, { "edi", 5, 0 }, { "di", 5, 0 }, { "dil", 5, 0 },
	{ "rbp", 6, 0 }, { "ebp", 6, 0 }, { "bp", 6, 0 }, { "bpl", 6, 0 },
	{ "rsp", 7, 0 }, { "esp", 7, 0 }, { "sp", 7, 0 }, { "spl", 7, 0 },
	{ "rip", DI_SDT_RIP, 0 },
};

/* %r8 .. %r15 with their d/w/b/l suffixes. */
static int numbered_reg(const char *s, size_t len)
{
	if (len < 2 || s[0] != 'r' || !isdigit((unsigned char)s[1]))
		return -1;
	int n = 0;
	size_t i = 1;
	while (i < len && isdigit((unsigned char)s[i]))
		n = n * 10 + (s[i++] - '0');
	if (n < 8 || n > 15)
		return -1;
	if (i < len && (s[i] == 'd' || s[i] == 'w' || s[i] == 'b' || s[i] == 'l'))
		i++;
	return i == len ? n : -1;
}

/* Reads "%name" at *p; the DWARF number or -1. */
static int parse_reg(const char **p, int *shift)
{
	const char *s = *p;
	if (*s != '%')
		return -1;
	s++;
	size_t len = 0;
	while (isalnum((unsigned char)s[len]))
		len++;
	*shift = 0;
	int n = numbered_reg(s, len);
	if (n < 0)
		for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
			if (strlen(regs[i].name) == len && !strncmp(regs[i].name, s, len)) {
				n = regs[i].dwarf;
				*shift = regs[i].shift;
				break;
			}
	if (n >= 0)
		*p = s + len;
	return n;
}

static bool parse_int(const char **p, int64_t *out)
{
	char *end;
	const char *s = *p;
	bool neg = false;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (!isdigit((unsigned char)*s))
		return false;
	unsigned long long v = strtoull(s, &end, 0);
	*out = neg ? -(int64_t)v : (int64_t)v;
	*p = end;
	return true;
}

/* DISP: terms joined by + and -, each a number or a symbol. */
static int parse_disp(DiModule *m, const char **p, DiSdtArg *a, char *err, size_t errlen)
{
	const char *s = *p;
	int64_t disp = 0;
	bool first = true;
	while (*s && *s != '(' && *s != ',') {
		int sign = 1;
		if (*s == '+' || *s == '-') {
			sign = *s == '-' ? -1 : 1;
			s++;
		} else if (!first) {
			break;
		}
		first = false;
		int64_t v;
		if (isdigit((unsigned char)*s)) {
			parse_int(&s, &v);
			disp += sign * v;
			continue;
		}
		size_t len = 0;
		while (isalnum((unsigned char)s[len]) || s[len] == '_' || s[len] == '.' ||
		       s[len] == '$')
			len++;
		if (!len || sign < 0 || a->symbol) {
			snprintf(err, errlen, "cannot parse the displacement at '%s'", s);
			return -1;
		}
		char *name = m ? arena_strndup(&m->arena, s, len) : strndup(s, len);
		a->symbol = name;
		if (m && !di_sym_addr(m, name, &a->symbol_addr)) {
			snprintf(err, errlen, "unknown symbol '%s'", name);
			return -1;
		}
		s += len;
	}
	a->value = disp;
	*p = s;
	return 0;
}

int di_sdt_parse_arg(DiModule *m, const char *text, DiSdtArg *a, char *err, size_t errlen)
{
	memset(a, 0, sizeof(*a));
	a->text = text;
	a->reg = a->index = -1;
	a->scale = 1;
	a->size = 8;
	a->is_signed = true;
	const char *s = text;
	const char *at = strchr(text, '@');
	if (at) {
		int64_t size;
		const char *q = text;
		if (!parse_int(&q, &size) || (*q != '@' && *q != 'f')) {
			snprintf(err, errlen, "bad size in SDT argument '%s'", text);
			return -1;
		}
		if (*q == 'f') {
			snprintf(err, errlen, "floating-point SDT argument '%s' is not supported",
				 text);
			return -1;
		}
		int64_t mag = size < 0 ? -size : size;
		if (mag != 1 && mag != 2 && mag != 4 && mag != 8) {
			snprintf(err, errlen, "bad size %lld in SDT argument '%s'", (long long)size,
				 text);
			return -1;
		}
		a->size = (int)mag;
		a->is_signed = size < 0;
		s = at + 1;
	}
	if (*s == '$') {
		s++;
		a->kind = DI_SDT_CONST;
		if (!parse_int(&s, &a->value)) {
			if (parse_disp(m, &s, a, err, errlen))
				return -1;
		}
	} else if (*s == '%') {
		a->kind = DI_SDT_REG;
		a->reg = parse_reg(&s, &a->reg_shift);
		if (a->reg < 0 || a->reg == DI_SDT_RIP) {
			snprintf(err, errlen, "unknown register in SDT argument '%s'", text);
			return -1;
		}
	} else {
		a->kind = DI_SDT_MEM;
		if (parse_disp(m, &s, a, err, errlen))
			return -1;
		if (*s == '(') {
			int shift;
			s++;
			if (*s == '%') {
				a->reg = parse_reg(&s, &shift);
				if (a->reg < 0 || shift) {
					snprintf(err, errlen, "unknown base register in SDT "
						 "argument '%s'", text);
					return -1;
				}
			}
			if (*s == ',') {
				s++;
				a->index = parse_reg(&s, &shift);
				if (a->index < 0 || a->index == DI_SDT_RIP || shift) {
					snprintf(err, errlen, "unknown index register in SDT "
						 "argument '%s'", text);
					return -1;
				}
				if (*s == ',') {
					s++;
					int64_t sc;
					if (!parse_int(&s, &sc) || (sc != 1 && sc != 2 && sc != 4 &&
								    sc != 8)) {
						snprintf(err, errlen, "bad scale in SDT argument "
							 "'%s'", text);
						return -1;
					}
					a->scale = (int)sc;
				}
			}
			if (*s != ')') {
				snprintf(err, errlen, "cannot parse SDT argument '%s'", text);
				return -1;
			}
			s++;
		}
	}
	if (*s) {
		snprintf(err, errlen, "cannot parse SDT argument '%s' (at '%s')", text, s);
		return -1;
	}
	return 0;
}

static bool section_named(Elf *elf, const char *want, GElf_Shdr *out, Elf_Scn **scn_out)
{
	size_t shstrndx;
	if (elf_getshdrstrndx(elf, &shstrndx))
		return false;
	for (Elf_Scn *scn = NULL; (scn = elf_nextscn(elf, scn));) {
		GElf_Shdr sh;
		const char *name;
		if (gelf_getshdr(scn, &sh) && (name = elf_strptr(elf, shstrndx, sh.sh_name)) &&
		    !strcmp(name, want)) {
			*out = sh;
			if (scn_out)
				*scn_out = scn;
			return true;
		}
	}
	return false;
}

/* The arguments of one marker, split on spaces. */
static int parse_args(DiModule *m, DiMark *mk)
{
	int cap = 0;
	const char *s = mk->args;
	while (*s) {
		while (*s == ' ')
			s++;
		if (!*s)
			break;
		size_t len = strcspn(s, " ");
		char *text = arena_strndup(&m->arena, s, len);
		char err[256];
		DiSdtArg *a = di_push(m, (void **)&mk->arg, &mk->nargs, &cap, sizeof(*a));
		if (di_sdt_parse_arg(m, text, a, err, sizeof(err)))
			return di_fail(m, "%s in marker %s:%s of %s", err, mk->provider, mk->name,
				       m->path);
		s += len;
	}
	return 0;
}

int di_marks(DiModule *m, const char *provider, const char *name, DiMarks *out)
{
	out->v = NULL;
	out->n = 0;
	GElf_Shdr base_sh;
	bool have_base = section_named(m->elf, ".stapsdt.base", &base_sh, NULL);
	GElf_Shdr sh;
	Elf_Scn *scn;
	if (!section_named(m->elf, ".note.stapsdt", &sh, &scn) || sh.sh_type != SHT_NOTE)
		return 0;
	Elf_Data *data = elf_getdata(scn, NULL);
	if (!data)
		return 0;
	int cap = 0;
	size_t off = 0, name_off, desc_off;
	GElf_Nhdr nh;
	while ((off = gelf_getnote(data, off, &nh, &name_off, &desc_off)) > 0) {
		const char *owner = (const char *)data->d_buf + name_off;
		if (nh.n_type != NT_STAPSDT || nh.n_namesz != sizeof("stapsdt") ||
		    memcmp(owner, "stapsdt", sizeof("stapsdt")))
			continue;
		const char *desc = (const char *)data->d_buf + desc_off;
		if (nh.n_descsz < 3 * 8 + 3)
			continue;
		uint64_t pc, base, sem;
		memcpy(&pc, desc, 8);
		memcpy(&base, desc + 8, 8);
		memcpy(&sem, desc + 16, 8);
		const char *p = desc + 24, *end = desc + nh.n_descsz;
		const char *prov = p;
		p += strnlen(p, (size_t)(end - p)) + 1;
		if (p >= end)
			continue;
		const char *mname = p;
		p += strnlen(p, (size_t)(end - p)) + 1;
		const char *args = p < end ? p : "";
		if (memchr(args, '\0', (size_t)(end - args)) == NULL)
			continue;
		if (provider && fnmatch(provider, prov, 0) != 0)
			continue;
		if (fnmatch(name, mname, 0) != 0)
			continue;
		if (have_base && base) {
			pc += base_sh.sh_addr - base;
			if (sem)
				sem += base_sh.sh_addr - base;
		}
		DiMark *mk = di_push(m, (void **)&out->v, &out->n, &cap, sizeof(*mk));
		mk->provider = prov;
		mk->name = mname;
		mk->addr = pc;
		mk->file_offset = di_file_offset(m, pc);
		mk->semaphore = sem;
		mk->semaphore_offset = sem ? di_file_offset(m, sem) : 0;
		mk->args = args;
		if (parse_args(m, mk))
			return -1;
	}
	return out->n;
}
