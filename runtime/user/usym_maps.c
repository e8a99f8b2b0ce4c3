/* The ptrace platform's mappings for runtime/usym.c: /proc/PID/maps of the
 * traced process, read whole (a backtrace's lookups come between two
 * reads of a stopped thread's process, so it is current). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int _stp_umap_find(struct task_struct *t, unsigned long addr, struct stp_umap *m)
{
	unsigned long start, end, pgoff;
	char path[64], line[4352], *p;
	bool found = false;
	int n, pass;
	FILE *fp;

	if (!t)
		return -ENOENT;
	/* The thread's own view: a leader that exited has no maps left. */
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)t->tid);
	/* First the mapping holding addr, then every mapping of its file. */
	for (pass = 0; pass < 2; pass++) {
		fp = fopen(path, "re");
		if (!fp)
			return -EAGAIN;
		while (fgets(line, sizeof(line), fp)) {
			n = 0;
			if (sscanf(line, "%lx-%lx %*s %lx %*x:%*x %*u %n", &start, &end, &pgoff, &n) <
				    3 ||
			    n <= 0 || line[n] != '/')
				continue;
			p = line + n;
			p[strcspn(p, "\n")] = '\0';
			if (pass == 0 && addr >= start && addr < end) {
				m->start = start;
				m->end = end;
				m->pgoff = pgoff;
				m->lo = start;
				m->hi = end;
				snprintf(m->path, sizeof(m->path), "%s", p);
				found = true;
				break;
			}
			if (pass == 1 && !strcmp(p, m->path)) {
				if (start < m->lo)
					m->lo = start;
				if (end > m->hi)
					m->hi = end;
			}
		}
		fclose(fp);
		if (!found)
			return -ENOENT;
	}
	return 0;
}
