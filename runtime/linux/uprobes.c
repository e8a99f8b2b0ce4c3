/* The kernel's half of runtime/uprobes.h (included by runtime/uprobes.c):
 * one inode uprobe consumer per table entry, a uretprobe for .return
 * entries, SDT semaphores through the API's reference counter.
 *
 * The kernel places the breakpoint in every process that maps the file,
 * now and later, and copies it into fork children; the consumer decides
 * which hits are ours.  Its filter answers for the process it is asked
 * about when that is the current one (a hit: a process that is no
 * target loses the breakpoint then, after one trap) and for a process(PID)
 * probe; the handler checks again, since the filter is advisory. */
#include <linux/elf.h>
#include <linux/mm.h>
#include <linux/namei.h>
#include <linux/uaccess.h>
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include "uprobes_compat.h"

struct stp_kuprobe {
	struct uprobe_consumer uc;
	struct stp_uprobe_reg reg;
	const struct stp_uprobe *up;
	bool registered;
};

static struct stp_kuprobe *stp_kups;

/* The kernel replaces a .return's return address with its trampoline
 * and keeps the real one to itself; the unwinder needs it to go on past
 * that frame.  So the consumer of a .return also has an entry handler
 * that notes (task, slot, real address) here, and the return handler
 * takes the note out.  A fixed table, no allocation in a handler; notes
 * of frames that longjmp skipped are dropped at the task's next entry
 * (their slots lie below its stack pointer).  When full, a frame goes
 * unnoted and a backtrace through it ends at the trampoline. */
#define STP_KUP_NOTES 1024
static struct stp_kup_note {
	struct task_struct *task;
	unsigned long slot, orig;
} stp_kup_notes[STP_KUP_NOTES];
static DEFINE_SPINLOCK(stp_kup_notes_lock);
static atomic_t stp_kup_nnotes;

static unsigned int _stp_kup_hash(struct task_struct *t, unsigned long slot)
{
	return (unsigned int)(((unsigned long)t >> 6) ^ (slot >> 3)) % STP_KUP_NOTES;
}

static void _stp_kup_note(struct task_struct *t, unsigned long slot, unsigned long orig)
{
	unsigned long flags;
	unsigned int i, h = _stp_kup_hash(t, slot);

	spin_lock_irqsave(&stp_kup_notes_lock, flags);
	for (i = 0; i < STP_KUP_NOTES; i++) {
		struct stp_kup_note *n = &stp_kup_notes[i];

		if (n->task == t && n->slot <= slot) {
			n->task = NULL;	/* a frame gone without returning */
			atomic_dec(&stp_kup_nnotes);
		}
	}
	for (i = 0; i < 8; i++) {
		struct stp_kup_note *n = &stp_kup_notes[(h + i) % STP_KUP_NOTES];

		if (!n->task) {
			n->task = t;
			n->slot = slot;
			n->orig = orig;
			atomic_inc(&stp_kup_nnotes);
			break;
		}
	}
	spin_unlock_irqrestore(&stp_kup_notes_lock, flags);
}

static unsigned long _stp_kup_find(struct task_struct *t, unsigned long slot, bool take)
{
	unsigned long flags, orig = 0;
	unsigned int i, h = _stp_kup_hash(t, slot);

	if (!atomic_read(&stp_kup_nnotes))
		return 0;
	spin_lock_irqsave(&stp_kup_notes_lock, flags);
	for (i = 0; i < 8; i++) {
		struct stp_kup_note *n = &stp_kup_notes[(h + i) % STP_KUP_NOTES];

		if (n->task == t && n->slot == slot) {
			orig = n->orig;
			if (take) {
				n->task = NULL;
				atomic_dec(&stp_kup_nnotes);
			}
			break;
		}
	}
	spin_unlock_irqrestore(&stp_kup_notes_lock, flags);
	return orig;
}

static bool _stp_uprobe_in_tree(struct task_struct *task)
{
	pid_t target = stp_target_pid();
	struct task_struct *t;
	bool in = false;

	/* The target or a descendant: its ancestry reaches the target.  A
	 * process whose parent died first is reparented and leaves the tree,
	 * as the task finder's records would not know it either. */
	rcu_read_lock();
	for (t = task; t && t->pid > 1; t = rcu_dereference(t->real_parent)) {
		if (t->tgid == target) {
			in = true;
			break;
		}
		if (t == rcu_dereference(t->real_parent))
			break;
	}
	rcu_read_unlock();
	return in;
}

static bool _stp_kup_filter(STP_UPROBE_FILTER_PARAMS)
{
	struct stp_kuprobe *k = container_of(self, struct stp_kuprobe, uc);
	struct task_struct *t;
	bool mine = false;

	if (current->mm == mm)
		return _stp_uprobe_wanted(k->up, current);
	if (!k->up->pid)
		return true;	/* which tasks use mm is not known here */
	rcu_read_lock();
	t = pid_task(find_vpid(k->up->pid), PIDTYPE_TGID);
	if (t)
		mine = READ_ONCE(t->mm) == mm;
	rcu_read_unlock();
	return mine;
}

static int _stp_kup_handler(struct uprobe_consumer *self, struct pt_regs *regs STP_UPROBE_DATA_PARAM)
{
	struct stp_kuprobe *k = container_of(self, struct stp_kuprobe, uc);

	/* Not ours: the kernel then asks the filters, which say no for this
	 * process, and takes the breakpoint out of it. */
	if (!_stp_uprobe_wanted(k->up, current))
		return UPROBE_HANDLER_REMOVE;
	_stp_uprobe_run(k->up, current, regs, instruction_pointer(regs), 0);
	return 0;
}

/* A .return's entry: the return address is at the stack pointer. */
static int _stp_kup_ret_entry(struct uprobe_consumer *self, struct pt_regs *regs STP_UPROBE_DATA_PARAM)
{
	struct stp_kuprobe *k = container_of(self, struct stp_kuprobe, uc);
	unsigned long sp = regs->sp, orig;

	if (!_stp_uprobe_wanted(k->up, current))
		return UPROBE_HANDLER_REMOVE;
	if (!copy_from_user_nofault(&orig, (void __user *)sp, sizeof(orig)))
		_stp_kup_note(current, sp, orig);
	return 0;
}

static int _stp_kup_ret_handler(struct uprobe_consumer *self, unsigned long func,
				struct pt_regs *regs STP_UPROBE_DATA_PARAM)
{
	struct stp_kuprobe *k = container_of(self, struct stp_kuprobe, uc);

	/* ret popped the slot: it is just below the stack pointer. */
	_stp_kup_find(current, regs->sp - sizeof(long), true);
	if (!_stp_uprobe_wanted(k->up, current))
		return 0;
	/* The kernel has put the real return address back in the pc. */
	_stp_uprobe_run(k->up, current, regs, func, instruction_pointer(regs));
	return 0;
}

/* runtime/linux/transport.h; weak, since a module may place uprobes
 * without the transport (the stap.uprobes tier's kmod). */
struct path;
bool stp_transport_root(struct path *root) __attribute__((weak));

static struct inode *_stp_kup_inode(const char *path)
{
	struct path p, root;
	struct inode *inode;

	/* The probes start in a workqueue, with init's root: open the file
	 * from staprun's, which differs when it runs chrooted (O_PATH: no
	 * access to the contents; vfs_path_lookup is not in the headers). */
	if (stp_transport_root && stp_transport_root(&root)) {
		struct file *f = file_open_root(&root, path, O_PATH, 0);

		path_put(&root);
		if (IS_ERR(f))
			return NULL;
		inode = igrab(file_inode(f));
		fput(f);
		return inode;
	}
	if (kern_path(path, LOOKUP_FOLLOW, &p))
		return NULL;
	inode = igrab(d_inode(p.dentry));
	path_put(&p);
	return inode;
}

static void _stp_uprobes_platform_stop(void)
{
	unsigned int i;

	for (i = 0; i < stp_ups.n; i++)
		if (stp_kups[i].registered)
			stp_uprobe_unregister(&stp_kups[i].reg, &stp_kups[i].uc);
	stp_uprobe_unregister_sync();
	for (i = 0; i < stp_ups.n; i++) {
		if (stp_kups[i].registered)
			stp_atomic_inc_return(&stp_ups.removed);
		if (stp_kups[i].reg.inode)
			iput(stp_kups[i].reg.inode);
	}
	stp_free(stp_kups);
	stp_kups = NULL;
	memset(stp_kup_notes, 0, sizeof(stp_kup_notes));
	atomic_set(&stp_kup_nnotes, 0);
	stp_free(stp_ups.pathbuf);
	stp_ups.pathbuf = NULL;
}

static int _stp_uprobes_platform_start(void)
{
	unsigned int i;
	int rc;

	stp_kups = stp_alloc(stp_ups.n * sizeof(*stp_kups) + 1);
	stp_ups.pathbuf = stp_alloc(stp_ncpus() * sizeof(*stp_ups.pathbuf));
	if (!stp_kups || !stp_ups.pathbuf) {
		stp_free(stp_kups);
		stp_free(stp_ups.pathbuf);
		stp_ups.pathbuf = NULL;
		return -ENOMEM;
	}
	memset(stp_kups, 0, stp_ups.n * sizeof(*stp_kups));
	for (i = 0; i < stp_ups.n; i++) {
		struct stp_kuprobe *k = &stp_kups[i];
		struct inode *inode = _stp_kup_inode(stp_ups.probes[i].path);

		if (!inode) {
			rc = -ENOENT;
			goto fail;
		}
		k->up = &stp_ups.probes[i];
		k->uc.filter = _stp_kup_filter;
		if (k->up->ret) {
			k->uc.handler = _stp_kup_ret_entry;
			k->uc.ret_handler = _stp_kup_ret_handler;
		} else
			k->uc.handler = _stp_kup_handler;
		rc = stp_uprobe_register(&k->reg, inode, k->up->offset, k->up->sdt_sem, &k->uc);
		if (rc) {
			k->reg.inode = inode;
			_stp_uprobe_failed(k->up->path, k->up->offset, rc);
			goto fail;
		}
		k->registered = true;
		stp_atomic_inc_return(&stp_ups.inserted);
		if (k->up->sdt_sem)
			stp_atomic_inc_return(&stp_ups.sem_incs);
	}
	return 0;
fail:
	_stp_uprobes_platform_stop();
	return rc;
}

STP_API unsigned long stp_uprobe_real_return(struct task_struct *t, unsigned long slot)
{
	return _stp_kup_find(t, slot, false);
}

/* The first mapping of path (file offset 0: the ELF header) in current's
 * process, and the lowest PT_LOAD address its program headers give. */
STP_API unsigned long stp_uprobe_module_bias(const char *path, int *ok)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	unsigned long start = 0, lowest = ~0UL;
	char *buf = stp_ups.pathbuf ? stp_ups.pathbuf[smp_processor_id()] : NULL;
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	int i;

	*ok = 0;
	if (!mm || !buf || !mmap_read_trylock(mm))
		return 0;
	{
		VMA_ITERATOR(vmi, mm, 0);

		for_each_vma(vmi, vma) {
			char *p;

			if (!vma->vm_file || vma->vm_pgoff)
				continue;
			p = d_path(&vma->vm_file->f_path, buf, PATH_MAX);
			if (!IS_ERR(p) && !strcmp(p, path)) {
				start = vma->vm_start;
				break;
			}
		}
	}
	mmap_read_unlock(mm);
	if (!start || copy_from_user_nofault(&eh, (void __user *)start, sizeof(eh)))
		return 0;
	for (i = 0; i < eh.e_phnum && i < 64; i++) {
		if (copy_from_user_nofault(&ph, (void __user *)(start + eh.e_phoff +
								 i * sizeof(ph)), sizeof(ph)))
			return 0;
		if (ph.p_type == PT_LOAD && (ph.p_vaddr & PAGE_MASK) < lowest)
			lowest = ph.p_vaddr & PAGE_MASK;
	}
	if (lowest == ~0UL)
		return 0;
	*ok = 1;
	return start - lowest;
}
