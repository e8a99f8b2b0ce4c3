/* DWARF location expressions to C.
 *
 * The expression is run at translation time on a stack of C temporaries:
 * each operation that computes something emits "t[N] = ...;" and pushes
 * N, so the generated code is straight-line C that reads registers
 * (l2c_reg), memory (l2c_read_uint) and the load bias.  What the
 * expression leaves says where the value is (struct Ld): at an address,
 * in a register, as a computed value (DW_OP_stack_value), as constant
 * bytes (DW_OP_implicit_value, DW_AT_const_value), or in pieces.
 *
 * The CFA (DW_OP_call_frame_cfa, usually the frame base) comes from the
 * module's CFI at the probe address, translated the same way, so nothing
 * is unwound at run time.  DW_OP_entry_value is only known at the
 * function's first instruction, where it is the register itself. */
#include "translate/loc2c_int.h"
#include <stdlib.h>
#include <string.h>

enum { STACK_MAX = 64 };

typedef struct Eval {
	Gen *g;
	Dwarf_Attribute *attr;
	Dwarf_Die *fn;		/* for DW_OP_fbreg */
	int stack[STACK_MAX];
	int sp;
	int depth;		/* nested frame base / CFA / entry value evaluations */
} Eval;

static const char *const reg_names[] = {
	"rax", "rdx", "rcx", "rbx", "rsi", "rdi", "rbp", "rsp",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rip",
};

static int check_reg(Gen *g, uint64_t reg)
{
	if (reg <= 16)
		return 0;
	if (reg >= 17 && reg <= 32)
		return l2c_gen_error(g, "the value is in register xmm%d, and floating-point and "
				 "vector registers cannot be read", (int)reg - 17);
	return l2c_gen_error(g, "the value is in DWARF register %llu, which cannot be read",
			 (unsigned long long)reg);
}

static int push(Eval *e, int t)
{
	if (e->sp == STACK_MAX)
		return l2c_gen_error(e->g, "DWARF expression too deep");
	e->stack[e->sp++] = t;
	return 0;
}

static int pop(Eval *e, int *t)
{
	if (!e->sp)
		return l2c_gen_error(e->g, "malformed DWARF expression (stack underflow)");
	*t = e->stack[--e->sp];
	return 0;
}

static int push_const(Eval *e, uint64_t v)
{
	int t = l2c_gen_temp(e->g);
	l2c_gen_line(e->g, "t[%d] = 0x%llxULL;", t, (unsigned long long)v);
	return push(e, t);
}

static int reg_temp(Gen *g, uint64_t reg)
{
	if (check_reg(g, reg))
		return -1;
	int t = l2c_gen_temp(g);
	l2c_gen_line(g, "t[%d] = l2c_reg(f, %d); /* %%%s */", t, (int)reg, reg_names[reg]);
	return t;
}

static int translate_ops(Eval *e, const Dwarf_Op *ops, size_t nops, Ld *out);

/* A location that must be an address (a frame base, the CFA): its temp. */
static int as_address(Gen *g, const Ld *ld)
{
	switch (ld->kind) {
	case LD_MEM:
	case LD_VALUE:
		return ld->t;
	case LD_REG:	/* old-style "frame base is %rbp": its value */
		return reg_temp(g, (uint64_t)ld->reg);
	default:
		return l2c_gen_error(g, "unsupported frame base or CFA expression");
	}
}

static int cfa_temp(Eval *e)
{
	Gen *g = e->g;
	Dwarf_Addr bias;
	Dwarf_CFI *cfi[2] = { dwfl_module_dwarf_cfi(g->m->mod, &bias),
			      dwfl_module_eh_cfi(g->m->mod, &bias) };
	for (int i = 0; i < 2; i++) {
		Dwarf_Frame *frame;
		Dwarf_Op *ops;
		size_t n;
		if (!cfi[i] || dwarf_cfi_addrframe(cfi[i], g->pc, &frame) != 0)
			continue;
		if (dwarf_frame_cfa(frame, &ops, &n) != 0 || !n) {
			free(frame);
			continue;
		}
		Eval sub = { .g = g, .attr = NULL, .fn = NULL, .depth = e->depth + 1 };
		Ld ld;
		int rc = translate_ops(&sub, ops, n, &ld);
		free(frame);
		if (rc)
			return -1;
		int t = as_address(g, &ld);
		if (t >= 0)
			l2c_gen_line(g, "/* t[%d] is the CFA at 0x%llx */", t,
				 (unsigned long long)g->pc);
		return t;
	}
	return l2c_gen_error(g, "no call frame information for pc 0x%llx (needed for the frame "
			 "base)", (unsigned long long)g->pc);
}

static int frame_base(Eval *e)
{
	Gen *g = e->g;
	Dwarf_Attribute a;
	Dwarf_Op *ops;
	size_t n;
	if (!e->fn || !dwarf_attr_integrate(e->fn, DW_AT_frame_base, &a))
		return l2c_gen_error(g, "DW_OP_fbreg without a frame base");
	if (dwarf_getlocation_addr(&a, g->pc, &ops, &n, 1) <= 0 || !n)
		return l2c_gen_error(g, "the frame base is not available at pc 0x%llx",
				 (unsigned long long)g->pc);
	Eval sub = { .g = g, .attr = &a, .fn = NULL, .depth = e->depth + 1 };
	Ld ld;
	if (translate_ops(&sub, ops, n, &ld))
		return -1;
	return as_address(g, &ld);
}

/* The static TLS block of the executable sits below the thread pointer
 * (x86-64 TLS variant II); a library's block needs the DTV. */
static int tls_address(Eval *e, int off)
{
	Gen *g = e->g;
	size_t n;
	bool program = !di_is_shared(g->m);
	if (elf_getphdrnum(g->m->elf, &n) != 0)
		return l2c_gen_error(g, "cannot read the program headers for TLS");
	/* A PIE is ET_DYN too: what makes it the program is its interpreter. */
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;
		if (gelf_getphdr(g->m->elf, (int)i, &ph) && ph.p_type == PT_INTERP)
			program = true;
	}
	if (!program)
		return l2c_gen_error(g, "thread-local variables of shared libraries cannot be read "
				 "(only the main program's)");
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(g->m->elf, (int)i, &ph) || ph.p_type != PT_TLS)
			continue;
		uint64_t align = ph.p_align ? ph.p_align : 1;
		uint64_t size = (ph.p_memsz + align - 1) / align * align;
		int t = l2c_gen_temp(g);
		l2c_gen_line(g, "t[%d] = l2c_thread_pointer(f) - 0x%llxULL + t[%d];", t,
			 (unsigned long long)size, off);
		return t;
	}
	return l2c_gen_error(g, "the program has no TLS segment");
}

/* DW_OP_entry_value(DW_OP_regN): at the function's entry, %N itself. */
static int entry_value(Eval *e, const Dwarf_Op *op)
{
	Gen *g = e->g;
	Dwarf_Attribute a;
	Dwarf_Op *sub;
	size_t n;
	if (!e->attr || dwarf_getlocation_attr(e->attr, op, &a) != 0 ||
	    dwarf_getlocation(&a, &sub, &n) != 0)
		return l2c_gen_error(g, "cannot read a DW_OP_entry_value");
	uint64_t reg;
	if (n == 1 && sub[0].atom >= DW_OP_reg0 && sub[0].atom <= DW_OP_reg31)
		reg = sub[0].atom - DW_OP_reg0;
	else if (n == 1 && sub[0].atom == DW_OP_regx)
		reg = sub[0].number;
	else
		return l2c_gen_error(g, "the value is only known at the function's entry "
				 "(DW_OP_entry_value), in a form that cannot be read");
	Dwarf_Die fn;
	Dwarf_Addr entry;
	if (!l2c_frame_function(g, &fn) || dwarf_entrypc(&fn, &entry) != 0 || entry != g->pc)
		return l2c_gen_error(g, "the value is only known at the function's entry "
				 "(DW_OP_entry_value of %%%s), not at pc 0x%llx",
				 reg < 17 ? reg_names[reg] : "?", (unsigned long long)g->pc);
	int t = reg_temp(g, reg);
	return t < 0 ? -1 : push(e, t);
}

/* DW_OP_convert / DW_OP_deref_type's base type: size and signedness. */
static int base_type(Eval *e, uint64_t cu_off, int *size, bool *is_signed)
{
	Dwarf_Attribute a;
	Dwarf_Die cu, t;
	*size = 8;
	*is_signed = false;
	if (!cu_off)
		return 0;	/* the generic type */
	Dwarf_Die *where = e->fn;
	if (!where && e->g->s)
		where = &e->g->s->cu;
	if (!where || !dwarf_diecu(where, &cu, NULL, NULL) ||
	    !dwarf_offdie(e->g->m->dw, dwarf_dieoffset(&cu) + cu_off, &t))
		return l2c_gen_error(e->g, "cannot read the base type of a typed DWARF operation");
	(void)a;
	if (!l2c_int_type(&t, size, is_signed))
		return l2c_gen_error(e->g, "typed DWARF operation on a non-integer type");
	return 0;
}

static int truncate(Eval *e, int t, int size, bool is_signed)
{
	if (size >= 8)
		return t;
	int r = l2c_gen_temp(e->g);
	if (is_signed)
		l2c_gen_line(e->g, "t[%d] = (uint64_t)(int64_t)(int%d_t)t[%d];", r, size * 8, t);
	else
		l2c_gen_line(e->g, "t[%d] = (uint64_t)(uint%d_t)t[%d];", r, size * 8, t);
	return r;
}

static int binop(Eval *e, const char *fmt)
{
	int a = -1, b = -1;
	if (pop(e, &b) || pop(e, &a))
		return -1;
	int t = l2c_gen_temp(e->g);
	sb_indent(&e->g->body, e->g->depth + 1);
	sb_printf(&e->g->body, "t[%d] = ", t);
	sb_printf(&e->g->body, fmt, a, b);
	sb_puts(&e->g->body, ";\n");
	return push(e, t);
}

static void finish_piece(Eval *e, Ld *cur, bool *have)
{
	if (!*have && e->sp) {
		cur->kind = LD_MEM;
		cur->t = e->stack[e->sp - 1];
		e->sp = 0;
		*have = true;
	}
	if (!*have)
		cur->kind = LD_NONE;
}

static int translate_ops(Eval *e, const Dwarf_Op *ops, size_t nops, Ld *out)
{
	Gen *g = e->g;
	Ld cur;
	bool have = false;
	LdPiece *pieces = NULL;
	int npieces = 0;
	memset(&cur, 0, sizeof(cur));
	memset(out, 0, sizeof(*out));
	if (e->depth > 4)
		return l2c_gen_error(g, "DWARF expression nests too deeply");
	for (size_t i = 0; i < nops; i++) {
		const Dwarf_Op *op = &ops[i];
		uint8_t atom = op->atom;
		int a = -1, b = -1, t = -1;
		if (have && atom != DW_OP_piece && atom != DW_OP_bit_piece)
			return l2c_gen_error(g, "malformed DWARF expression (operation 0x%x after a "
					 "register or value location)", atom);
		if (atom >= DW_OP_lit0 && atom <= DW_OP_lit31) {
			if (push_const(e, atom - DW_OP_lit0))
				return -1;
			continue;
		}
		if (atom >= DW_OP_reg0 && atom <= DW_OP_reg31) {
			if (check_reg(g, atom - DW_OP_reg0))
				return -1;
			cur.kind = LD_REG;
			cur.reg = atom - DW_OP_reg0;
			have = true;
			continue;
		}
		if (atom >= DW_OP_breg0 && atom <= DW_OP_breg31) {
			if ((t = reg_temp(g, atom - DW_OP_breg0)) < 0)
				return -1;
			int r = l2c_gen_temp(g);
			l2c_gen_line(g, "t[%d] = t[%d] + (int64_t)%lld;", r, t, (long long)op->number);
			if (push(e, r))
				return -1;
			continue;
		}
		switch (atom) {
		case DW_OP_addr:
			if (!g->module)
				g->uses_bias = true;
			t = l2c_gen_temp(g);
			l2c_gen_line(g, "t[%d] = %s + 0x%llxULL;", t, g->bias ? g->bias : "f->bias",
				 (unsigned long long)op->number);
			if (push(e, t))
				return -1;
			break;
		case DW_OP_addrx:
		case DW_OP_GNU_addr_index:
		case DW_OP_constx:
		case DW_OP_GNU_const_index: {
			/* DWARF 5 indexes into .debug_addr; libdw resolves them. */
			Dwarf_Attribute xa;
			Dwarf_Addr x;
			if (!e->attr || dwarf_getlocation_attr(e->attr, op, &xa) != 0 ||
			    dwarf_formaddr(&xa, &x) != 0)
				return l2c_gen_error(g, "cannot read an indexed address (DW_OP_addrx)");
			bool is_addr = atom == DW_OP_addrx || atom == DW_OP_GNU_addr_index;
			if (is_addr && !g->module)
				g->uses_bias = true;
			t = l2c_gen_temp(g);
			if (is_addr)
				l2c_gen_line(g, "t[%d] = %s + 0x%llxULL;", t, g->bias ? g->bias : "f->bias",
					 (unsigned long long)x);
			else
				l2c_gen_line(g, "t[%d] = 0x%llxULL;", t, (unsigned long long)x);
			if (push(e, t))
				return -1;
			break;
		}
		case DW_OP_const1u: case DW_OP_const2u: case DW_OP_const4u: case DW_OP_const8u:
		case DW_OP_constu: case DW_OP_const1s: case DW_OP_const2s: case DW_OP_const4s:
		case DW_OP_const8s: case DW_OP_consts:
			if (push_const(e, op->number))
				return -1;
			break;
		case DW_OP_regx:
			if (check_reg(g, op->number))
				return -1;
			cur.kind = LD_REG;
			cur.reg = (int)op->number;
			have = true;
			break;
		case DW_OP_bregx:
			if ((t = reg_temp(g, op->number)) < 0)
				return -1;
			a = l2c_gen_temp(g);
			l2c_gen_line(g, "t[%d] = t[%d] + (int64_t)%lld;", a, t, (long long)op->number2);
			if (push(e, a))
				return -1;
			break;
		case DW_OP_fbreg:
			if ((t = frame_base(e)) < 0)
				return -1;
			a = l2c_gen_temp(g);
			l2c_gen_line(g, "t[%d] = t[%d] + (int64_t)%lld;", a, t, (long long)op->number);
			if (push(e, a))
				return -1;
			break;
		case DW_OP_call_frame_cfa:
			if ((t = cfa_temp(e)) < 0 || push(e, t))
				return -1;
			break;
		case DW_OP_dup:
			if (!e->sp)
				return l2c_gen_error(g, "malformed DWARF expression (dup)");
			if (push(e, e->stack[e->sp - 1]))
				return -1;
			break;
		case DW_OP_drop:
			if (pop(e, &t))
				return -1;
			break;
		case DW_OP_over:
			if (e->sp < 2 || push(e, e->stack[e->sp - 2]))
				return l2c_gen_error(g, "malformed DWARF expression (over)");
			break;
		case DW_OP_pick:
			if (op->number >= (uint64_t)e->sp ||
			    push(e, e->stack[e->sp - 1 - (int)op->number]))
				return l2c_gen_error(g, "malformed DWARF expression (pick)");
			break;
		case DW_OP_swap:
			if (e->sp < 2)
				return l2c_gen_error(g, "malformed DWARF expression (swap)");
			t = e->stack[e->sp - 1];
			e->stack[e->sp - 1] = e->stack[e->sp - 2];
			e->stack[e->sp - 2] = t;
			break;
		case DW_OP_rot:
			if (e->sp < 3)
				return l2c_gen_error(g, "malformed DWARF expression (rot)");
			t = e->stack[e->sp - 1];
			e->stack[e->sp - 1] = e->stack[e->sp - 2];
			e->stack[e->sp - 2] = e->stack[e->sp - 3];
			e->stack[e->sp - 3] = t;
			break;
		case DW_OP_deref:
		case DW_OP_deref_size:
		case DW_OP_deref_type:
		case DW_OP_GNU_deref_type: {
			int size = 8;
			bool sgn = false;
			if (atom != DW_OP_deref)
				size = (int)op->number;
			if (size < 1 || size > 8)
				return l2c_gen_error(g, "unsupported DW_OP_deref_size %d", size);
			if ((atom == DW_OP_deref_type || atom == DW_OP_GNU_deref_type) &&
			    base_type(e, op->number2, &b, &sgn))
				return -1;
			if (pop(e, &a))
				return -1;
			t = l2c_gen_temp(g);
			l2c_gen_check(g, "l2c_read_uint(f, t[%d], %d, &t[%d])", a, size, t);
			if (sgn)
				t = truncate(e, t, size, true);
			if (push(e, t))
				return -1;
			break;
		}
		case DW_OP_abs:
			if (pop(e, &a))
				return -1;
			t = l2c_gen_temp(g);
			l2c_gen_line(g, "t[%d] = (int64_t)t[%d] < 0 ? -t[%d] : t[%d];", t, a, a, a);
			if (push(e, t))
				return -1;
			break;
		case DW_OP_neg:
		case DW_OP_not:
			if (pop(e, &a))
				return -1;
			t = l2c_gen_temp(g);
			l2c_gen_line(g, "t[%d] = %ct[%d];", t, atom == DW_OP_neg ? '-' : '~', a);
			if (push(e, t))
				return -1;
			break;
		case DW_OP_plus_uconst:
			if (pop(e, &a))
				return -1;
			t = l2c_gen_temp(g);
			l2c_gen_line(g, "t[%d] = t[%d] + 0x%llxULL;", t, a, (unsigned long long)op->number);
			if (push(e, t))
				return -1;
			break;
		case DW_OP_and: if (binop(e, "t[%d] & t[%d]")) return -1; break;
		case DW_OP_or: if (binop(e, "t[%d] | t[%d]")) return -1; break;
		case DW_OP_xor: if (binop(e, "t[%d] ^ t[%d]")) return -1; break;
		case DW_OP_plus: if (binop(e, "t[%d] + t[%d]")) return -1; break;
		case DW_OP_minus: if (binop(e, "t[%d] - t[%d]")) return -1; break;
		case DW_OP_mul: if (binop(e, "t[%d] * t[%d]")) return -1; break;
		case DW_OP_shl: if (binop(e, "t[%d] << (t[%d] & 63)")) return -1; break;
		case DW_OP_shr: if (binop(e, "t[%d] >> (t[%d] & 63)")) return -1; break;
		case DW_OP_shra:
			if (binop(e, "(uint64_t)((int64_t)t[%d] >> (t[%d] & 63))"))
				return -1;
			break;
		case DW_OP_eq: if (binop(e, "t[%d] == t[%d]")) return -1; break;
		case DW_OP_ne: if (binop(e, "t[%d] != t[%d]")) return -1; break;
		case DW_OP_lt: if (binop(e, "(int64_t)t[%d] < (int64_t)t[%d]")) return -1; break;
		case DW_OP_gt: if (binop(e, "(int64_t)t[%d] > (int64_t)t[%d]")) return -1; break;
		case DW_OP_le: if (binop(e, "(int64_t)t[%d] <= (int64_t)t[%d]")) return -1; break;
		case DW_OP_ge: if (binop(e, "(int64_t)t[%d] >= (int64_t)t[%d]")) return -1; break;
		case DW_OP_div:
		case DW_OP_mod:
			if (e->sp < 2)
				return l2c_gen_error(g, "malformed DWARF expression (div)");
			l2c_gen_check(g, "t[%d] == 0 && l2c_fail(f, \"division by zero in a DWARF "
				  "expression\")", e->stack[e->sp - 1]);
			if (binop(e, atom == DW_OP_div ? "(uint64_t)((int64_t)t[%d] / (int64_t)t[%d])"
						       : "t[%d] %% t[%d]"))
				return -1;
			break;
		case DW_OP_nop:
			break;
		case DW_OP_stack_value:
			if (pop(e, &a))
				return -1;
			cur.kind = LD_VALUE;
			cur.t = a;
			have = true;
			break;
		case DW_OP_implicit_value: {
			Dwarf_Block blk;
			if (!e->attr || dwarf_getlocation_implicit_value(e->attr, op, &blk) != 0)
				return l2c_gen_error(g, "cannot read a DW_OP_implicit_value");
			cur.kind = LD_CONST;
			cur.bytes = blk.data;
			cur.nbytes = blk.length;
			have = true;
			break;
		}
		case DW_OP_piece: {
			finish_piece(e, &cur, &have);
			LdPiece *np = arena_alloc(&g->m->arena, sizeof(*np) * (size_t)(npieces + 1));
			Ld *copy = arena_alloc(&g->m->arena, sizeof(*copy));
			if (npieces)
				memcpy(np, pieces, sizeof(*np) * (size_t)npieces);
			pieces = np;
			*copy = cur;
			pieces[npieces].ld = copy;
			pieces[npieces].size = op->number;
			npieces++;
			memset(&cur, 0, sizeof(cur));
			have = false;
			break;
		}
		case DW_OP_entry_value:
		case DW_OP_GNU_entry_value:
			if (entry_value(e, op))
				return -1;
			break;
		case DW_OP_form_tls_address:
		case DW_OP_GNU_push_tls_address:
			if (pop(e, &a) || (t = tls_address(e, a)) < 0 || push(e, t))
				return -1;
			break;
		case DW_OP_convert:
		case DW_OP_GNU_convert:
		case DW_OP_reinterpret:
		case DW_OP_GNU_reinterpret: {
			int size;
			bool sgn;
			if (base_type(e, op->number, &size, &sgn) || pop(e, &a))
				return -1;
			if (push(e, truncate(e, a, size, sgn)))
				return -1;
			break;
		}
		case DW_OP_regval_type:
		case DW_OP_GNU_regval_type: {
			int size;
			bool sgn;
			if (base_type(e, op->number2, &size, &sgn) ||
			    (t = reg_temp(g, op->number)) < 0)
				return -1;
			if (push(e, truncate(e, t, size, sgn)))
				return -1;
			break;
		}
		case DW_OP_implicit_pointer:
		case DW_OP_GNU_implicit_pointer:
			return l2c_gen_error(g, "the pointer was optimised out (only what it points to "
					 "is described)");
		case DW_OP_bit_piece:
			return l2c_gen_error(g, "DW_OP_bit_piece locations are not supported");
		case DW_OP_bra:
		case DW_OP_skip:
			return l2c_gen_error(g, "DWARF expressions with branches are not supported");
		default:
			return l2c_gen_error(g, "unsupported DWARF operation 0x%x", atom);
		}
	}
	if (npieces) {
		if (have || e->sp)
			return l2c_gen_error(g, "malformed DWARF expression (trailing after pieces)");
		out->kind = LD_PIECES;
		out->pieces = pieces;
		out->npieces = npieces;
		return 0;
	}
	finish_piece(e, &cur, &have);
	*out = cur;
	return 0;
}

int l2c_translate(Gen *g, Dwarf_Attribute *attr, const Dwarf_Op *ops, size_t nops,
		  Dwarf_Die *fn, Ld *out)
{
	Eval e = { .g = g, .attr = attr, .fn = fn };
	return translate_ops(&e, ops, nops, out);
}

bool l2c_frame_function(Gen *g, Dwarf_Die *out)
{
	L2cScope *s = g->s;
	if (!s)
		return false;
	for (int i = 0; i < s->nscopes; i++)
		if (dwarf_tag(&s->scopes[i]) == DW_TAG_subprogram &&
		    dwarf_hasattr_integrate(&s->scopes[i], DW_AT_frame_base) &&
		    dwarf_haspc(&s->scopes[i], g->pc) > 0) {
			*out = s->scopes[i];
			return true;
		}
	/* Code inlined here: the chain goes through the inlined function's
	 * abstract definition, so look for the concrete one holding pc. */
	Dwarf_Die c;
	if (dwarf_child(&s->cu, &c) != 0)
		return false;
	do {
		if (dwarf_tag(&c) == DW_TAG_subprogram && dwarf_haspc(&c, g->pc) > 0) {
			*out = c;
			return true;
		}
	} while (dwarf_siblingof(&c, &c) == 0);
	return false;
}

static char *alternatives(Dwarf_Attribute *a)
{
	StrBuf b = { 0 };
	Dwarf_Addr base, start, end;
	Dwarf_Op *expr;
	size_t len;
	ptrdiff_t off = 0;
	int n = 0;
	while ((off = dwarf_getlocations(a, off, &base, &start, &end, &expr, &len)) > 0) {
		if (!len)
			continue;
		if (n++ < 8)
			sb_printf(&b, "%s[%#llx,%#llx]", b.len ? " " : "", (unsigned long long)start,
				  (unsigned long long)end - 1);
	}
	if (n > 8)
		sb_puts(&b, " ...");
	return b.s;
}

int l2c_var_location(Gen *g, Dwarf_Die *var, Ld *out, char **alts)
{
	Dwarf_Attribute a;
	const char *name = dwarf_diename(var);
	memset(out, 0, sizeof(*out));
	*alts = NULL;
	if (dwarf_attr_integrate(var, DW_AT_const_value, &a)) {
		Dwarf_Block blk;
		Dwarf_Word u;
		Dwarf_Sword sv;
		out->kind = LD_CONST;
		if (dwarf_formblock(&a, &blk) == 0) {
			out->bytes = blk.data;
			out->nbytes = blk.length;
			return 0;
		}
		unsigned char *bytes = arena_alloc(&g->m->arena, 8);
		int form = dwarf_whatform(&a);
		if (form == DW_FORM_sdata || form == DW_FORM_implicit_const) {
			if (dwarf_formsdata(&a, &sv) != 0)
				return l2c_gen_error(g, "cannot read the constant value of '%s'", name);
			u = (Dwarf_Word)sv;
		} else if (dwarf_formudata(&a, &u) != 0) {
			return l2c_gen_error(g, "cannot read the constant value of '%s'", name);
		}
		memcpy(bytes, &u, 8);
		out->bytes = bytes;
		out->nbytes = 8;
		return 0;
	}
	if (!dwarf_attr(var, DW_AT_location, &a))
		return l2c_gen_error(g, "failed to retrieve location attribute for '%s' [man "
				 "error::dwarf] (it was optimised out)", name);
	Dwarf_Op *expr;
	size_t len;
	int n = dwarf_getlocation_addr(&a, g->pc, &expr, &len, 1);
	if (n < 0)
		return l2c_gen_error(g, "cannot read the location of '%s': %s", name, dwarf_errmsg(-1));
	if (n == 0) {
		*alts = alternatives(&a);
		return l2c_gen_error(g, "not accessible at this address (pc: %#llx) [man "
				 "error::dwarf]", (unsigned long long)g->pc);
	}
	if (!len) {
		out->kind = LD_NONE;
		return 0;
	}
	Dwarf_Die fn;
	bool has_fn = l2c_frame_function(g, &fn);
	return l2c_translate(g, &a, expr, len, has_fn ? &fn : NULL, out);
}

/* ---- reading bytes from a location ---- */

static const char *mask(unsigned size)
{
	static const char *const m[] = { "0", "0xffULL", "0xffffULL", "0xffffffULL",
		"0xffffffffULL", "0xffffffffffULL", "0xffffffffffffULL", "0xffffffffffffffULL" };
	return size < 8 ? m[size] : NULL;
}

int l2c_load(Gen *g, const Ld *ld, uint64_t off, unsigned size)
{
	int t, v;
	if (size < 1 || size > 8)
		return l2c_gen_error(g, "cannot read %u bytes as one value", size);
	switch (ld->kind) {
	case LD_NONE:
		return l2c_gen_error(g, "the value was optimised out");
	case LD_MEM:
		t = l2c_gen_temp(g);
		l2c_gen_check(g, "l2c_read_uint(f, t[%d] + %llu, %u, &t[%d])", ld->t,
			  (unsigned long long)off, size, t);
		return t;
	case LD_REG:
	case LD_VALUE:
		if (off + size > 8)
			return l2c_gen_error(g, "reading past the end of a %s", ld->kind == LD_REG ?
					 "register" : "computed value");
		if (ld->kind == LD_REG) {
			if ((v = reg_temp(g, (uint64_t)ld->reg)) < 0)
				return -1;
		} else {
			v = ld->t;
		}
		t = l2c_gen_temp(g);
		if (size == 8)
			l2c_gen_line(g, "t[%d] = t[%d];", t, v);
		else
			l2c_gen_line(g, "t[%d] = (t[%d] >> %u) & %s;", t, v, (unsigned)off * 8, mask(size));
		return t;
	case LD_CONST: {
		uint64_t x = 0;
		if (off + size > ld->nbytes)
			return l2c_gen_error(g, "reading past the end of a constant value");
		memcpy(&x, ld->bytes + off, size);
		t = l2c_gen_temp(g);
		l2c_gen_line(g, "t[%d] = 0x%llxULL;", t, (unsigned long long)x);
		return t;
	}
	case LD_PIECES: {
		uint64_t start = 0;
		int acc = -1;
		for (int i = 0; i < ld->npieces; i++) {
			uint64_t ps = start, pe = start + ld->pieces[i].size;
			start = pe;
			if (pe <= off || ps >= off + size)
				continue;
			uint64_t lo = off > ps ? off : ps;
			uint64_t hi = off + size < pe ? off + size : pe;
			if (lo == off && hi == off + size)
				return l2c_load(g, ld->pieces[i].ld, lo - ps, size);
			int part = l2c_load(g, ld->pieces[i].ld, lo - ps, (unsigned)(hi - lo));
			if (part < 0)
				return -1;
			if (acc < 0) {
				acc = l2c_gen_temp(g);
				l2c_gen_line(g, "t[%d] = 0;", acc);
			}
			l2c_gen_line(g, "t[%d] |= t[%d] << %u;", acc, part, (unsigned)(lo - off) * 8);
		}
		if (acc < 0)
			return l2c_gen_error(g, "the value is not in any piece of its location");
		return acc;
	}
	}
	return l2c_gen_error(g, "bad location");
}
