/* The runtime core inside a kernel module.
 *
 * kbuild.exp builds it with W=1 and requires zero warnings, then loads it
 * in a guest running Debian's 6.1 kernel: module init runs probe handlers
 * the way generated code does (on every CPU, in interrupt context too)
 * and logs one line per check,
 *     stp_core_kmod: PASS: name   /   stp_core_kmod: FAIL: name
 * then "stp_core_kmod: DONE: N". */
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/smp.h>
#include <linux/spinlock.h>

#define MAXMAPENTRIES 64
#define STP_REGEX_MAX_INSNS 16
#define STP_REGEX_MAX_GROUPS 2
#include "runtime.h"

/* ---- what the core sends ---- */

static DEFINE_SPINLOCK(kt_lock);
static char kt_out[3 * STP_BUFFER_SIZE];
static size_t kt_out_len;
static int kt_records;
static char kt_err[2 * MAXSTRINGLEN];
static int kt_errors, kt_warnings, kt_exits;

int stp_transport_record(const char *data, size_t len)
{
	unsigned long flags;

	spin_lock_irqsave(&kt_lock, flags);
	if (kt_out_len + len <= sizeof(kt_out)) {
		memcpy(kt_out + kt_out_len, data, len);
		kt_out_len += len;
	}
	kt_records++;
	spin_unlock_irqrestore(&kt_lock, flags);
	return 0;
}

int stp_transport_ctl(unsigned int type, const char *text, size_t len)
{
	unsigned long flags;

	spin_lock_irqsave(&kt_lock, flags);
	if (type == STP_MSG_ERROR && !kt_errors++)
		snprintf(kt_err, sizeof(kt_err), "%.*s", (int)len, text);
	kt_warnings += type == STP_MSG_WARNING;
	kt_exits += type == STP_MSG_REQUEST_EXIT;
	spin_unlock_irqrestore(&kt_lock, flags);
	return 0;
}

int stp_copy_from_user(void *dst, unsigned long src, size_t n)
{
	return copy_from_user_nofault(dst, (const void __user *)src, n) ? -EFAULT : 0;
}

static void kt_reset(void)
{
	kt_out_len = 0;
	kt_records = 0;
	kt_errors = 0;
	kt_warnings = 0;
	kt_exits = 0;
	kt_err[0] = '\0';
}

static int kt_count, kt_failed;

static void kt_check(bool ok, const char *name)
{
	kt_count++;
	if (!ok)
		kt_failed++;
	pr_info("stp_core_kmod: %s: %s\n", ok ? "PASS" : "FAIL", name);
}

static bool kt_out_is(const char *want)
{
	return kt_out_len == strlen(want) && !memcmp(kt_out, want, kt_out_len);
}

/* ---- globals, as generated code declares them ---- */

struct kt_locals {
	int64_t n;
	char s[MAXSTRINGLEN];
	struct stp_map_iter it;
};

#define STP_LOCALS_SIZE sizeof(struct kt_locals)

static const struct stp_stat_spec kt_var_spec = { .want_variance = 1 };
static const struct stp_stat_spec kt_log_spec = { .hist_type = STP_HIST_LOG };
static const struct stp_map_spec kt_a_spec = {
	.name = "a", .nkeys = 2, .key_types = { STP_TYPE_LONG, STP_TYPE_STRING },
	.val_type = STP_TYPE_LONG,
};
static const struct stp_map_spec kt_h_spec = {
	.name = "h", .nkeys = 1, .key_types = { STP_TYPE_LONG },
	.val_type = STP_TYPE_STAT, .stat = &kt_var_spec,
};

/* "str(ing)", as rx_emit_c writes it */
static const struct stp_rx_insn kt_rx_insns[] = {
	{ STP_RX_SAVE, 0, 0, 0 }, { STP_RX_CHAR, 's', 0, 0 }, { STP_RX_CHAR, 't', 0, 0 },
	{ STP_RX_CHAR, 'r', 0, 0 }, { STP_RX_SAVE, 0, 2, 0 }, { STP_RX_CHAR, 'i', 0, 0 },
	{ STP_RX_CHAR, 'n', 0, 0 }, { STP_RX_CHAR, 'g', 0, 0 }, { STP_RX_SAVE, 0, 3, 0 },
	{ STP_RX_SAVE, 0, 1, 0 }, { STP_RX_MATCH, 0, 0, 0 },
};
static const struct stp_regex kt_rx = {
	.pattern = "str(ing)", .insns = kt_rx_insns, .ninsns = 11, .ngroups = 2,
};

static struct stp_map kt_a, kt_h;
static struct stp_stat kt_var, kt_log;
static stp_rwlock_t kt_a_lock, kt_h_lock;
static const struct stp_lock_req kt_locks_a[] = { { &kt_a_lock, 1 } };
static const struct stp_lock_req kt_locks_h[] = { { &kt_h_lock, 0 } };

static const struct stp_loc kt_loc = { "identifier 'x'", "kmod.stp", 1, 2 };

/* ---- handlers ---- */

static int64_t kt_n;
static char kt_s[MAXSTRINGLEN];

static void kt_printf_body(struct stp_context *c)
{
	stp_printf(c, &kt_loc, "%d|%5s|%-4x|%#o|%c|%p|%u|%%\n",
		   (union stp_arg[]){ { .i = S64_MIN }, { .s = "ab" }, { .i = 255 }, { .i = 8 },
				      { .i = 'z' }, { .i = 0x1234abcd }, { .i = -1 } }, 7);
	stp_sprintf(c, &kt_loc, kt_s, "%s.%s", (union stp_arg[]){ { .s = "a" }, { .s = "b" } }, 2);
}

static void kt_map_body(struct stp_context *c)
{
	struct kt_locals *l = STP_LOCALS(c, struct kt_locals);
	struct stp_map_node *n;
	int i;

	for (i = 0; i < 10; i++)
		if (stp_map_set_int(c, &kt_loc, &kt_a,
				    (union stp_key[]){ { .i = i }, { .s = i & 1 ? "odd" : "even" } },
				    (i * 7) % 10))
			return;
	if (stp_map_iter_start(c, &kt_loc, &l->it, &kt_a, STP_SORT_VALUE, STP_SORT_DESC, 3))
		return;
	while ((n = stp_map_iter_next(&l->it)))
		stp_printf(c, &kt_loc, "%d:%s=%d ",
			   (union stp_arg[]){ { .i = stp_map_node_key_int(&kt_a, n, 1) },
					      { .s = stp_map_node_key_str(&kt_a, n, 2) },
					      { .i = stp_map_node_int(&kt_a, n) } }, 3);
	stp_map_iter_end(c, &l->it);
}

static void kt_stat_body(struct stp_context *c)
{
	int i;

	for (i = 1; i <= 5; i++) {
		stp_stat_add(c, &kt_var, i);
		stp_map_stat_add(c, &kt_loc, &kt_h, (union stp_key[]){ { .i = 1 } }, i);
	}
}

static int64_t kt_h_count, kt_h_sum, kt_h_var;

static void kt_hread_body(struct stp_context *c)
{
	const struct stp_stat_data *d = stp_map_stat_get(c, &kt_h, (union stp_key[]){ { .i = 1 } });

	kt_h_count = stp_stat_extract(c, &kt_loc, d, STP_AGG_COUNT);
	kt_h_sum = stp_stat_extract(c, &kt_loc, d, STP_AGG_SUM);
	kt_h_var = stp_stat_extract(c, &kt_loc, d, STP_AGG_VARIANCE);
}

static void kt_hist_body(struct stp_context *c)
{
	static const int64_t v[] = { 1, 2, 2, 3, 8, 8, 8, 8, 100 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(v); i++)
		stp_stat_add(c, &kt_log, v[i]);
	stp_stat_print_hist(c, &kt_loc, &kt_log_spec, stp_stat_get(&kt_log));
}

static void kt_read_body(struct stp_context *c)
{
	kt_n = stp_stat_extract(c, &kt_loc, stp_stat_get(&kt_var), STP_AGG_VARIANCE);
}

static void kt_regex_body(struct stp_context *c)
{
	if (stp_regex_match(c, &kt_loc, &kt_rx, "an example string") == 1)
		stp_regex_matched(c, &kt_loc, 1, kt_s);
	kt_n = stp_regex_ngroups(c, &kt_loc);
}

static void kt_div_body(struct stp_context *c)
{
	stp_print_str(c, "out ");
	stp_div64(c, &kt_loc, 1, 0);
}

static void kt_action_body(struct stp_context *c)
{
	for (kt_n = 0; kt_n < 100000; kt_n++)
		if (stp_actions(c, 1, &kt_loc))
			return;
}

static const struct stp_probe kt_inner = { .pp = "inner", .handler = kt_read_body,
					   .state = STP_SESSION_RUNNING };

static void kt_reenter_body(struct stp_context *c)
{
	stp_probe_run(&kt_inner, NULL, NULL);
}

static void kt_user_body(struct stp_context *c)
{
	stp_user_string(c, &kt_loc, kt_s, 1, 0);
}

static void kt_big_body(struct stp_context *c)
{
	int i;

	for (i = 0; i < 3 * STP_BUFFER_SIZE / 2; i++)
		stp_print_char(c, (char)('a' + i % 26));
}

static void kt_misc_body(struct stp_context *c)
{
	int64_t a = stp_local_clock_ns(), b = stp_local_clock_ns(), r = stp_randint(c, NULL, 6);

	kt_n = stp_gettimeofday_s() > 1600000000 && b >= a && r >= 0 && r < 6 &&
	       stp_cpu(c) == smp_processor_id() && c->probe_point &&
	       !strcmp(c->probe_point, "kmod.test");
}

static void (*kt_body)(struct stp_context *c);

static void kt_handler(struct stp_context *c)
{
	kt_body(c);
}

static const struct stp_probe kt_probe = {
	.pp = "kmod.test", .handler = kt_handler, .state = STP_SESSION_RUNNING,
};
static const struct stp_probe kt_probe_a = {
	.pp = "kmod.test", .handler = kt_handler, .state = STP_SESSION_RUNNING,
	.locks = kt_locks_a, .nlocks = 1,
};
static const struct stp_probe kt_probe_h = {
	.pp = "kmod.test", .handler = kt_handler, .state = STP_SESSION_RUNNING,
	.locks = kt_locks_h, .nlocks = 1,
};

static void kt_run(const struct stp_probe *p, void (*body)(struct stp_context *c))
{
	kt_reset();
	kt_body = body;
	stp_probe_run(p, NULL, NULL);
}

/* Runs on every CPU, with interrupts off: statistics per CPU. */
static void kt_on_cpu(void *unused)
{
	stp_probe_run(&kt_probe_h, NULL, NULL);
}

/* A fresh session, for checks that end it. */
static int kt_fresh(void)
{
	stp_runtime_exit();
	kt_reset();
	if (stp_runtime_init())
		return -ENOMEM;
	stp_session_started();
	return 0;
}

static void kt_tests(void)
{
	int64_t cpus = num_online_cpus();

	kt_run(&kt_probe, kt_printf_body);
	kt_check(kt_records == 1 &&
		 kt_out_is("-9223372036854775808|   ab|ff  |010|z|0x1234abcd|18446744073709551615|%\n"),
		 "printf conversions, one record");
	kt_check(!strcmp(kt_s, "a.b"), "sprintf");

	kt_run(&kt_probe_a, kt_map_body);
	kt_check(kt_out_is("7:odd=9 4:even=8 1:odd=7 "), "map foreach by value desc limit 3");

	/* Every CPU adds 1..5: each part has Welford mean 1 and variance 7
	 * (SystemTap's integer steps), the whole mean 3, so the total
	 * variance is (5n (1 - 3)^2 + 4n 7) / (5n - 1) = 48n / (5n - 1),
	 * 12 on one CPU as SystemTap's manual says. */
	kt_body = kt_stat_body;
	on_each_cpu(kt_on_cpu, NULL, 1);
	kt_run(&kt_probe, kt_hread_body);
	kt_check(kt_h_count == 5 * cpus && kt_h_sum == 15 * cpus, "statistics from every CPU merged");
	kt_check(kt_h_var == 48 * cpus / (5 * cpus - 1), "array variance merged over CPUs");
	kt_run(&kt_probe, kt_read_body);
	kt_check(kt_n == 48 * cpus / (5 * cpus - 1), "scalar variance merged over CPUs");

	kt_run(&kt_probe, kt_hist_body);
	kt_check(kt_out_is("value |-------------------------------------------------- count\n"
			   "    0 |                                                   0\n"
			   "    1 |@                                                  1\n"
			   "    2 |@@@                                                3\n"
			   "    4 |                                                   0\n"
			   "    8 |@@@@                                               4\n"
			   "   16 |                                                   0\n"
			   "   32 |                                                   0\n"
			   "   64 |@                                                  1\n"
			   "  128 |                                                   0\n"
			   "  256 |                                                   0\n"
			   "\n"), "@hist_log layout");

	kt_run(&kt_probe, kt_regex_body);
	kt_check(!strcmp(kt_s, "ing") && kt_n == 2, "regex matched(1), ngroups()");

	kt_run(&kt_probe, kt_misc_body);
	kt_check(kt_n == 1, "time, local_clock, randint, cpu(), pp()");

	kt_run(&kt_probe, kt_big_body);
	kt_check(kt_records == 2 && kt_out_len == 3 * STP_BUFFER_SIZE / 2 &&
		 kt_out[STP_BUFFER_SIZE] == (char)('a' + STP_BUFFER_SIZE % 26),
		 "output past the buffer: two records, nothing lost");

	kt_run(&kt_probe, kt_reenter_body);
	kt_check(stp_skipped_count_reason(STP_SKIP_REENTRANT) == 1, "reentrant probe skipped");

	write_lock(&kt_a_lock);
	kt_run(&kt_probe_a, kt_printf_body);
	write_unlock(&kt_a_lock);
	kt_check(kt_records == 0 && stp_skipped_count_reason(STP_SKIP_LOCK) == 1,
		 "lock timeout skips the probe");

	kt_run(&kt_probe, kt_div_body);
	kt_check(kt_out_is("out ") &&
		 !strcmp(kt_err, "division by 0 near identifier 'x' at kmod.stp:1:2"),
		 "error message after the output");
	kt_check(stp_session_state() == STP_SESSION_ERROR && kt_exits == 1,
		 "MAXERRORS 0: the session ends");

	if (kt_fresh())
		return;
	kt_run(&kt_probe, kt_action_body);
	kt_check(kt_n == MAXACTION - 1 &&
		 !strcmp(kt_err, "MAXACTION exceeded near identifier 'x' at kmod.stp:1:2"),
		 "MAXACTION");

	if (kt_fresh())
		return;
	kt_run(&kt_probe, kt_user_body);
	kt_check(!strcmp(kt_err, "user string copy fault -14 at 0x1 [man error::fault]"
			 " near identifier 'x' at kmod.stp:1:2"), "user string fault");
	stp_session_stopping();
	stp_session_report();
	kt_check(kt_warnings == 1, "final warning");
}

static int __init stp_core_kmod_init(void)
{
	int rc = stp_runtime_init();

	if (rc)
		return rc;
	stp_rwlock_init(&kt_a_lock);
	stp_rwlock_init(&kt_h_lock);
	rc = stp_map_init(&kt_a, &kt_a_spec);
	if (!rc)
		rc = stp_map_init(&kt_h, &kt_h_spec);
	if (!rc)
		rc = stp_stat_init(&kt_var, &kt_var_spec);
	if (!rc)
		rc = stp_stat_init(&kt_log, &kt_log_spec);
	if (!rc) {
		stp_session_started();
		kt_tests();
	}
	stp_runtime_exit();
	stp_map_free(&kt_a);
	stp_map_free(&kt_h);
	stp_stat_free(&kt_var);
	stp_stat_free(&kt_log);
	pr_info("stp_core_kmod: DONE: %d\n", kt_count);
	return rc;
}

static void __exit stp_core_kmod_exit(void)
{
}

module_init(stp_core_kmod_init);
module_exit(stp_core_kmod_exit);
MODULE_DESCRIPTION("ustap runtime core tests in the kernel");
MODULE_LICENSE("GPL");
