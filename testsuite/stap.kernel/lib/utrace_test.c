// SPDX-License-Identifier: GPL-2.0
/* utrace_test: drives the kernel utrace layer from guest shell scripts.
 *
 * Commands are written to /sys/kernel/debug/utrace_test/ctl, one per
 * write; reading ctl returns the last command's answer.  A "group" is a
 * tracer: its engines (one per traced thread, all with data = the group)
 * count what they see.  Commands (PID may be "self" for the writer):
 *
 *   attach G PID EVENTS [flag...]   utrace_attach_task; answers the errno
 *       flags: nocreate excl matchops matchdata follow stopchild log
 *       follow: report_clone attaches the group to each new child
 *       stopchild: follow, and stop each child before it first runs
 *       log: record the group's callbacks in the shared, ordered log
 *   events G PID EVENTS              utrace_set_events on G's engine
 *   control G PID ACTION             utrace_control (stop interrupt report
 *                                    resume detach, or a number)
 *   barrier G PID                    utrace_barrier
 *   hold G PID / hcontrol G ACTION / hevents G EVENTS / hbarrier G / drop G
 *                                    keep an engine handle past the task's end
 *   ret G EVENT ACTION [N]           the callback returns ACTION on its Nth
 *                                    call for EVENT (every call if N is 0)
 *   attach_at G EVENT N G2 EVENTS2   the Nth EVENT callback attaches G2 to
 *                                    the reporting task (G2 logs)
 *   block G EVENT N                  the Nth EVENT callback spins until
 *   unblock G                        this (or 20 s)
 *   detach_barrier G PID MS          DETACH G's held engine, unblock after MS
 *                                    from a timer, utrace_barrier; answers
 *                                    "detach=E barrier=E in_callback=0|1"
 *   counts G / info G / sys G        what G saw
 *   log                              the ordered log: "G EVENT TID" lines
 *   stopped PID / flag PID / mode    the layer's view of a task
 *   attach_pid_null                  utrace_attach_pid(NULL)
 *   reset                            detach every group's engines
 *
 * EVENTS: comma list of quiesce reap clone exec exit death syscall_entry
 * syscall_exit syscall all none. */

#include "runtime/linux/utrace.c"

#include <linux/debugfs.h>
#include <linux/uaccess.h>
#include <linux/delay.h>
#include <linux/timer.h>

#define UT_GROUPS	8
#define UT_NR_SYSCALLS	512
#define UT_LOG		1024
#define UT_PIDS		1024
#define UT_OUT		16384

enum { UT_QUIESCE0, UT_CLONE, UT_EXEC, UT_ENTRY, UT_EXIT_SYS, UT_EXIT, UT_DEATH, UT_REAP,
	UT_QUIESCE, UT_RELEASE, UT_NCOUNTS };
static const char *const ut_count_names[UT_NCOUNTS] = {
	"quiesce0", "clone", "exec", "entry", "exit_sys", "exit", "death", "reap", "quiesce",
	"release",
};

struct ut_group {
	atomic_t count[UT_NCOUNTS];
	atomic_t sys_entry[UT_NR_SYSCALLS];
	atomic_t sys_exit[UT_NR_SYSCALLS];
	unsigned long events;
	bool follow;
	bool log;
	/* ret: return ret_action on the ret_n-th callback for ret_event */
	unsigned long ret_event;
	int ret_n;
	u32 ret_action;
	/* attach_at */
	unsigned long at_event;
	int at_n;
	int at_group;
	unsigned long at_events;
	/* block */
	unsigned long block_event;
	int block_n;
	bool unblock;
	bool in_callback;
	/* what the last callbacks saw */
	unsigned long clone_flags;
	pid_t exec_tgid, exec_tid;
	long exit_code;
	int death_signal;
	int group_dead;
	int attach_at_err;
	/* where the group attached, for reset */
	spinlock_t lock;
	pid_t pids[UT_PIDS];
	int npids;
	bool stopchild;
	/* a handle kept past the task's end */
	struct utrace_engine *held;
	struct task_struct *held_task;
};

static struct ut_group ut_groups[UT_GROUPS];

/* Callbacks of groups with "log", in the order they ran. */
static DEFINE_SPINLOCK(ut_log_lock);
static int ut_log_len;
static struct { u8 group, what; pid_t tid; } ut_ring[UT_LOG];
static DEFINE_MUTEX(ut_mutex);
static char ut_out[UT_OUT];
static size_t ut_out_len;
static struct dentry *ut_dir;
static const struct utrace_engine_ops ut_ops;

static void ut_printf(const char *fmt, ...) __printf(1, 2);
static void ut_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ut_out_len += vscnprintf(ut_out + ut_out_len, UT_OUT - ut_out_len, fmt, ap);
	va_end(ap);
}

static void ut_note_pid(struct ut_group *g, pid_t pid)
{
	unsigned long flags;

	spin_lock_irqsave(&g->lock, flags);
	if (g->npids < UT_PIDS)
		g->pids[g->npids++] = pid;
	spin_unlock_irqrestore(&g->lock, flags);
}

static void ut_log(struct ut_group *g, int what)
{
	unsigned long flags;

	if (!g->log)
		return;
	spin_lock_irqsave(&ut_log_lock, flags);
	if (ut_log_len < UT_LOG) {
		ut_ring[ut_log_len].group = g - ut_groups;
		ut_ring[ut_log_len].what = what;
		ut_ring[ut_log_len].tid = task_pid_nr(current);
		ut_log_len++;
	}
	spin_unlock_irqrestore(&ut_log_lock, flags);
}

static struct utrace_engine *ut_attach(struct ut_group *g, struct task_struct *t,
				       int flags, unsigned long events);

/* Counting, logging and the scripted behaviours every callback shares. */
static u32 ut_event(struct utrace_engine *engine, unsigned long event, int counter)
{
	struct ut_group *g = engine->data;
	int n = atomic_inc_return(&g->count[counter]);
	unsigned long deadline;

	ut_log(g, counter);
	if (g->at_event == event && g->at_n == n) {
		struct ut_group *g2 = &ut_groups[g->at_group];
		struct utrace_engine *e2 = ut_attach(g2, current, UTRACE_ATTACH_CREATE,
						     g->at_events);

		g->attach_at_err = IS_ERR(e2) ? PTR_ERR(e2) : 0;
		if (!IS_ERR(e2))
			utrace_engine_put(e2);
	}
	if (g->block_event == event && g->block_n == n) {
		WRITE_ONCE(g->in_callback, true);
		deadline = jiffies + 20 * HZ;
		while (!READ_ONCE(g->unblock) && time_before(jiffies, deadline))
			cpu_relax();
		WRITE_ONCE(g->in_callback, false);
	}
	if (g->ret_event == event && (g->ret_n == 0 || g->ret_n == n))
		return g->ret_action;
	return UTRACE_RESUME;
}

static u32 ut_report_quiesce(u32 action, struct utrace_engine *engine, unsigned long event)
{
	return ut_event(engine, UTRACE_EVENT(QUIESCE), event ? UT_QUIESCE : UT_QUIESCE0);
}

static u32 ut_report_clone(u32 action, struct utrace_engine *engine, unsigned long clone_flags,
			   struct task_struct *child)
{
	struct ut_group *g = engine->data;

	g->clone_flags = clone_flags;
	if (g->follow) {
		struct utrace_engine *e = ut_attach(g, child, UTRACE_ATTACH_CREATE, g->events);

		if (!IS_ERR(e)) {
			/* The child has not run: it stops before its first
			 * instruction in user mode. */
			if (g->stopchild)
				utrace_control(child, e, UTRACE_STOP);
			utrace_engine_put(e);
		}
	}
	return ut_event(engine, UTRACE_EVENT(CLONE), UT_CLONE);
}

static u32 ut_report_exec(u32 action, struct utrace_engine *engine,
			  const struct linux_binfmt *fmt, const struct linux_binprm *bprm,
			  struct pt_regs *regs)
{
	struct ut_group *g = engine->data;

	g->exec_tgid = stp_task_tgid(current);
	g->exec_tid = stp_task_tid(current);
	return ut_event(engine, UTRACE_EVENT(EXEC), UT_EXEC);
}

static void ut_count_syscall(atomic_t *table, struct pt_regs *regs)
{
	long nr = stp_syscall_nr(current, regs);

	if (nr >= 0 && nr < UT_NR_SYSCALLS)
		atomic_inc(&table[nr]);
}

static u32 ut_report_syscall_entry(u32 action, struct utrace_engine *engine, struct pt_regs *regs)
{
	struct ut_group *g = engine->data;

	ut_count_syscall(g->sys_entry, regs);
	return ut_event(engine, UTRACE_EVENT(SYSCALL_ENTRY), UT_ENTRY);
}

static u32 ut_report_syscall_exit(u32 action, struct utrace_engine *engine, struct pt_regs *regs)
{
	struct ut_group *g = engine->data;

	ut_count_syscall(g->sys_exit, regs);
	return ut_event(engine, UTRACE_EVENT(SYSCALL_EXIT), UT_EXIT_SYS);
}

static u32 ut_report_exit(u32 action, struct utrace_engine *engine, long orig_code, long *code)
{
	struct ut_group *g = engine->data;

	g->exit_code = orig_code;
	return ut_event(engine, UTRACE_EVENT(EXIT), UT_EXIT);
}

static u32 ut_report_death(struct utrace_engine *engine, bool group_dead, int signal)
{
	struct ut_group *g = engine->data;

	g->death_signal = signal;
	if (group_dead)
		g->group_dead++;
	return ut_event(engine, UTRACE_EVENT(DEATH), UT_DEATH);
}

static void ut_report_reap(struct utrace_engine *engine, struct task_struct *task)
{
	ut_event(engine, UTRACE_EVENT(REAP), UT_REAP);
}

static void ut_release(void *data)
{
	struct ut_group *g = data;

	atomic_inc(&g->count[UT_RELEASE]);
}

static const struct utrace_engine_ops ut_ops = {
	.report_quiesce = ut_report_quiesce,
	.report_clone = ut_report_clone,
	.report_exec = ut_report_exec,
	.report_syscall_entry = ut_report_syscall_entry,
	.report_syscall_exit = ut_report_syscall_exit,
	.report_exit = ut_report_exit,
	.report_death = ut_report_death,
	.report_reap = ut_report_reap,
	.release = ut_release,
};

static struct utrace_engine *ut_attach(struct ut_group *g, struct task_struct *t,
				       int flags, unsigned long events)
{
	struct utrace_engine *e = utrace_attach_task(t, flags, &ut_ops, g);
	int err;

	if (IS_ERR(e) || !(flags & UTRACE_ATTACH_CREATE))
		return e;
	ut_note_pid(g, task_pid_nr(t));
	err = utrace_set_events(t, e, events);
	if (err) {
		utrace_control(t, e, UTRACE_DETACH);
		utrace_engine_put(e);
		return ERR_PTR(err);
	}
	return e;
}

/* ---- parsing ---- */

static const struct { const char *name; unsigned long bits; } ut_event_names[] = {
	{ "quiesce", UTRACE_EVENT(QUIESCE) },
	{ "reap", UTRACE_EVENT(REAP) },
	{ "clone", UTRACE_EVENT(CLONE) },
	{ "exec", UTRACE_EVENT(EXEC) },
	{ "exit", UTRACE_EVENT(EXIT) },
	{ "death", UTRACE_EVENT(DEATH) },
	{ "syscall_entry", UTRACE_EVENT(SYSCALL_ENTRY) },
	{ "syscall_exit", UTRACE_EVENT(SYSCALL_EXIT) },
	{ "syscall", UTRACE_EVENT_SYSCALL },
	{ "all", (1UL << _UTRACE_NEVENTS) - 1 },
	{ "none", 0 },
};

static int ut_parse_events(char *s, unsigned long *events)
{
	char *w;
	size_t i;

	*events = 0;
	while ((w = strsep(&s, ",")) != NULL) {
		for (i = 0; i < ARRAY_SIZE(ut_event_names); i++)
			if (!strcmp(w, ut_event_names[i].name))
				break;
		if (i == ARRAY_SIZE(ut_event_names))
			return -EINVAL;
		*events |= ut_event_names[i].bits;
	}
	return 0;
}

static int ut_parse_action(const char *s, u32 *action)
{
	static const char *const names[] = {
		[UTRACE_STOP] = "stop", [UTRACE_INTERRUPT] = "interrupt",
		[UTRACE_REPORT] = "report", [UTRACE_SINGLESTEP] = "singlestep",
		[UTRACE_BLOCKSTEP] = "blockstep", [UTRACE_RESUME] = "resume",
		[UTRACE_DETACH] = "detach",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(s, names[i])) {
			*action = i;
			return 0;
		}
	if (!strcmp(s, "abort")) {
		*action = UTRACE_RESUME | UTRACE_SYSCALL_ABORT;
		return 0;
	}
	return kstrtou32(s, 0, action);
}

static int ut_parse_group(const char *s, struct ut_group **g)
{
	unsigned int n;

	if (kstrtouint(s, 0, &n) || n >= UT_GROUPS)
		return -EINVAL;
	*g = &ut_groups[n];
	return 0;
}

static struct task_struct *ut_task_of(pid_t pid)
{
	struct task_struct *t;

	rcu_read_lock();
	t = pid_task(find_vpid(pid), PIDTYPE_PID);
	if (t)
		get_task_struct(t);
	rcu_read_unlock();
	return t;
}

/* A task reference for PID ("self" is the writer). */
static struct task_struct *ut_task(const char *s)
{
	pid_t pid;

	if (!strcmp(s, "self")) {
		get_task_struct(current);
		return current;
	}
	if (kstrtoint(s, 0, &pid))
		return NULL;
	return ut_task_of(pid);
}

/* The group's engine on the task, through a MATCH lookup. */
static struct utrace_engine *ut_engine(struct ut_group *g, struct task_struct *t)
{
	return utrace_attach_task(t, UTRACE_ATTACH_MATCH_OPS | UTRACE_ATTACH_MATCH_DATA,
				  &ut_ops, g);
}

static unsigned long ut_event_bit(const char *s)
{
	unsigned long bits;
	char buf[32];

	strscpy(buf, s, sizeof(buf));
	if (ut_parse_events(buf, &bits))
		return 0;
	return bits;
}

static void ut_reset_group(struct ut_group *g)
{
	int i;

	for (i = 0; i < g->npids; i++) {
		struct task_struct *t = ut_task_of(g->pids[i]);
		struct utrace_engine *e;

		if (!t)
			continue;
		e = ut_engine(g, t);
		if (!IS_ERR(e)) {
			utrace_control(t, e, UTRACE_DETACH);
			utrace_barrier(t, e);
			utrace_engine_put(e);
		}
		put_task_struct(t);
	}
	if (g->held) {
		utrace_engine_put(g->held);
		put_task_struct(g->held_task);
	}
	memset(g, 0, sizeof(*g));
	spin_lock_init(&g->lock);
}

/* detach_barrier: the unblocking timer. */
static struct ut_group *ut_timer_group;
static void ut_unblock_fn(struct timer_list *t)
{
	WRITE_ONCE(ut_timer_group->unblock, true);
}
static DEFINE_TIMER(ut_unblock_timer, ut_unblock_fn);

static int ut_command(char *line)
{
	char *argv[8];
	int argc = 0, err = 0;
	struct ut_group *g = NULL;
	struct task_struct *t = NULL;
	struct utrace_engine *e;
	unsigned long events;
	u32 action;
	char *w;
	int i, n;

	while ((w = strsep(&line, " \t\n")) != NULL)
		if (*w && argc < (int)ARRAY_SIZE(argv))
			argv[argc++] = w;
	if (!argc)
		return -EINVAL;
	if (argc > 1 && strcmp(argv[0], "stopped") && strcmp(argv[0], "flag") &&
	    ut_parse_group(argv[1], &g))
		return -EINVAL;

#define NEED(n) do { if (argc < (n)) return -EINVAL; } while (0)
#define TASK(i) do { t = ut_task(argv[i]); if (!t) { ut_printf("-3\n"); return 0; } } while (0)

	if (!strcmp(argv[0], "attach")) {
		int flags = UTRACE_ATTACH_CREATE;

		NEED(4);
		if (ut_parse_events(argv[3], &events))
			return -EINVAL;
		for (i = 4; i < argc; i++) {
			if (!strcmp(argv[i], "nocreate"))
				flags &= ~UTRACE_ATTACH_CREATE;
			else if (!strcmp(argv[i], "excl"))
				flags |= UTRACE_ATTACH_EXCLUSIVE;
			else if (!strcmp(argv[i], "matchops"))
				flags |= UTRACE_ATTACH_MATCH_OPS;
			else if (!strcmp(argv[i], "matchdata"))
				flags |= UTRACE_ATTACH_MATCH_DATA;
			else if (!strcmp(argv[i], "follow"))
				g->follow = true;
			else if (!strcmp(argv[i], "log"))
				g->log = true;
			else if (!strcmp(argv[i], "stopchild"))
				g->stopchild = g->follow = true;
			else
				return -EINVAL;
		}
		g->events = events;
		TASK(2);
		e = ut_attach(g, t, flags, events);
		ut_printf("%ld\n", IS_ERR(e) ? PTR_ERR(e) : 0L);
		if (!IS_ERR(e))
			utrace_engine_put(e);
	} else if (!strcmp(argv[0], "events") || !strcmp(argv[0], "control") ||
		   !strcmp(argv[0], "barrier") || !strcmp(argv[0], "hold")) {
		NEED(3);
		TASK(2);
		e = ut_engine(g, t);
		if (IS_ERR(e)) {
			ut_printf("%ld\n", PTR_ERR(e));
		} else {
			if (argv[0][0] == 'e') {
				err = argc < 4 || ut_parse_events(argv[3], &events);
				if (!err)
					ut_printf("%d\n", utrace_set_events(t, e, events));
			} else if (argv[0][0] == 'c') {
				err = argc < 4 || ut_parse_action(argv[3], &action);
				if (!err)
					ut_printf("%d\n", utrace_control(t, e, action));
			} else if (argv[0][0] == 'b') {
				ut_printf("%d\n", utrace_barrier(t, e));
			} else {
				if (g->held) {
					utrace_engine_put(g->held);
					put_task_struct(g->held_task);
				}
				utrace_engine_get(e);
				get_task_struct(t);
				g->held = e;
				g->held_task = t;
				ut_printf("0\n");
			}
			utrace_engine_put(e);
			err = err ? -EINVAL : 0;
		}
	} else if (!strcmp(argv[0], "hcontrol") || !strcmp(argv[0], "hevents") ||
		   !strcmp(argv[0], "hbarrier")) {
		if (!g->held)
			return -EINVAL;
		if (argv[0][1] == 'c') {
			NEED(3);
			if (ut_parse_action(argv[2], &action))
				return -EINVAL;
			ut_printf("%d\n", utrace_control(g->held_task, g->held, action));
		} else if (argv[0][1] == 'e') {
			NEED(3);
			if (ut_parse_events(argv[2], &events))
				return -EINVAL;
			ut_printf("%d\n", utrace_set_events(g->held_task, g->held, events));
		} else {
			ut_printf("%d\n", utrace_barrier(g->held_task, g->held));
		}
	} else if (!strcmp(argv[0], "drop")) {
		NEED(2);
		if (g->held) {
			utrace_engine_put(g->held);
			put_task_struct(g->held_task);
			g->held = NULL;
		}
		ut_printf("0\n");
	} else if (!strcmp(argv[0], "ret")) {
		NEED(4);
		g->ret_event = ut_event_bit(argv[2]);
		if (!g->ret_event || ut_parse_action(argv[3], &g->ret_action))
			return -EINVAL;
		g->ret_n = 0;
		if (argc > 4 && kstrtoint(argv[4], 0, &g->ret_n))
			return -EINVAL;
		ut_printf("0\n");
	} else if (!strcmp(argv[0], "attach_at")) {
		struct ut_group *g2;

		NEED(6);
		g->at_event = ut_event_bit(argv[2]);
		if (!g->at_event || kstrtoint(argv[3], 0, &g->at_n) ||
		    ut_parse_group(argv[4], &g2) || ut_parse_events(argv[5], &g->at_events))
			return -EINVAL;
		g->at_group = g2 - ut_groups;
		g2->events = g->at_events;
		g2->log = true;
		ut_printf("0\n");
	} else if (!strcmp(argv[0], "block")) {
		NEED(4);
		g->block_event = ut_event_bit(argv[2]);
		if (!g->block_event || kstrtoint(argv[3], 0, &g->block_n))
			return -EINVAL;
		ut_printf("0\n");
	} else if (!strcmp(argv[0], "unblock")) {
		WRITE_ONCE(g->unblock, true);
		ut_printf("0\n");
	} else if (!strcmp(argv[0], "detach_barrier")) {
		int d, b;

		NEED(4);
		if (kstrtoint(argv[3], 0, &n))
			return -EINVAL;
		TASK(2);
		e = ut_engine(g, t);
		if (IS_ERR(e)) {
			ut_printf("%ld\n", PTR_ERR(e));
		} else {
			d = utrace_control(t, e, UTRACE_DETACH);
			ut_timer_group = g;
			mod_timer(&ut_unblock_timer, jiffies + msecs_to_jiffies(n));
			b = utrace_barrier(t, e);
			ut_printf("detach=%d barrier=%d in_callback=%d\n", d, b,
				  READ_ONCE(g->in_callback));
			del_timer_sync(&ut_unblock_timer);
			utrace_engine_put(e);
		}
	} else if (!strcmp(argv[0], "counts")) {
		NEED(2);
		for (i = 0; i < UT_NCOUNTS; i++)
			ut_printf("%s%s=%d", i ? " " : "", ut_count_names[i],
				  atomic_read(&g->count[i]));
		ut_printf(" in_callback=%d\n", READ_ONCE(g->in_callback));
	} else if (!strcmp(argv[0], "info")) {
		NEED(2);
		ut_printf("clone_flags=%#lx exec_tgid=%d exec_tid=%d exit_code=%ld ",
			  g->clone_flags, g->exec_tgid, g->exec_tid, g->exit_code);
		ut_printf("death_signal=%d group_dead=%d attach_at=%d\n",
			  g->death_signal, g->group_dead, g->attach_at_err);
	} else if (!strcmp(argv[0], "sys")) {
		NEED(2);
		for (i = 0; i < UT_NR_SYSCALLS; i++)
			if (atomic_read(&g->sys_entry[i]) || atomic_read(&g->sys_exit[i]))
				ut_printf("%d %d %d\n", i, atomic_read(&g->sys_entry[i]),
					  atomic_read(&g->sys_exit[i]));
	} else if (!strcmp(argv[0], "log")) {
		spin_lock_irq(&ut_log_lock);
		for (i = 0; i < ut_log_len; i++)
			ut_printf("%d %s %d\n", ut_ring[i].group, ut_count_names[ut_ring[i].what],
				  ut_ring[i].tid);
		spin_unlock_irq(&ut_log_lock);
	} else if (!strcmp(argv[0], "stopped") || !strcmp(argv[0], "flag")) {
		struct utrace *u;

		NEED(2);
		TASK(1);
		if (argv[0][0] == 'f') {
			ut_printf("%d\n", stp_sys_tp_test(t) ? 1 : 0);
		} else {
			rcu_read_lock();
			u = utrace_lookup(t);
			ut_printf("%d\n", u ? READ_ONCE(u->stopped) : 0);
			rcu_read_unlock();
		}
	} else if (!strcmp(argv[0], "mode")) {
		static const char *const modes[] = { "filter", "shared", "all" };

		ut_printf("%s\n", modes[READ_ONCE(utrace_sys_mode)]);
	} else if (!strcmp(argv[0], "attach_pid_null")) {
		e = utrace_attach_pid(NULL, UTRACE_ATTACH_CREATE, &ut_ops, &ut_groups[0]);
		ut_printf("%ld\n", IS_ERR(e) ? PTR_ERR(e) : 0L);
		if (!IS_ERR(e))
			utrace_engine_put(e);
	} else if (!strcmp(argv[0], "reset")) {
		for (i = 0; i < UT_GROUPS; i++)
			ut_reset_group(&ut_groups[i]);
		spin_lock_irq(&ut_log_lock);
		ut_log_len = 0;
		spin_unlock_irq(&ut_log_lock);
		ut_printf("0\n");
	} else {
		err = -EINVAL;
	}
	if (t)
		put_task_struct(t);
	return err;
#undef NEED
#undef TASK
}

static ssize_t ut_write(struct file *f, const char __user *ubuf, size_t len, loff_t *ppos)
{
	char buf[256];
	int err;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = 0;
	mutex_lock(&ut_mutex);
	ut_out_len = 0;
	ut_out[0] = 0;
	err = ut_command(buf);
	mutex_unlock(&ut_mutex);
	return err ? err : len;
}

static ssize_t ut_read(struct file *f, char __user *ubuf, size_t len, loff_t *ppos)
{
	ssize_t ret;

	mutex_lock(&ut_mutex);
	ret = simple_read_from_buffer(ubuf, len, ppos, ut_out, ut_out_len);
	mutex_unlock(&ut_mutex);
	return ret;
}

static const struct file_operations ut_fops = {
	.owner = THIS_MODULE,
	.read = ut_read,
	.write = ut_write,
	.llseek = default_llseek,
};

static int __init ut_init(void)
{
	int err, i;

	for (i = 0; i < UT_GROUPS; i++)
		spin_lock_init(&ut_groups[i].lock);
	err = stp_utrace_init();
	if (err)
		return err;
	ut_dir = debugfs_create_dir("utrace_test", NULL);
	debugfs_create_file("ctl", 0600, ut_dir, NULL, &ut_fops);
	return 0;
}

static void __exit ut_exit(void)
{
	int i;

	debugfs_remove_recursive(ut_dir);
	del_timer_sync(&ut_unblock_timer);
	for (i = 0; i < UT_GROUPS; i++) {
		if (ut_groups[i].held) {
			utrace_engine_put(ut_groups[i].held);
			put_task_struct(ut_groups[i].held_task);
		}
	}
	stp_utrace_exit();
}

module_init(ut_init);
module_exit(ut_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ustap kernel tier: utrace layer test driver");
