/* Registers by DWARF number on the ptrace platform (x86-64).
 *
 * The ptrace platform's struct pt_regs (user/utrace_platform.h) begins
 * with the struct user_regs_struct that PTRACE_GETREGS fills, so a pointer
 * to one is a pointer to the other; nothing else of it is used here.
 * DWARF numbers follow the x86-64 psABI: 0 rax, 1 rdx, 2 rcx, 3 rbx,
 * 4 rsi, 5 rdi, 6 rbp, 7 rsp, 8-15 r8-r15, 16 the return address column
 * (the pc), 49 rflags, 50-55 es cs ss ds fs gs, 58 fs.base, 59 gs.base. */
#ifndef RUNTIME_USER_REGS_H
#define RUNTIME_USER_REGS_H

#include <stdint.h>
#include <sys/user.h>

struct pt_regs;

/* The register's value; 0 for a number this platform does not have
 * (the translator only emits the numbers l2c_arch_has_reg accepts). */
static inline uint64_t l2c_arch_reg(const struct pt_regs *regs, int regno)
{
	const struct user_regs_struct *u = (const struct user_regs_struct *)(const void *)regs;
	switch (regno) {
	case 0: return u->rax;
	case 1: return u->rdx;
	case 2: return u->rcx;
	case 3: return u->rbx;
	case 4: return u->rsi;
	case 5: return u->rdi;
	case 6: return u->rbp;
	case 7: return u->rsp;
	case 8: return u->r8;
	case 9: return u->r9;
	case 10: return u->r10;
	case 11: return u->r11;
	case 12: return u->r12;
	case 13: return u->r13;
	case 14: return u->r14;
	case 15: return u->r15;
	case 16: return u->rip;
	case 49: return u->eflags;
	case 50: return u->es;
	case 51: return u->cs;
	case 52: return u->ss;
	case 53: return u->ds;
	case 54: return u->fs;
	case 55: return u->gs;
	case 58: return u->fs_base;
	case 59: return u->gs_base;
	default: return 0;
	}
}

/* The thread pointer (%fs base), for thread-local variables. */
static inline uint64_t l2c_arch_thread_pointer(const struct pt_regs *regs)
{
	return l2c_arch_reg(regs, 58);
}

#endif
