/* up-harness's probes: what a script's handlers would do, counting into
 * up (the tracer is one thread: no atomics), and the table built from
 * the debuginfo layer as pass 2 builds it.  Part of up-harness.c's
 * translation unit. */

static struct {
	long add, add_ret, fact, fact_ret, mul, mul_ret, mark, deep_ret, jumper_ret;
	long sum_a, sum_b, sum_ret, mul_sum_ret, mark_sum1, mark_sum2;
	long bad_pc, bad_ctx, errors;
	long by_pid_n;
	pid_t by_pid[8];
	long by_pid_hits[8];
	long by_tid_n;
} up;

static pid_t up_tids[64];

static void up_count_pid(struct stp_context *c)
{
	pid_t pid = stp_task_tgid(c->task), tid = stp_task_tid(c->task);
	long i;

	for (i = 0; i < up.by_pid_n && up.by_pid[i] != pid; i++)
		;
	if (i == up.by_pid_n && i < 8)
		up.by_pid[up.by_pid_n++] = pid;
	if (i < 8)
		up.by_pid_hits[i]++;
	for (i = 0; i < up.by_tid_n && up_tids[i] != tid; i++)
		;
	if (i == up.by_tid_n && i < 64)
		up_tids[up.by_tid_n++] = tid;
}

/* Every hit's registers are those at the probed address: the pc is it.
 * And the probed file's bias, found by path as @var's module_bias finds
 * another file's, is the one the hit gives. */
static void up_check(struct stp_context *c)
{
	const struct stp_uprobe *u = stp_uprobe_current(c);
	int ok = 0;

	if (!u || stp_uprobe_module_bias(u->path, &ok) != stp_uprobe_bias(c) || !ok)
		up.bad_ctx++;
	if (!c->regs || !c->task || c->task != stp_current_task())
		up.bad_ctx++;
	else if (c->regs->uregs.rip != stp_uprobe_addr(c) && !stp_uprobe_ret_addr(c))
		up.bad_pc++;
	else if (stp_uprobe_ret_addr(c) && c->regs->uregs.rip != stp_uprobe_ret_addr(c))
		up.bad_pc++;
}

static int64_t up_read(struct stp_context *c, int (*fn)(struct l2c_frame *, int64_t *))
{
	struct l2c_frame fr = { .regs = c->regs, .bias = stp_uprobe_bias(c) };
	int64_t v = 0;

	if (fn(&fr, &v) < 0) {
		up.errors++;
		stp_error(c, NULL, fr.err);
	}
	return v;
}

static void h_add(struct stp_context *c)
{
	up_check(c);
	up_count_pid(c);
	up.add++;
	up.sum_a += up_read(c, acc_add_a);
	up.sum_b += up_read(c, acc_add_b);
}

static void h_add_ret(struct stp_context *c)
{
	up_check(c);
	up.add_ret++;
	up.sum_ret += up_read(c, acc_add_ret);
}

static void h_fact(struct stp_context *c)
{
	up_check(c);
	up.fact++;
}

static void h_fact_ret(struct stp_context *c)
{
	up_check(c);
	up.fact_ret++;
}

static void h_mul(struct stp_context *c)
{
	up_check(c);
	up.mul++;
}

static void h_mul_ret(struct stp_context *c)
{
	up_check(c);
	up.mul_ret++;
	up.mul_sum_ret += (long)c->regs->uregs.rax;
}

static void h_mark(struct stp_context *c)
{
	up_check(c);
	up.mark++;
	up.mark_sum1 += up_read(c, acc_mark_1);
	up.mark_sum2 += up_read(c, acc_mark_2);
}

static void h_deep_ret(struct stp_context *c)
{
	up_check(c);
	up.deep_ret++;
}

static void h_jumper_ret(struct stp_context *c)
{
	up_check(c);
	up.jumper_ret++;
}

static void up_print_backtraces(struct stp_context *c);
static void h_bt(struct stp_context *c);
static void h_bt_ret(struct stp_context *c);

#define UP_PROBE(name, fn, pp) \
	static const struct stp_probe name = { pp, fn, STP_SESSION_RUNNING, 0, NULL, 0, NULL }
UP_PROBE(p_add, h_add, "process.function(\"up_add\")");
UP_PROBE(p_add_ret, h_add_ret, "process.function(\"up_add\").return");
UP_PROBE(p_fact, h_fact, "process.function(\"up_fact\")");
UP_PROBE(p_fact_ret, h_fact_ret, "process.function(\"up_fact\").return");
UP_PROBE(p_mul, h_mul, "process.library(\"up-lib.so\").function(\"up_lib_mul\")");
UP_PROBE(p_mul_ret, h_mul_ret, "process.library(\"up-lib.so\").function(\"up_lib_mul\").return");
UP_PROBE(p_mark, h_mark, "process.mark(\"tick\")");
UP_PROBE(p_deep_ret, h_deep_ret, "process.function(\"up_deep\").return");
UP_PROBE(p_jumper_ret, h_jumper_ret, "process.function(\"up_jumper\").return");
UP_PROBE(p_bt, h_bt, "process.function(\"up_bt_leaf\")");
UP_PROBE(p_bt_ret, h_bt_ret, "process.function(\"up_bt_c\").return");

static struct stp_uprobe up_table[16];
static char up_exe[PATH_MAX], up_lib[PATH_MAX];
static pid_t up_pid_filter;

static int up_add_fn(int n, const struct stp_probe *p, const char *path, const char *fn, bool ret)
{
	DiModule *m;
	DiFuncs fs;
	char *err = NULL;
	uint64_t addr;

	m = di_get(path, &err);
	if (!m)
		fatal("%s: %s", path, err ? err : "cannot open");
	if (di_functions(m, fn, &fs) < 0 || fs.n < 1)
		fatal("%s: no function %s", path, fn);
	/* .return goes on the entry, as pass 2 places it. */
	addr = ret ? fs.v[0].entry : fs.v[0].addr;
	up_table[n] = (struct stp_uprobe){ p, path, di_file_offset(m, addr), addr, 0, ret,
					   up_pid_filter };
	return n + 1;
}

static int up_build_table(const char *exe, const char *mode, const char *target, pid_t pid)
{
	char *slash;
	int n = 0;

	if (!realpath(exe, up_exe))
		fatal("%s: %s", exe, strerror(errno));
	snprintf(up_lib, sizeof(up_lib), "%s", up_exe);
	slash = strrchr(up_lib, '/');
	snprintf(slash + 1, sizeof(up_lib) - (size_t)(slash + 1 - up_lib), "up-lib.so");
	if (!strcmp(target, "pid"))
		up_pid_filter = pid;
	else if (!strcmp(target, "any"))
		stp_target_set(0, false);
	if (!strcmp(mode, "count") || !strcmp(mode, "serve")) {
		n = up_add_fn(n, &p_add, up_exe, "up_add", false);
		n = up_add_fn(n, &p_add_ret, up_exe, "up_add", true);
		n = up_add_fn(n, &p_fact, up_exe, "up_fact", false);
		n = up_add_fn(n, &p_fact_ret, up_exe, "up_fact", true);
	} else if (!strcmp(mode, "lib")) {
		n = up_add_fn(n, &p_mul, up_lib, "up_lib_mul", false);
		n = up_add_fn(n, &p_mul_ret, up_lib, "up_lib_mul", true);
	} else if (!strcmp(mode, "sdt")) {
		char *err = NULL;
		DiModule *m = di_get(up_exe, &err);
		DiMarks ms;

		if (!m || di_marks(m, "up_test", "tick", &ms) < 0 || ms.n != 1)
			fatal("no marker up_test:tick in %s", up_exe);
		up_table[n++] = (struct stp_uprobe){ &p_mark, up_exe, ms.v[0].file_offset,
						     ms.v[0].addr, ms.v[0].semaphore_offset, 0,
						     up_pid_filter };
	} else if (!strcmp(mode, "jump")) {
		n = up_add_fn(n, &p_deep_ret, up_exe, "up_deep", true);
		n = up_add_fn(n, &p_jumper_ret, up_exe, "up_jumper", true);
		n = up_add_fn(n, &p_add_ret, up_exe, "up_add", true);
	} else if (!strcmp(mode, "bt")) {
		n = up_add_fn(n, &p_bt, up_exe, "up_bt_leaf", false);
		n = up_add_fn(n, &p_bt_ret, up_exe, "up_bt_c", true);
	} else {
		fatal("unknown mode %s", mode);
	}
	return n;
}

static void up_report(const char *mode)
{
	struct stp_uprobe_stats st;
	long i;

	stp_uprobes_stats(&st);
	if (!strcmp(mode, "count") || !strcmp(mode, "serve")) {
		printf("up_add %ld returns %ld\n", up.add, up.add_ret);
		printf("sum_a %ld sum_b %ld sum_ret %ld\n", up.sum_a, up.sum_b, up.sum_ret);
		printf("up_fact %ld returns %ld\n", up.fact, up.fact_ret);
		printf("processes %ld threads %ld\n", up.by_pid_n, up.by_tid_n);
		for (i = 0; i < up.by_pid_n; i++)
			printf("pid-hits %ld\n", up.by_pid_hits[i]);
	} else if (!strcmp(mode, "lib")) {
		printf("up_lib_mul %ld returns %ld sum_ret %ld\n", up.mul, up.mul_ret, up.mul_sum_ret);
	} else if (!strcmp(mode, "sdt")) {
		printf("mark %ld arg1 %ld arg2 %ld\n", up.mark, up.mark_sum1, up.mark_sum2);
	} else if (!strcmp(mode, "jump")) {
		printf("up_deep.return %ld up_jumper.return %ld up_add.return %ld\n", up.deep_ret,
		       up.jumper_ret, up.add_ret);
		printf("dropped %ld\n", st.ret_dropped);
	}
	printf("bad pc %ld bad ctx %ld errors %ld\n", up.bad_pc, up.bad_ctx, up.errors);
	printf("inserted %ld removed %ld sem_incs %ld failures %ld missed %ld\n", st.inserted,
	       st.removed, st.sem_incs, st.failures, st.ret_missed);
}

/* The executable's text in the process against the file: every r-x
 * mapping of it, byte for byte. */
static void up_compare_text(pid_t pid, const char *exe)
{
	char mpath[64], line[4352], path[PATH_MAX], real[PATH_MAX];
	unsigned long start, end, off, diff = 0, bytes = 0;
	int n, memfd, fd;
	FILE *fp;

	if (!realpath(exe, real))
		fatal("%s: %s", exe, strerror(errno));
	snprintf(mpath, sizeof(mpath), "/proc/%d/maps", (int)pid);
	fp = fopen(mpath, "re");
	snprintf(mpath, sizeof(mpath), "/proc/%d/mem", (int)pid);
	memfd = open(mpath, O_RDONLY | O_CLOEXEC);
	fd = open(real, O_RDONLY | O_CLOEXEC);
	if (!fp || memfd < 0 || fd < 0)
		fatal("cannot read process %d or %s", (int)pid, real);
	while (fgets(line, sizeof(line), fp)) {
		char perms[8];

		n = 0;
		if (sscanf(line, "%lx-%lx %7s %lx %*x:%*x %*u %n", &start, &end, perms, &off, &n) < 4 ||
		    n <= 0 || perms[2] != 'x')
			continue;
		snprintf(path, sizeof(path), "%s", line + n);
		path[strcspn(path, "\n")] = '\0';
		if (strcmp(path, real))
			continue;
		for (; start < end; start += 4096, off += 4096) {
			unsigned char a[4096], b[4096];
			ssize_t ra = pread(memfd, a, sizeof(a), (off_t)start);
			ssize_t rb = pread(fd, b, sizeof(b), (off_t)off);
			ssize_t k;

			if (ra < 0)
				break;
			for (k = 0; k < ra; k++) {
				bytes++;
				if (k >= rb || a[k] != b[k])
					diff++;
			}
		}
	}
	fclose(fp);
	close(memfd);
	close(fd);
	printf("text bytes %s differ %lu\n", bytes ? "compared" : "none", diff);
}

static void h_bt(struct stp_context *c)
{
	up_check(c);
	up_print_backtraces(c);
}
