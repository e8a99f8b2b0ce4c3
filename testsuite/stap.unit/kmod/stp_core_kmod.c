/* The runtime core inside a kernel module: compiled with kbuild and W=1
 * by kbuild.exp, which requires zero warnings.  Every API function is
 * called from a probe handler the way generated code calls it, so the
 * whole core is type-checked and code-generated under the kernel's
 * flags; loading the module runs the handler once and logs its output. */
#include <linux/module.h>
#include <linux/printk.h>

#define MAXMAPENTRIES 64
#include "runtime.h"

static int kmod_records, kmod_ctl;

int stp_transport_record(const char *data, size_t len)
{
	kmod_records++;
	pr_info("stp_core_kmod: %.*s", (int)len, data);
	return 0;
}

int stp_transport_ctl(unsigned int type, const char *text, size_t len)
{
	kmod_ctl++;
	pr_info("stp_core_kmod: ctl %u: %.*s\n", type, (int)len, text);
	return 0;
}

int stp_copy_from_user(void *dst, unsigned long src, size_t n)
{
	return copy_from_user_nofault(dst, (const void __user *)src, n) ? -EFAULT : 0;
}

struct kmod_locals {
	int64_t n;
	char s[MAXSTRINGLEN];
	struct stp_map_iter it;
};

#define STP_LOCALS_SIZE sizeof(struct kmod_locals)

static const struct stp_stat_spec kmod_hist_spec = {
	.hist_type = STP_HIST_LOG, .want_variance = 1,
};
static const struct stp_stat_spec kmod_lin_spec = {
	.hist_type = STP_HIST_LINEAR, .start = 0, .stop = 100, .interval = 10,
};
static const struct stp_map_spec kmod_a_spec = {
	.name = "a", .nkeys = 2, .key_types = { STP_TYPE_LONG, STP_TYPE_STRING },
	.val_type = STP_TYPE_LONG,
};
static const struct stp_map_spec kmod_b_spec = {
	.name = "b", .nkeys = 1, .key_types = { STP_TYPE_STRING },
	.val_type = STP_TYPE_STRING, .wrap = 1, .max_entries = 4,
};
static const struct stp_map_spec kmod_h_spec = {
	.name = "h", .nkeys = 1, .key_types = { STP_TYPE_LONG },
	.val_type = STP_TYPE_STAT, .stat = &kmod_lin_spec,
};

/* "str(ing)": SAVE 0, s t r, SAVE 2, i n g, SAVE 3, SAVE 1, MATCH */
static const struct stp_rx_insn kmod_rx_insns[] = {
	{ STP_RX_SAVE, 0, 0, 0 }, { STP_RX_CHAR, 's', 0, 0 }, { STP_RX_CHAR, 't', 0, 0 },
	{ STP_RX_CHAR, 'r', 0, 0 }, { STP_RX_SAVE, 0, 2, 0 }, { STP_RX_CHAR, 'i', 0, 0 },
	{ STP_RX_CHAR, 'n', 0, 0 }, { STP_RX_CHAR, 'g', 0, 0 }, { STP_RX_SAVE, 0, 3, 0 },
	{ STP_RX_SAVE, 0, 1, 0 }, { STP_RX_MATCH, 0, 0, 0 },
};
static const struct stp_regex kmod_rx = {
	.pattern = "str(ing)", .insns = kmod_rx_insns, .ninsns = 11, .ngroups = 2,
};

static struct stp_map kmod_a, kmod_b, kmod_h;
static struct stp_stat kmod_s;
static stp_rwlock_t kmod_lock;

static const struct stp_lock_req kmod_locks[] = {
	{ &kmod_lock, 1 },
};

static void kmod_handler(struct stp_context *c)
{
	struct kmod_locals *l = STP_LOCALS(c, struct kmod_locals);
	static const struct stp_loc loc = { "identifier 'x'", "kmod.stp", 1, 2 };
	union stp_key k[2] = { { .i = 1 }, { .s = "one" } };
	struct stp_map_node *n;
	int64_t v;
	int i;

	if (stp_actions(c, 1, &loc) || stp_call_enter(c, &loc))
		return;
	stp_call_exit(c);
	for (i = 0; i < 5; i++) {
		k[0].i = i;
		if (stp_map_add_int(c, &loc, &kmod_a, k, i * 10, &v))
			return;
		stp_stat_add(c, &kmod_s, i);
		if (stp_map_stat_add(c, &loc, &kmod_h, k, i * 7))
			return;
	}
	stp_map_set_str(c, &loc, &kmod_b, (union stp_key[]){ { .s = "k" } }, "v");
	stp_map_get_str(&kmod_b, (union stp_key[]){ { .s = "k" } }, l->s);
	if (stp_map_iter_start(c, &loc, &l->it, &kmod_a, 1, STP_SORT_DESC, 3))
		return;
	while ((n = stp_map_iter_next(&l->it)))
		stp_printf(c, &loc, "a[%d,%s]=%d\n",
			   (union stp_arg[]){ { .i = stp_map_node_key_int(&kmod_a, n, 1) },
					      { .s = stp_map_node_key_str(&kmod_a, n, 2) },
					      { .i = stp_map_node_int(&kmod_a, n) } }, 3);
	stp_map_iter_end(c, &l->it);
	stp_map_delete_match(&kmod_a, k, 1);
	l->n = stp_map_exists(&kmod_a, k) + stp_map_size(&kmod_a);
	if (stp_stat_print_hist(c, &loc, &kmod_hist_spec, stp_stat_get(&kmod_s)))
		return;
	stp_map_aggregate(c, &loc, &kmod_h);
	stp_printf(c, &loc, "var %d avg %d %#x %-5s| %c %5.2b %p %%\n",
		   (union stp_arg[]){
			   { .i = stp_stat_extract(c, &loc, stp_stat_get(&kmod_s), STP_AGG_VARIANCE) },
			   { .i = stp_stat_extract(c, &loc, stp_map_stat_get(c, &kmod_h, k),
						   STP_AGG_AVG) },
			   { .i = 255 }, { .s = l->s }, { .i = 'z' }, { .i = 0x4142 }, { .i = 0 } },
		   7);
	stp_sprintf(c, &loc, l->s, "%s.%s", (union stp_arg[]){ { .s = l->s }, { .s = l->s } }, 2);
	stp_str_concat(l->s, l->s, "x");
	stp_str_substr(l->s, l->s, 1, 2);
	stp_print_str(c, l->s);
	stp_print_int(c, stp_str_find("abc", "c") + stp_str_cmp("a", "b") + stp_str_len("x"));
	stp_print_char(c, '\n');
	if (stp_regex_match(c, &loc, &kmod_rx, "an example string") > 0) {
		stp_regex_matched(c, &loc, 1, l->s);
		stp_printf(c, &loc, "matched %s ngroups %d\n",
			   (union stp_arg[]){ { .s = l->s }, { .i = stp_regex_ngroups(c, &loc) } }, 2);
	}
	stp_str_from_int(l->s, stp_randint(c, &loc, 10) + stp_cpu(c) + stp_gettimeofday_s() +
				       stp_local_clock_us() + stp_div64(c, &loc, 7, 2) +
				       stp_mod64(c, &loc, 7, 2));
	stp_user_string(c, &loc, l->s, 0, 10);
}

static const struct stp_probe kmod_probe = {
	.pp = "kmod.test", .handler = kmod_handler, .state = STP_SESSION_RUNNING,
	.locks = kmod_locks, .nlocks = 1,
};

static int __init stp_core_kmod_init(void)
{
	int rc = stp_runtime_init();

	if (rc)
		return rc;
	stp_rwlock_init(&kmod_lock);
	rc = stp_map_init(&kmod_a, &kmod_a_spec) ?: stp_map_init(&kmod_b, &kmod_b_spec) ?:
	     stp_map_init(&kmod_h, &kmod_h_spec) ?: stp_stat_init(&kmod_s, &kmod_hist_spec);
	if (rc)
		goto out;
	stp_session_started();
	stp_probe_run(&kmod_probe, NULL, NULL);
	stp_session_stopping();
	stp_session_report();
	pr_info("stp_core_kmod: records %d ctl %d errors %d\n", kmod_records, kmod_ctl,
		stp_error_count());
out:
	stp_map_free(&kmod_a);
	stp_map_free(&kmod_b);
	stp_map_free(&kmod_h);
	stp_stat_free(&kmod_s);
	stp_runtime_exit();
	return rc;
}

static void __exit stp_core_kmod_exit(void)
{
}

module_init(stp_core_kmod_init);
module_exit(stp_core_kmod_exit);
MODULE_DESCRIPTION("ustap runtime core compile and smoke test");
MODULE_LICENSE("GPL");
