/* Registers by DWARF number in the kernel (x86-64), from the struct
 * pt_regs a uprobe handler gets: the probed task's user registers.
 * DWARF numbers follow the x86-64 psABI: 0 rax, 1 rdx, 2 rcx, 3 rbx,
 * 4 rsi, 5 rdi, 6 rbp, 7 rsp, 8-15 r8-r15, 16 the return address column
 * (the pc), 49 rflags, 51 cs, 52 ss.  The kernel's pt_regs has no data
 * segment registers; the translator does not emit their numbers. */
#ifndef RUNTIME_LINUX_REGS_H
#define RUNTIME_LINUX_REGS_H

#include <linux/types.h>
#include <linux/sched.h>
#include <asm/ptrace.h>
#include <asm/processor.h>

static inline u64 l2c_arch_reg(const struct pt_regs *regs, int regno)
{
	switch (regno) {
	case 0: return regs->ax;
	case 1: return regs->dx;
	case 2: return regs->cx;
	case 3: return regs->bx;
	case 4: return regs->si;
	case 5: return regs->di;
	case 6: return regs->bp;
	case 7: return regs->sp;
	case 8: return regs->r8;
	case 9: return regs->r9;
	case 10: return regs->r10;
	case 11: return regs->r11;
	case 12: return regs->r12;
	case 13: return regs->r13;
	case 14: return regs->r14;
	case 15: return regs->r15;
	case 16: return regs->ip;
	case 49: return regs->flags;
	case 51: return regs->cs;
	case 52: return regs->ss;
	case 58: return current->thread.fsbase;
	default: return 0;
	}
}

/* The thread pointer (%fs base) of the probed task, which is current in
 * a uprobe handler. */
static inline u64 l2c_arch_thread_pointer(const struct pt_regs *regs)
{
	return current->thread.fsbase;
}

#endif
