/* Contexts, the probe entry sequence, errors and the session: error text
 * with locations, MAXERRORS (the default 0: the first error ends the
 * run), MAXACTION, MAXNESTING, try/catch, reentrancy and lock timeouts as
 * skipped probes, MAXSKIPPED, exit(), output records, user memory, time
 * and randint.  Each scenario starts a fresh runtime. */
#include "unit.h"
#include <pthread.h>
#include <semaphore.h>
#include <sys/mman.h>
#include <time.h>

static void fresh(void)
{
	stp_runtime_exit();
	ut_reset_events();
	ut_init_runtime(64);
}

static const char *err0(void)
{
	const char *e = ut_ctl(STP_MSG_ERROR, 0);

	return e ? e : "(none)";
}

/* ---- errors end the session (MAXERRORS 0) ---- */

static int order_ok;

static void div_body(struct stp_context *c)
{
	stp_print_str(c, "before the error\n");
	stp_div64(c, &(struct stp_loc){ "operator '/'", "<input>", 1, 52 }, 1, 0);
}

static int ran[4];

static void count0(struct stp_context *c)
{
	ran[0]++;
}

static void count1(struct stp_context *c)
{
	ran[1]++;
}

static void count2(struct stp_context *c)
{
	ran[2]++;
}

static const struct stp_probe p_event = { "ev", count0, STP_SESSION_RUNNING, 0, NULL, 0 };
static const struct stp_probe p_end = { "end", count1, STP_SESSION_STOPPING,
					STP_PROBE_INTERRUPTIBLE, NULL, 0 };
static const struct stp_probe p_error = { "error", count2, STP_SESSION_ERROR,
					  STP_PROBE_INTERRUPTIBLE, NULL, 0 };

static void test_error_ends_session(void)
{
	fresh();
	ut_body = div_body;
	stp_probe_run(&ut_probe, NULL, NULL);
	ut_check_str("error message with location", err0(),
		     "division by 0 near operator '/' at <input>:1:52");
	order_ok = ut_nevents >= 2 && ut_events[0].type == STP_MSG_DATA &&
		   ut_events[1].type == STP_MSG_ERROR;
	ut_check(order_ok, "output before the error is sent first", "%d events", ut_nevents);
	ut_check_bytes("the handler's output is one record", ut_out, ut_out_len,
		       "before the error\n", 17);
	ut_check_int("error counted", stp_error_count(), 1);
	ut_check_int("MAXERRORS 0: session fails", stp_session_state(), STP_SESSION_ERROR);
	ut_check_int("exit requested once", ut_ctl_count(STP_MSG_REQUEST_EXIT), 1);
	memset(ran, 0, sizeof(ran));
	stp_probe_run(&p_event, NULL, NULL);
	ut_check_int("no event probes after the session failed", ran[0], 0);
	stp_session_stopping();
	stp_probe_run(&p_end, NULL, NULL);
	stp_probe_run(&p_error, NULL, NULL);
	ut_check(ran[1] == 0 && ran[2] == 1, "a failed session runs error probes, not end probes",
		 "end %d error %d", ran[1], ran[2]);
	ut_reset_events();
	stp_session_report();
	ut_check_str("final warning", ut_ctl(STP_MSG_WARNING, 0) ? ut_ctl(STP_MSG_WARNING, 0) : "",
		     "Number of errors: 1, skipped probes: 0");
}

static void noloc_body(struct stp_context *c)
{
	stp_error(c, NULL, "plain message");
	stp_error(c, NULL, "second error is dropped");
}

static void errorf_body(struct stp_context *c)
{
	stp_errorf(c, &(struct stp_loc){ "identifier 'f'", "lib/x.stp", 10, 3 }, "bad %s %d",
		   "value", -3);
}

static void test_error_forms(void)
{
	fresh();
	ut_run(noloc_body);
	ut_check_str("error without location; the first error wins", err0(), "plain message");
	ut_check_int("one ERROR message", ut_ctl_count(STP_MSG_ERROR), 1);
	fresh();
	ut_run(errorf_body);
	ut_check_str("formatted error", err0(), "bad value -3 near identifier 'f' at lib/x.stp:10:3");
}

/* ---- clean runs: end probes run, no warning ---- */

static void test_clean_run(void)
{
	fresh();
	memset(ran, 0, sizeof(ran));
	stp_probe_run(&p_event, NULL, NULL);
	stp_session_stopping();
	stp_probe_run(&p_event, NULL, NULL);
	stp_probe_run(&p_end, NULL, NULL);
	stp_probe_run(&p_error, NULL, NULL);
	ut_check(ran[0] == 1 && ran[1] == 1 && ran[2] == 0,
		 "stopping session runs end probes only", "event %d end %d error %d", ran[0], ran[1],
		 ran[2]);
	stp_session_report();
	ut_check_int("no warning without errors or skips", ut_ctl_count(STP_MSG_WARNING), 0);
}

/* ---- MAXACTION and MAXNESTING ---- */

static int loops;

static void action_body(struct stp_context *c)
{
	for (loops = 0; loops < 1000000; loops++)
		if (stp_actions(c, 1, &(struct stp_loc){ "keyword", "<input>", 2, 1 }))
			return;
}

static const struct stp_probe p_begin_actions = { "begin", action_body, STP_SESSION_RUNNING,
						  STP_PROBE_INTERRUPTIBLE, NULL, 0 };

static int depth, max_depth;

static void recurse(struct stp_context *c)
{
	if (stp_call_enter(c, &(struct stp_loc){ "identifier 'f'", "<input>", 3, 7 }))
		return;
	depth++;
	if (depth > max_depth)
		max_depth = depth;
	recurse(c);
	depth--;
	stp_call_exit(c);
}

static void nesting_body(struct stp_context *c)
{
	depth = max_depth = 0;
	recurse(c);
}

static void test_limits(void)
{
	fresh();
	ut_run(action_body);
	ut_check_int("MAXACTION: statements before the error", loops, MAXACTION - 1);
	ut_check_str("MAXACTION message", err0(), "MAXACTION exceeded near keyword at <input>:2:1");
	fresh();
	ut_body = NULL;
	stp_probe_run(&p_begin_actions, NULL, NULL);
	ut_check_int("MAXACTION_INTERRUPTIBLE for begin/end probes", loops,
		     MAXACTION_INTERRUPTIBLE - 1);
	fresh();
	ut_run(nesting_body);
	ut_check_int("MAXNESTING: calls in progress at most", max_depth, MAXNESTING);
	ut_check_str("MAXNESTING message", err0(),
		     "MAXNESTING exceeded near identifier 'f' at <input>:3:7");
}

/* ---- try/catch ---- */

static char caught[MAXSTRINGLEN];

static void catch_body(struct stp_context *c)
{
	stp_div64(c, &(struct stp_loc){ "operator '/'", "<input>", 4, 4 }, 5, 0);
	if (stp_failed(c))
		stp_error_catch(c, caught);
	stp_print_str(c, "after catch\n");
}

static void test_catch(void)
{
	fresh();
	ut_run(catch_body);
	ut_check_str("catch gets the message", caught, "division by 0");
	ut_check(ut_ctl_count(STP_MSG_ERROR) == 0 && stp_error_count() == 0 &&
		 stp_session_state() == STP_SESSION_RUNNING,
		 "a caught error is not reported", "%d errors", stp_error_count());
	ut_check_bytes("the handler goes on after catch", ut_out, ut_out_len, "after catch\n", 12);
}

/* ---- skipped probes ---- */

static void nested_probe_body(struct stp_context *c)
{
	memset(ran, 0, sizeof(ran));
	stp_probe_run(&p_event, NULL, NULL);
}

static stp_rwlock_t lock_a, lock_b;
static const struct stp_lock_req locks_ab[] = { { &lock_a, 1 }, { &lock_b, 1 } };
static const struct stp_lock_req locks_b_read[] = { { &lock_b, 0 } };
static const struct stp_probe p_locked = { "locked", count0, STP_SESSION_RUNNING, 0, locks_ab, 2 };
static const struct stp_probe p_reader = { "reader", count1, STP_SESSION_RUNNING, 0,
					   locks_b_read, 1 };

/* A pthread rwlock must be released by the thread that took it: a
 * helper thread takes lock_b, reports, and releases it when told. */
struct holder {
	pthread_t thread;
	int write;
	sem_t taken, release;
};

static struct holder holder;

static void *holder_main(void *arg)
{
	struct holder *h = arg;

	if (h->write)
		stp_write_trylock(&lock_b);
	else
		stp_read_trylock(&lock_b);
	sem_post(&h->taken);
	sem_wait(&h->release);
	if (h->write)
		stp_write_unlock(&lock_b);
	else
		stp_read_unlock(&lock_b);
	return NULL;
}

static void hold_b(int write)
{
	holder.write = write;
	sem_init(&holder.taken, 0, 0);
	sem_init(&holder.release, 0, 0);
	pthread_create(&holder.thread, NULL, holder_main, &holder);
	sem_wait(&holder.taken);
}

static void release_b(void)
{
	sem_post(&holder.release);
	pthread_join(holder.thread, NULL);
	sem_destroy(&holder.taken);
	sem_destroy(&holder.release);
}

static void test_skips(void)
{
	int i;

	fresh();
	ut_run(nested_probe_body);
	ut_check(ran[0] == 0 && stp_skipped_count() == 1 &&
		 stp_skipped_count_reason(STP_SKIP_REENTRANT) == 1,
		 "a probe inside a handler is skipped", "ran %d, skipped %d", ran[0],
		 stp_skipped_count());

	stp_rwlock_init(&lock_a);
	stp_rwlock_init(&lock_b);
	memset(ran, 0, sizeof(ran));
	hold_b(1);
	stp_probe_run(&p_locked, NULL, NULL);
	ut_check(ran[0] == 0 && stp_skipped_count_reason(STP_SKIP_LOCK) == 1,
		 "lock timeout skips the probe", "ran %d", ran[0]);
	ut_check(stp_write_trylock(&lock_a), "a failed lock attempt releases the locks it took",
		 "%s", "lock_a still held");
	stp_write_unlock(&lock_a);
	stp_probe_run(&p_reader, NULL, NULL);
	ut_check_int("a read lock waits for a writer too", ran[1], 0);
	release_b();
	stp_probe_run(&p_locked, NULL, NULL);
	ut_check_int("the probe runs once the lock is free", ran[0], 1);
	ut_check(stp_write_trylock(&lock_a) && stp_write_trylock(&lock_b),
		 "the locks are released after the handler", "%s", "");
	stp_write_unlock(&lock_a);
	stp_write_unlock(&lock_b);
	hold_b(0);
	stp_probe_run(&p_reader, NULL, NULL);
	ut_check_int("readers share a global", ran[1], 1);
	release_b();

	stp_session_report();
	ut_check_str("final warning counts skipped probes",
		     ut_ctl(STP_MSG_WARNING, 0) ? ut_ctl(STP_MSG_WARNING, 0) : "",
		     "Number of errors: 0, skipped probes: 3");

	/* More than MAXSKIPPED ends the session. */
	fresh();
	hold_b(1);
	for (i = 0; i <= MAXSKIPPED; i++)
		stp_probe_run(&p_reader, NULL, NULL);
	release_b();
	ut_check_str("MAXSKIPPED message", err0(),
		     "Skipped too many probes, check MAXSKIPPED or try again with stap -t for more details.");
	ut_check(stp_session_state() == STP_SESSION_ERROR &&
		 ut_ctl_count(STP_MSG_REQUEST_EXIT) == 1, "MAXSKIPPED ends the session", "state %d",
		 stp_session_state());
}

/* ---- exit() ---- */

static void exit_body(struct stp_context *c)
{
	stp_exit();
	stp_exit();
	stp_print_str(c, "still running\n");
}

static void test_exit(void)
{
	fresh();
	ut_run(exit_body);
	ut_check(stp_session_state() == STP_SESSION_STOPPING &&
		 ut_ctl_count(STP_MSG_REQUEST_EXIT) == 1,
		 "exit() stops the session and asks once", "state %d, %d requests",
		 stp_session_state(), ut_ctl_count(STP_MSG_REQUEST_EXIT));
	ut_check_bytes("exit() lets the handler finish", ut_out, ut_out_len, "still running\n", 14);
	memset(ran, 0, sizeof(ran));
	stp_probe_run(&p_event, NULL, NULL);
	stp_session_stopping();
	stp_probe_run(&p_end, NULL, NULL);
	ut_check(ran[0] == 0 && ran[1] == 1, "after exit(): no events, end probes run",
		 "event %d end %d", ran[0], ran[1]);

	/* exit() in a begin probe: the session never becomes RUNNING */
	stp_runtime_exit();
	ut_reset_events();
	stp_runtime_init_size(0);
	stp_exit();
	ut_check_int("exit() during begin probes", stp_session_started(), STP_SESSION_STOPPING);
}

/* ---- the context and output ---- */

static const char *seen_pp, *seen_pn;
static int seen_cpu;

static void ctx_body(struct stp_context *c)
{
	seen_pp = c->probe_point;
	seen_pn = c->probe_name;
	seen_cpu = (int)stp_cpu(c);
	memset(c->locals, 0xab, 64);	/* the locals area is ours to use */
}

static void silent_body(struct stp_context *c)
{
}

static void *thread_probe(void *arg)
{
	ut_body = ctx_body;
	stp_probe_run(&ut_probe, NULL, NULL);
	*(int *)arg = seen_cpu;
	return NULL;
}

static void test_context(void)
{
	int cpu1 = -1, cpu2 = -1;
	pthread_t t;

	fresh();
	ut_run(ctx_body);
	ut_check_str("pp()", seen_pp ? seen_pp : "(null)", "unit.test");
	ut_check_str("pn() defaults to pp()", seen_pn ? seen_pn : "(null)", "unit.test");
	ut_check(seen_cpu >= 0 && seen_cpu < (int)stp_ncpus(), "cpu() in range", "cpu %d",
		 seen_cpu);
	pthread_create(&t, NULL, thread_probe, &cpu1);
	pthread_join(t, NULL);
	pthread_create(&t, NULL, thread_probe, &cpu2);
	pthread_join(t, NULL);
	ut_check(cpu1 != cpu2 && cpu1 >= 0 && cpu2 >= 0, "threads get their own CPU slots",
		 "%d and %d", cpu1, cpu2);
	ut_run(silent_body);
	ut_check_int("a handler without output sends no record", ut_records, 0);
	ut_check(stp_runtime_quiesce(), "quiesce with no handler running", "%s", "");
}

/* ---- user memory ---- */

static char ustr[MAXSTRINGLEN];
static unsigned long uaddr;
static int64_t umax;
static int urc;

static void ustring_body(struct stp_context *c)
{
	urc = stp_user_string(c, &(struct stp_loc){ "identifier 'user_string'", "u.stp", 1, 1 },
			      ustr, uaddr, umax);
}

static void test_user_memory(void)
{
	long page = sysconf(_SC_PAGESIZE);
	char *map = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	static const char text[] = "hello user";

	fresh();
	uaddr = (unsigned long)text;
	umax = 0;
	ut_run(ustring_body);
	ut_check(urc == 0 && !strcmp(ustr, text), "user_string", "rc %d \"%s\"", urc, ustr);
	umax = 5;
	ut_run(ustring_body);
	ut_check_str("user_string_n cut", ustr, "hell");
	uaddr = 1;
	umax = 0;
	ut_run(ustring_body);
	ut_check_str("user string fault message", err0(),
		     "user string copy fault -14 at 0x1 [man error::fault]"
		     " near identifier 'user_string' at u.stp:1:1");
	ut_check(urc == -EFAULT && ustr[0] == '\0', "user string fault result", "rc %d", urc);

	if (map == MAP_FAILED) {
		printf("UNSUPPORTED: user string ending at an unmapped page\n");
		return;
	}
	/* "edge" ends exactly where an unmapped page begins */
	munmap(map + page, (size_t)page);
	memcpy(map + page - 5, "edge", 5);
	uaddr = (unsigned long)(map + page - 5);
	fresh();
	ut_run(ustring_body);
	ut_check(urc == 0 && !strcmp(ustr, "edge"), "user string ending at an unmapped page",
		 "rc %d \"%s\"", urc, ustr);
	memcpy(map + page - 4, "runs", 4);	/* no NUL before the hole */
	uaddr = (unsigned long)(map + page - 4);
	ut_run(ustring_body);
	ut_check(urc == -EFAULT, "user string running into an unmapped page", "rc %d", urc);
	munmap(map, (size_t)page);
}

/* ---- time and randint ---- */

static int64_t r_vals[2000];
static int64_t r_big;

static void rand_body(struct stp_context *c)
{
	int i;

	for (i = 0; i < 1000; i++)
		r_vals[i] = stp_randint(c, NULL, 2);
	for (i = 1000; i < 2000; i++)
		r_vals[i] = stp_randint(c, NULL, 1000000);
	r_big = stp_randint(c, NULL, 0);
	stp_randint(c, &(struct stp_loc){ "identifier 'randint'", "r.stp", 1, 1 },
		    STP_RANDINT_MAX + 1);
}

static void test_time_random(void)
{
	time_t now = time(NULL);
	int64_t s = stp_gettimeofday_s(), ms = stp_gettimeofday_ms(), us = stp_gettimeofday_us();
	int64_t ns = stp_gettimeofday_ns(), a, b;
	int i, zeros = 0, ones = 0, in_range = 1;

	ut_check(s >= now - 2 && s <= now + 2, "gettimeofday_s agrees with time()",
		 "%lld vs %lld", (long long)s, (long long)now);
	ut_check(ms / 1000 >= s && ms / 1000 <= s + 2 && us / 1000 >= ms && ns / 1000 >= us,
		 "gettimeofday_ms/us/ns agree", "%lld %lld %lld", (long long)ms, (long long)us,
		 (long long)ns);
	a = stp_local_clock_ns();
	b = stp_local_clock_ns();
	ut_check(b >= a && stp_local_clock_s() == stp_local_clock_ns() / 1000000000,
		 "local_clock is monotonic", "%lld then %lld", (long long)a, (long long)b);

	fresh();
	ut_run(rand_body);
	for (i = 0; i < 1000; i++) {
		zeros += r_vals[i] == 0;
		ones += r_vals[i] == 1;
	}
	for (i = 1000; i < 2000; i++)
		in_range &= r_vals[i] >= 0 && r_vals[i] < 1000000;
	ut_check(zeros + ones == 1000 && zeros > 0 && ones > 0, "randint(2) gives 0 and 1",
		 "%d zeros %d ones", zeros, ones);
	ut_check(in_range, "randint(n) in [0, n)", "%s", "");
	ut_check_int("randint(0)", r_big, 0);
	ut_check_str("randint range too wide", err0(),
		     "range too wide near identifier 'randint' at r.stp:1:1");
}

int main(void)
{
	ut_init_runtime(64);
	test_error_ends_session();
	test_error_forms();
	test_clean_run();
	test_limits();
	test_catch();
	test_skips();
	test_exit();
	test_context();
	test_user_memory();
	test_time_random();
	stp_runtime_exit();
	return ut_done();
}
