/* pr-harness's marker probe (ctx mode): the tapset's process-context
 * functions, compiled from the tapset's .stp files by tapset-c.awk, called at
 * pr-target's markers as a script's handler would call them.  And the
 * unregister and serve modes' drivers.  Part of pr-harness.c's
 * translation unit. */

/* Where the script called the functions that report errors. */
static const struct stp_loc pr_loc_us = { "identifier 'user_string'", "ctx.stp", 7, 11 };
static const struct stp_loc pr_loc_usn = { "identifier 'user_string_n'", "ctx.stp", 8, 11 };
static const struct stp_loc pr_loc_err = { "identifier 'user_long_error'", "ctx.stp", 9, 5 };

static void pr_print(struct stp_context *c, const char *fmt, union stp_arg *args, int n)
{
	stp_printf(c, NULL, fmt, args, n);
}

static void pr_ids(struct stp_context *c)
{
	char a[MAXSTRINGLEN], b[MAXSTRINGLEN], d[MAXSTRINGLEN], e[MAXSTRINGLEN];

	pr_print(c, "got pid %d tid %d ppid %d pgrp %d sid %d\n",
		 (union stp_arg[]){ { .i = tap_pid_0(c) }, { .i = tap_tid_0(c) },
				    { .i = tap_ppid_0(c) }, { .i = tap_pgrp_0(c) },
				    { .i = tap_sid_0(c) } }, 5);
	pr_print(c, "got uid %d euid %d gid %d egid %d\n",
		 (union stp_arg[]){ { .i = tap_uid_0(c) }, { .i = tap_euid_0(c) },
				    { .i = tap_gid_0(c) }, { .i = tap_egid_0(c) } }, 4);
	tap_pexecname_0(c, a);
	tap_execname_0(c, b);
	tap_pp_0(c, d);
	tap_ppfunc_0(c, e);
	pr_print(c, "got pexecname %s\ngot execname %s\ngot pp %s\ngot ppfunc [%s]\n",
		 (union stp_arg[]){ { .s = a }, { .s = b }, { .s = d }, { .s = e } }, 4);
	pr_print(c, "got target %s\ngot cpu %s\n",
		 (union stp_arg[]){ { .s = tap_target_0(c) == stp_task_tgid(c->task) ? "pid" : "?" },
				    { .s = tap_cpu_0(c) >= 0 && tap_cpu_0(c) < 2 ? "ok" : "bad" } },
		 2);
	tap_syscall_name_1(c, a, stp_up_syscall_nr(c));
	pr_print(c, "got syscall %s %d\n",
		 (union stp_arg[]){ { .s = a }, { .i = tap_syscall_num_1(c, a) } }, 2);
	tap_system_1(c, "echo from system");
	stp_up_syscall_parms(c, a);
	pr_print(c, "got parms %s\n", (union stp_arg[]){ { .s = a } }, 1);
}

static void pr_string(struct stp_context *c, unsigned long addr, int64_t n, int which)
{
	char s[MAXSTRINGLEN];

	if (which == PR_M_STRING_N) {
		tap_user_string_n_3(c, s, (int64_t)addr, n, "<fallback>");
		pr_print(c, "string_n3 [%s]\n", (union stp_arg[]){ { .s = s } }, 1);
		tap_loc = &pr_loc_usn;
		tap_user_string_n_2(c, s, (int64_t)addr, n);
	} else {
		tap_user_string_2(c, s, (int64_t)addr, "<fallback>");
		pr_print(c, "string2 [%s]\n", (union stp_arg[]){ { .s = s } }, 1);
		tap_loc = &pr_loc_us;
		tap_user_string_1(c, s, (int64_t)addr);
	}
	if (stp_failed(c))
		return;
	pr_print(c, "string [%s] %d\n", (union stp_arg[]){ { .s = s }, { .i = (int64_t)strlen(s) } },
		 2);
}

/* The _error forms report errors; each is caught here (as try/catch
 * would) but the last, which ends the handler with its location. */
static void pr_ints(struct stp_context *c, unsigned long addr)
{
	int64_t (*const forms[])(struct stp_context *, int64_t) = {
		tap_user_int_error_1, tap_user_short_error_1, tap_user_char_error_1,
	};
	static const char *const names[] = { "int_error", "short_error", "char_error" };
	int64_t a = (int64_t)addr, v;
	char msg[MAXSTRINGLEN];
	unsigned int i;

	pr_print(c, "got long %d int %d short %d char %d\n",
		 (union stp_arg[]){ { .i = tap_user_long_1(c, a) }, { .i = tap_user_int_1(c, a) },
				    { .i = tap_user_short_1(c, a) }, { .i = tap_user_char_1(c, a) } },
		 4);
	for (i = 0; i < STP_ARRAY_SIZE(forms); i++) {
		v = forms[i](c, a);
		if (stp_failed(c)) {
			stp_error_catch(c, msg);
			pr_print(c, "%s caught %s\n", (union stp_arg[]){ { .s = names[i] }, { .s = msg } },
				 2);
		} else {
			pr_print(c, "%s %d\n", (union stp_arg[]){ { .s = names[i] }, { .i = v } }, 2);
		}
	}
	tap_loc = &pr_loc_err;
	v = tap_user_long_error_1(c, a);
	if (!stp_failed(c))
		pr_print(c, "long_error %d\n", (union stp_arg[]){ { .i = v } }, 1);
}

static void pr_cmdline(struct stp_context *c)
{
	char s[MAXSTRINGLEN];
	int64_t i;

	tap_cmdline_str_0(c, s);
	pr_print(c, "got cmdline_str [%s]\n", (union stp_arg[]){ { .s = s } }, 1);
	for (i = 0; i < 7; i++) {
		tap_cmdline_arg_1(c, s, i);
		pr_print(c, "got arg %d [%s]\n", (union stp_arg[]){ { .i = i }, { .s = s } }, 2);
	}
	tap_cmdline_args_3(c, s, 1, -1, ",");
	pr_print(c, "got args 1 -1 [%s]\n", (union stp_arg[]){ { .s = s } }, 1);
	tap_cmdline_args_3(c, s, 2, 3, " | ");
	pr_print(c, "got args 2 3 [%s]\n", (union stp_arg[]){ { .s = s } }, 1);
	tap_cmdline_args_3(c, s, 3, 1, "+");
	pr_print(c, "got args 3 1 [%s]\n", (union stp_arg[]){ { .s = s } }, 1);
	tap_cmdline_args_3(c, s, 9, -1, "+");
	pr_print(c, "got args 9 -1 [%s]\n", (union stp_arg[]){ { .s = s } }, 1);
}

static void h_marker(struct stp_context *c)
{
	char s[MAXSTRINGLEN];

	if (stp_up_syscall_arg(c, 1) != PR_MAGIC)
		return;
	tap_loc = NULL;
	switch (stp_up_syscall_arg(c, 2)) {
	case PR_M_IDS:
		pr_ids(c);
		break;
	case PR_M_STRING:
	case PR_M_STRING_N:
		pr_string(c, (unsigned long)stp_up_syscall_arg(c, 3), stp_up_syscall_arg(c, 4),
			  (int)stp_up_syscall_arg(c, 2));
		break;
	case PR_M_QUOTED:
		tap_user_string_quoted_1(c, s, stp_up_syscall_arg(c, 3));
		pr_print(c, "quoted %s %d\n", (union stp_arg[]){ { .s = s },
								 { .i = (int64_t)strlen(s) } }, 2);
		break;
	case PR_M_INTS:
		pr_ints(c, (unsigned long)stp_up_syscall_arg(c, 3));
		break;
	case PR_M_CMDLINE:
		pr_cmdline(c);
		break;
	}
}

/* ---- unregister: stop while the target sleeps in read() ---- */

static int pr_feed = -1;	/* the target's stdin */

/* Before the spawn: the target reads its stdin from a pipe we hold. */
static void pr_prepare(const char *mode)
{
	int p[2];

	if (strcmp(mode, "unregister"))
		return;
	if (pipe2(p, O_CLOEXEC) < 0 || dup2(p[0], 0) < 0)
		fatal("pipe: %s", strerror(errno));
	close(p[0]);
	pr_feed = p[1];
}

static char pr_proc_state(pid_t pid)
{
	char path[64], buf[512], *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return '?';
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : '?';
}

static void pr_unregister(pid_t pid)
{
	int i, rc;

	rc = stp_user_tracer_run();	/* until the read's entry */
	if (rc < 0)
		fatal("loop: %s", strerror(-rc));
	/* Waiting for a state, not for a time: the read's sleep. */
	for (i = 0; i < 60000 && pr_proc_state(pid) != 'S'; i++)
		usleep(1000);
	printf("sleeping in read: %s\n", pr_proc_state(pid) == 'S' ? "yes" : "no");
	stp_utrace_probes_stop();
	pr_after_stop();
	if (write(pr_feed, "hello\n", 6) != 6)
		fatal("write: %s", strerror(errno));
	close(pr_feed);
	rc = stp_user_tracer_run();	/* until it exits */
	if (rc < 0)
		fatal("loop: %s", strerror(-rc));
}

/* ---- serve (-x): lines in, pongs out ---- */

static long pr_lines, pr_sent, pr_pongs;
static char pr_outbuf[4096];
static size_t pr_outlen;

static void pr_send_line(void)
{
	if (pr_sent < pr_lines) {
		if (write(pr_to_target, "ping\n", 5) != 5)
			fatal("write: %s", strerror(errno));
		pr_sent++;
	} else if (pr_to_target >= 0) {
		close(pr_to_target);
		pr_to_target = -1;
	}
}

static void pr_on_target_out(int fd, short revents, void *data)
{
	ssize_t n;
	char *nl;

	(void)revents;
	(void)data;
	n = read(fd, pr_outbuf + pr_outlen, sizeof(pr_outbuf) - 1 - pr_outlen);
	if (n <= 0) {
		stp_user_unwatch_fd(fd);
		return;
	}
	pr_outlen += (size_t)n;
	pr_outbuf[pr_outlen] = '\0';
	while ((nl = strchr(pr_outbuf, '\n'))) {
		*nl = '\0';
		if (!strncmp(pr_outbuf, "pong ", 5)) {
			pr_pongs++;
			pr_send_line();
		}
		pr_outlen -= (size_t)(nl + 1 - pr_outbuf);
		memmove(pr_outbuf, nl + 1, pr_outlen + 1);
	}
}

static void pr_serve(FILE *out, long lines)
{
	int fd = fileno(out), rc;

	pr_lines = lines;
	if (stp_user_watch_fd(fd, POLLIN, pr_on_target_out, NULL) < 0)
		fatal("watch_fd failed");
	pr_send_line();
	rc = stp_user_tracer_run();
	if (rc < 0)
		fatal("loop: %s", strerror(-rc));
	printf("pongs %ld\n", pr_pongs);
}
