/* What passes 4 and 5 share: the runtime choice, the temporary folder,
 * running the compiler, and the build's identity for the cache key. */
#include "config.h"
#include "translate/build.h"
#include "translate/hash.h"
#include <dirent.h>
#include <stdarg.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

static bool file_exists(const char *dir, const char *name)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, R_OK) == 0;
}

/* Modules load where /proc/modules exists, loading is not disabled, and
 * we may load them (root; staprun's groups are its own business). */
static bool kernel_loads_modules(void)
{
	char buf[8] = "";
	int fd = open("/proc/sys/kernel/modules_disabled", O_RDONLY);
	if (fd >= 0) {
		if (read(fd, buf, sizeof(buf) - 1) < 0)
			buf[0] = 0;
		close(fd);
	}
	return access("/proc/modules", R_OK) == 0 && buf[0] != '1';
}

void build_choose_runtime(Session *s)
{
	if (s->runtime != RUNTIME_AUTO)
		return;
	struct utsname u;
	bool foreign = uname(&u) == 0 && strcmp(u.release, s->kernel_release);
	bool headers = s->kernel_build_dir && file_exists(s->kernel_build_dir, "Makefile");
	const char *why = NULL;
	if (!headers)
		why = "no kernel headers";
	else if (!foreign && !kernel_loads_modules())
		why = "this kernel does not load modules";
	s->runtime = why ? RUNTIME_PTRACE : RUNTIME_KERNEL;
	if (s->verbose[0] < 1)
		return;
	if (!why)
		fprintf(stderr, "Runtime: kernel (headers of %s in %s)\n", s->kernel_release,
			s->kernel_build_dir);
	else if (!headers)
		fprintf(stderr, "Runtime: ptrace (no kernel headers for %s: the kernel runtime needs "
			"the Debian package linux-headers-%s)\n", s->kernel_release, s->kernel_release);
	else
		fprintf(stderr, "Runtime: ptrace (%s)\n", why);
}

bool build_kernel_headers_ok(const Session *s)
{
	if (s->runtime != RUNTIME_KERNEL || s->last_pass < 4 ||
	    (s->kernel_build_dir && file_exists(s->kernel_build_dir, "Makefile")))
		return true;
	fprintf(stderr, "stap: no kernel headers for %s: install the Debian package "
		"linux-headers-%s\n", s->kernel_release, s->kernel_release);
	return false;
}

const char *build_tmpdir(Session *s)
{
	if (s->tmpdir)
		return s->tmpdir;
	size_t n = strlen(s->tmpdir_base) + 16;
	char *d = malloc(n);
	if (!d)
		return NULL;
	snprintf(d, n, "%s/stapXXXXXX", s->tmpdir_base);
	if (!mkdtemp(d)) {
		fprintf(stderr, "stap: cannot create a temporary folder in %s: %s\n", s->tmpdir_base,
			strerror(errno));
		free(d);
		return NULL;
	}
	s->tmpdir = d;
	return d;
}

char *build_tables(Session *s, bool kernel)
{
	const char *tmp = build_tmpdir(s);
	if (!tmp)
		return NULL;
	char *out = build_fmt("%s/tables", tmp);
	char *script = build_fmt("%s/syscalls/gen-tables.sh", s->runtime_dir);
	char *kbuild = build_fmt("%s/Makefile", s->kernel_build_dir);
	bool have_kbuild = access(kbuild, R_OK) == 0;
	int rc = -1;
	if (mkdir(out, 0755) && errno != EEXIST)
		fprintf(stderr, "stap: cannot create %s: %s\n", out, strerror(errno));
	else if (kernel) {
		char *argv[] = { "sh", script, "kernel", (char *)s->kernel_build_dir, out, NULL };
		rc = build_run(argv, RUN_ERRORS);
	} else {
		/* With the kernel's tree, errno names cover its restart codes
		 * (512...), which ptrace sees at syscall exits. */
		char *argv[] = { "sh", script, "user", out,
				 have_kbuild ? (char *)s->kernel_build_dir : NULL, NULL };
		rc = build_run(argv, RUN_ERRORS);
	}
	free(script);
	free(kbuild);
	char *inc = rc == 0 ? build_fmt("-I%s", out) : NULL;
	if (rc > 0)
		fprintf(stderr, "stap: cannot make the syscall and errno tables of the target\n");
	free(out);
	return inc;
}

static void remove_tree(const char *path)
{
	DIR *d = opendir(path);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			char sub[4096];
			snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
			struct stat st;
			if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode))
				remove_tree(sub);
			else
				unlink(sub);
		}
		closedir(d);
	}
	rmdir(path);
}

void build_tmpdir_cleanup(Session *s)
{
	if (!s->tmpdir)
		return;
	if (s->keep_tmpdir)
		fprintf(stderr, "Keeping temporary directory \"%s\"\n", s->tmpdir);
	else
		remove_tree(s->tmpdir);
	free(s->tmpdir);
	s->tmpdir = NULL;
}

int build_run(char *const argv[], int mode)
{
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "stap: cannot run %s: %s\n", argv[0], strerror(errno));
		return -1;
	}
	if (pid == 0) {
		/* The compiler's chatter belongs on stderr, never in the script's
		 * output on stdout. */
		int fd = mode == RUN_SHOW ? dup(2) : open("/dev/null", O_WRONLY);
		if (fd >= 0) {
			dup2(fd, 1);
			if (mode == RUN_QUIET)
				dup2(fd, 2);
			close(fd);
		}
		execvp(argv[0], argv);
		fprintf(stderr, "stap: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFEXITED(st))
		return WEXITSTATUS(st) == 127 ? -1 : WEXITSTATUS(st);
	return 128 + WTERMSIG(st);
}

char *build_fmt(const char *fmt, ...)
{
	va_list ap;
	char *r = NULL;
	va_start(ap, fmt);
	if (vasprintf(&r, fmt, ap) < 0) {
		fputs("stap: out of memory\n", stderr);
		exit(1);
	}
	va_end(ap);
	return r;
}

const char *build_module_name(Session *s, const char *key)
{
	if (s->module_name)
		return s->module_name;
	size_t n = strlen(key) + 6;
	char *name = malloc(n);
	if (name)
		snprintf(name, n, "stap_%s", key);
	return name;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every file under dir, in name order, names included: any change to the
 * runtime a module is built from is a different module. */
static void hash_tree(Hasher *h, const char *dir)
{
	DIR *d = opendir(dir);
	if (!d) {
		hash_str(h, "<no runtime>");
		return;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			char **nn = realloc(names, cap * sizeof(*names));
			if (!nn)
				break;
			names = nn;
		}
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n; i++) {
		char path[4096];
		struct stat st;
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		hash_str(h, names[i]);
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			hash_tree(h, path);
		else
			hash_file(h, path);
		free(names[i]);
	}
	free(names);
}

/* The compiler is part of the build: its path and its binary's date. */
static void hash_compiler(Hasher *h, const char *cc)
{
	const char *path = getenv("PATH");
	char buf[4096];
	struct stat st;
	hash_str(h, cc);
	if (!path)
		return;
	const char *p = path;
	while (*p) {
		size_t len = strcspn(p, ":");
		snprintf(buf, sizeof(buf), "%.*s/%s", (int)len, p, cc);
		if (stat(buf, &st) == 0) {
			hash_u64(h, (uint64_t)st.st_mtime);
			hash_u64(h, (uint64_t)st.st_size);
			return;
		}
		p += len + (p[len] == ':');
	}
}

void build_hash_target(Session *s, Hasher *h)
{
	hash_str(h, PACKAGE_VERSION);
	hash_u64(h, (uint64_t)s->runtime);
	hash_str(h, s->module_name ? s->module_name : "");
	hash_tree(h, s->runtime_dir);
	if (s->runtime == RUNTIME_KERNEL) {
		char path[4096];
		hash_str(h, s->kernel_release);
		hash_str(h, s->kernel_build_dir);
		snprintf(path, sizeof(path), "%s/.config", s->kernel_build_dir);
		hash_file(h, path);
		snprintf(path, sizeof(path), "%s/Module.symvers", s->kernel_build_dir);
		hash_file(h, path);
		for (int i = 0; i < s->build_options.n; i++)
			hash_str(h, s->build_options.v[i]);
		hash_compiler(h, "gcc");
	} else {
		hash_compiler(h, "cc");
	}
}
