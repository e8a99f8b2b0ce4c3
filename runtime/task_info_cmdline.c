/* cmdline_args() and friends: the argument area of a process, streamed.
 * Part of runtime/task_info.c. */
struct stp_cmdline_out {
	char *dst;
	size_t len;
	bool full;
};

static void _stp_cmdline_put(struct stp_cmdline_out *o, const char *s, size_t n)
{
	size_t room = MAXSTRINGLEN - 1 - o->len;

	if (n > room) {
		n = room;
		o->full = true;
	}
	memcpy(o->dst + o->len, s, n);
	o->len += n;
	if (o->len == MAXSTRINGLEN - 1)
		o->full = true;
}

/* The area is streamed through a small buffer: the arguments wanted may
 * lie far into it, and nothing larger than this belongs on a kernel
 * stack in probe context. */
STP_API void stp_cmdline_args(struct task_struct *t, int64_t n, int64_t m, const char *delim,
			      char *dst)
{
	struct stp_cmdline_out o = { dst, 0, false };
	size_t dlen = strnlen(delim, MAXSTRINGLEN - 1);
	bool all = m < n;
	unsigned long off = 0;
	int64_t nr = 0;
	bool at_start = true;
	char buf[128];

	dst[0] = '\0';
	if (!t || n < 0)
		return;
	while (off < STP_CMDLINE_SCAN && !o.full) {
		size_t want = sizeof(buf);
		long got, i;

		if (want > STP_CMDLINE_SCAN - off)
			want = STP_CMDLINE_SCAN - off;
		got = stp_task_cmdline_read(t, off, buf, want);
		if (got <= 0)
			break;
		for (i = 0; i < got && !o.full; i++) {
			char b = buf[i];

			if (!all && nr > m)
				goto done;
			if (nr >= n) {
				if (at_start && nr > n)
					_stp_cmdline_put(&o, delim, dlen);
				if (b)
					_stp_cmdline_put(&o, &b, 1);
				else if (at_start && nr > n)
					_stp_cmdline_put(&o, "\"\"", 2);
			}
			if (b) {
				at_start = false;
			} else {
				nr++;
				at_start = true;
			}
		}
		off += (unsigned long)got;
		if ((size_t)got < want)
			break;
	}
done:
	dst[o.len] = '\0';
}

