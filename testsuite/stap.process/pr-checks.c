/* pr-harness's probes: handlers that count every event and check its
 * context and order, and the probe table built from the options.  Part
 * of pr-harness.c's translation unit. */

static bool pr_have_begin_probes, pr_have_tbegin_probes;
static bool pr_unregister_armed, pr_print_returns;
static const int pr_getppid_only[] = { __NR_getppid };
static const int pr_getuid_getppid[] = { __NR_getuid, __NR_getppid };
static void h_marker(struct stp_context *c);

/* Whether name is one of the comma-separated words of list. */
static bool pr_in_list(const char *list, const char *name)
{
	size_t n = strlen(name);

	while (*list) {
		size_t w = strcspn(list, ",");

		if (w == n && !strncmp(list, name, n))
			return true;
		list += w;
		if (*list == ',')
			list++;
	}
	return false;
}

/* ---- per-process and per-thread state, for the order checks ---- */

enum { PR_NEW, PR_RUNNING, PR_ENDED };

#define PR_HASH 65536

static struct pr_ent {
	pid_t id;
	unsigned char state;
	long last_nr;		/* the syscall this thread last entered, -1 */
} pr_procs[PR_HASH], pr_threads[PR_HASH];

static struct pr_ent *pr_ent(struct pr_ent *tab, pid_t id)
{
	unsigned int h = (unsigned int)id % PR_HASH;

	while (tab[h].id && tab[h].id != id)
		h = (h + 1) % PR_HASH;
	if (!tab[h].id) {
		tab[h].id = id;
		tab[h].state = PR_NEW;
		tab[h].last_nr = -1;
	}
	return &tab[h];
}

static struct {
	long begin, end, tbegin, tend, entries, returns;
	long violations, mismatches, interleaved;
	long last_entry;	/* the last syscall any thread entered */
	long hits_at_stop, hits;
	long entry[1024], ret[1024], err[1024];
	bool target_begun;
} pr;

static char pr_first_violation[256];

static void pr_violation(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void pr_violation(const char *fmt, ...)
{
	va_list ap;

	if (!pr.violations++) {
		va_start(ap, fmt);
		vsnprintf(pr_first_violation, sizeof(pr_first_violation), fmt, ap);
		va_end(ap);
	}
}

/* Every handler runs in the context of the task its event is about. */
static void pr_check_context(struct stp_context *c, const char *what)
{
	pr.hits++;
	if (!c->task || c->task != stp_current_task())
		pr_violation("%s: not in the event's task's context", what);
}

static void h_begin(struct stp_context *c)
{
	pid_t tgid = stp_task_tgid(c->task);
	struct pr_ent *p = pr_ent(pr_procs, tgid);

	pr_check_context(c, "begin");
	pr.begin++;
	if (p->state == PR_RUNNING)
		pr_violation("begin of %d twice", (int)tgid);
	p->state = PR_RUNNING;
	if (tgid == pr_target)
		pr.target_begun = true;
}

static void h_end(struct stp_context *c)
{
	pid_t tgid = stp_task_tgid(c->task);
	struct pr_ent *p = pr_ent(pr_procs, tgid);

	pr_check_context(c, "end");
	pr.end++;
	if (p->state != PR_RUNNING)
		pr_violation("end of %d without a begin", (int)tgid);
	p->state = PR_ENDED;
}

static void h_tbegin(struct stp_context *c)
{
	pid_t tgid = stp_task_tgid(c->task), tid = stp_task_tid(c->task);
	struct pr_ent *t = pr_ent(pr_threads, tid);

	pr_check_context(c, "thread.begin");
	pr.tbegin++;
	if (tid == tgid)
		pr_violation("thread.begin of main thread %d", (int)tid);
	if (pr_ent(pr_procs, tgid)->state != PR_RUNNING)
		pr_violation("thread.begin of %d before its process's begin", (int)tid);
	if (t->state != PR_NEW)
		pr_violation("thread.begin of %d twice", (int)tid);
	t->state = PR_RUNNING;
}

static void h_tend(struct stp_context *c)
{
	pid_t tgid = stp_task_tgid(c->task), tid = stp_task_tid(c->task);
	struct pr_ent *t = pr_ent(pr_threads, tid);

	pr_check_context(c, "thread.end");
	pr.tend++;
	/* A thread that execs ends with the main thread's id. */
	if (tid == tgid)
		return;
	if (t->state != PR_RUNNING)
		pr_violation("thread.end of %d without a thread.begin", (int)tid);
	t->state = PR_ENDED;
}

/* A syscall comes only from a process (and a thread) that began; the
 * held -c command's execve is the one syscall before its begin. */
static void pr_check_running(struct stp_context *c, long nr, const char *what)
{
	pid_t tgid = stp_task_tgid(c->task), tid = stp_task_tid(c->task);

	if (!pr_have_begin_probes)
		return;
	if (pr_ent(pr_procs, tgid)->state != PR_RUNNING &&
	    !(tgid == pr_target && !pr.target_begun && nr == __NR_execve))
		pr_violation("%s %ld of %d outside begin..end", what, nr, (int)tgid);
	if (tid != tgid && pr_have_tbegin_probes && pr_ent(pr_threads, tid)->state != PR_RUNNING)
		pr_violation("%s %ld of thread %d outside thread.begin..end", what, nr, (int)tid);
}

static void h_syscall(struct stp_context *c)
{
	long nr = (long)stp_up_syscall_nr(c);
	struct pr_ent *t = pr_ent(pr_threads, stp_task_tid(c->task));

	pr_check_context(c, "syscall");
	pr_check_running(c, nr, "syscall");
	if (nr != stp_syscall_nr(c->task, c->regs))
		pr_violation("$syscall %ld, registers say %ld", nr, stp_syscall_nr(c->task, c->regs));
	pr.entries++;
	if (nr >= 0 && nr < 1024)
		pr.entry[nr]++;
	t->last_nr = nr;
	pr.last_entry = nr;
	if (pr_mode_kill_at > 0 && nr == __NR_getppid && pr.entry[nr] == pr_mode_kill_at &&
	    stp_task_tgid(c->task) == pr_target)
		kill(pr_target, SIGKILL);
	if (pr_unregister_armed && nr == __NR_read && stp_up_syscall_arg(c, 1) == 0) {
		pr_unregister_armed = false;
		stp_user_tracer_exit(0);
	}
}

static void h_sysret(struct stp_context *c)
{
	long nr = (long)stp_up_syscall_nr(c), ret = (long)stp_up_syscall_return(c);
	struct pr_ent *t = pr_ent(pr_threads, stp_task_tid(c->task));

	pr_check_context(c, "syscall.return");
	pr_check_running(c, nr, "syscall.return");
	/* Per thread: the number this thread entered with, whatever the
	 * other threads did in between (SystemTap 4.8 keeps one global). */
	if (t->last_nr >= 0 && t->last_nr != nr)
		pr.mismatches++;
	/* Where one number for all threads (SystemTap 4.8's) would be wrong. */
	if (t->last_nr >= 0 && pr.last_entry != t->last_nr)
		pr.interleaved++;
	t->last_nr = -1;
	pr.returns++;
	if (nr >= 0 && nr < 1024) {
		pr.ret[nr]++;
		if (ret < 0 && ret >= -4095)
			pr.err[nr]++;
	}
	if (pr_print_returns) {
		char name[MAXSTRINGLEN], s1[MAXSTRINGLEN], s2[MAXSTRINGLEN], s3[MAXSTRINGLEN];
		char e[MAXSTRINGLEN];

		/* What a script would print: syscall_name($syscall), $return,
		 * returnstr(1..3), errno_str($return). */
		tap_syscall_name_1(c, name, nr);
		tap_returnstr_1(c, s1, 1);
		tap_returnstr_1(c, s2, 2);
		tap_returnstr_1(c, s3, 3);
		tap_errno_str_1(c, e, ret);
		stp_printf(c, NULL, "sysret %s %d rs %s|%s|%s errno %s\n",
			   (union stp_arg[]){ { .s = name }, { .i = ret }, { .s = s1 }, { .s = s2 },
					      { .s = s3 }, { .s = e } }, 6);
	}
}

/* ---- the table ---- */

static const struct {
	const char *name;
	int event;
	void (*handler)(struct stp_context *c);
} pr_events[] = {
	{ "begin", STP_TF_BEGIN, h_begin },
	{ "end", STP_TF_END, h_end },
	{ "thread.begin", STP_TF_THREAD_BEGIN, h_tbegin },
	{ "thread.end", STP_TF_THREAD_END, h_tend },
	{ "syscall", STP_TF_SYSCALL, h_syscall },
	{ "syscall.return", STP_TF_SYSCALL_RETURN, h_sysret },
};

static struct stp_probe pr_probes[8];
static struct stp_utrace_probe pr_table[8];
static char pr_pp[8][256];

static int pr_build_table(const char *target, const char *events, const char *mode)
{
	struct stp_utrace_probe base = { .kind = STP_TF_ANY };
	char point[200];
	unsigned int i;
	int n = 0;

	if (!strcmp(target, "any")) {
		snprintf(point, sizeof(point), "process");
	} else if (!strcmp(target, "self")) {
		base.kind = STP_TF_PID;
		base.pid = pr_target;
		snprintf(point, sizeof(point), "process(%d)", (int)pr_target);
	} else if (!strncmp(target, "pid:", 4)) {
		base.kind = STP_TF_PID;
		base.pid = (pid_t)strtol(target + 4, NULL, 10);
		snprintf(point, sizeof(point), "process(%d)", (int)base.pid);
	} else if (!strncmp(target, "path:", 5)) {
		base.kind = STP_TF_PATH;
		base.path = target + 5;
		snprintf(point, sizeof(point), "process(\"%s\")", base.path);
	} else {
		fatal("bad --target=%s", target);
	}
	pr_print_returns = !strcmp(mode, "retvals");
	if (!strcmp(mode, "narrow")) {
		/* Syscall probes narrowed to a set: .syscall on getuid and
		 * getppid, .syscall.return on getppid; the platform is told
		 * their union. */
		snprintf(pr_pp[0], sizeof(pr_pp[0]), "%s.syscall", point);
		snprintf(pr_pp[1], sizeof(pr_pp[1]), "%s.syscall.return", point);
		for (n = 0; n < 2; n++) {
			pr_probes[n].pp = pr_pp[n];
			pr_probes[n].handler = n ? h_sysret : h_syscall;
			pr_probes[n].state = STP_SESSION_RUNNING;
			pr_table[n] = base;
			pr_table[n].probe = &pr_probes[n];
			pr_table[n].event = n ? STP_TF_SYSCALL_RETURN : STP_TF_SYSCALL;
			pr_table[n].syscalls = n ? pr_getppid_only : pr_getuid_getppid;
			pr_table[n].nsyscalls = n ? 1 : 2;
		}
		return n;
	}
	pr_unregister_armed = !strcmp(mode, "unregister");
	for (i = 0; i < STP_ARRAY_SIZE(pr_events); i++) {
		if (events && !pr_in_list(events, pr_events[i].name))
			continue;
		snprintf(pr_pp[n], sizeof(pr_pp[n]), "%s.%s", point, pr_events[i].name);
		pr_probes[n].pp = pr_pp[n];
		pr_probes[n].handler = pr_events[i].handler;
		pr_probes[n].state = STP_SESSION_RUNNING;
		pr_table[n] = base;
		pr_table[n].probe = &pr_probes[n];
		pr_table[n].event = (unsigned char)pr_events[i].event;
		pr_have_begin_probes |= pr_events[i].event == STP_TF_BEGIN;
		pr_have_tbegin_probes |= pr_events[i].event == STP_TF_THREAD_BEGIN;
		n++;
	}
	if (!strcmp(mode, "ctx")) {
		/* The markers: any process, so the checks see -c's tree. */
		pr_probes[n].pp = "process.syscall";
		pr_probes[n].handler = h_marker;
		pr_probes[n].state = STP_SESSION_RUNNING;
		pr_table[n] = (struct stp_utrace_probe){ .probe = &pr_probes[n],
							 .event = STP_TF_SYSCALL,
							 .kind = STP_TF_ANY,
							 .syscalls = pr_getppid_only,
							 .nsyscalls = 1 };
		n++;
	}
	return n;
}

/* ---- after the run ---- */

static bool pr_stopped;

static void pr_after_stop(void)
{
	if (!pr_stopped)
		pr.hits_at_stop = pr.hits;
	pr_stopped = true;
}

static void pr_report(const char *mode)
{
	struct stp_tf_stats st;
	int nr;

	printf("begin %ld\nend %ld\nthread.begin %ld\nthread.end %ld\n", pr.begin, pr.end,
	       pr.tbegin, pr.tend);
	if (!strcmp(mode, "count") || !strcmp(mode, "kill") || !strcmp(mode, "serve") ||
	    !strcmp(mode, "unregister") || !strcmp(mode, "narrow")) {
		for (nr = 0; nr < 1024; nr++)
			if (pr.entry[nr] || pr.ret[nr])
				printf("sys %d %ld %ld %ld\n", nr, pr.entry[nr], pr.ret[nr],
				       pr.err[nr]);
		printf("syscall mismatches %ld\n", pr.mismatches);
		printf("interleaved returns %ld\n", pr.interleaved);
	}
	printf("order violations %ld%s%s\n", pr.violations, pr.violations ? ": " : "",
	       pr_first_violation);
	printf("hits after stop %ld\n", pr.hits - pr.hits_at_stop);
	stp_tf_stats(&st);
	printf("records left %d %d, missed %d %d\n", st.threads, st.procs, st.missed_threads,
	       st.missed_procs);
}
