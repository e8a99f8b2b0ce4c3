/* Types and globals named in scripts: @cast(p, "TYPE", "MODULES") and
 * @var("NAME@FILE", "MODULE").
 *
 * MODULES is a ':'-separated list of programs or libraries, or of
 * "<header.h>" names: for those, as SystemTap does, a tiny C file that
 * includes the header is compiled with -g (keeping unused types) and the
 * type is read from that. */
#include "translate/loc2c_int.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static char *header_cc;
static char **header_dirs;
static int nheader_dirs;

void l2c_set_header_compiler(const char *cc, const char *const *dirs, int n)
{
	free(header_cc);
	header_cc = cc ? strdup(cc) : NULL;
	for (int i = 0; i < nheader_dirs; i++)
		free(header_dirs[i]);
	free(header_dirs);
	header_dirs = n > 0 ? calloc((size_t)n, sizeof(char *)) : NULL;
	nheader_dirs = 0;
	for (int i = 0; header_dirs && i < n; i++)
		header_dirs[nheader_dirs++] = strdup(dirs[i]);
}

/* Compiled headers, by their "<a.h><b.h>" text, for the whole run. */
static struct {
	char *key;
	DiModule *m;	/* the shared object holding their types */
} *headers;
static int nheaders;

static char *first_line(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[512] = "";
	if (f) {
		while (fgets(line, sizeof(line), f))
			if (strstr(line, "error"))
				break;
		fclose(f);
	}
	line[strcspn(line, "\n")] = '\0';
	return strdup(line);
}

/* The shared object whose DWARF has the headers' types. */
static DiModule *compile_headers(Gen *g, const char *spec)
{
	for (int i = 0; i < nheaders; i++)
		if (!strcmp(headers[i].key, spec))
			return headers[i].m;
	char dir[] = "/tmp/ustap-cast-XXXXXX";
	if (!mkdtemp(dir)) {
		l2c_gen_error(g, "cannot make a folder to compile %s: %s", spec, strerror(errno));
		return NULL;
	}
	char src[PATH_MAX], obj[PATH_MAX], log[PATH_MAX];
	snprintf(src, sizeof(src), "%s/types.c", dir);
	snprintf(obj, sizeof(obj), "%s/types.so", dir);
	snprintf(log, sizeof(log), "%s/cc.log", dir);
	FILE *f = fopen(src, "w");
	if (!f) {
		l2c_gen_error(g, "cannot write %s: %s", src, strerror(errno));
		return NULL;
	}
	for (const char *p = spec; (p = strchr(p, '<'));) {
		const char *e = strchr(p, '>');
		if (!e)
			break;
		fprintf(f, "#include %.*s\n", (int)(e - p + 1), p);
		p = e + 1;
	}
	fprintf(f, "int ustap_cast_types;\n");
	fclose(f);
	const char *cc = header_cc ? header_cc : "gcc";
	char *argv[16 + 2 * 64];
	int n = 0;
	argv[n++] = (char *)cc;
	argv[n++] = "-g";
	argv[n++] = "-fno-eliminate-unused-debug-types";
	argv[n++] = "-shared";
	argv[n++] = "-fPIC";
	argv[n++] = "-w";
	for (int i = 0; i < nheader_dirs && i < 64; i++) {
		argv[n++] = "-I";
		argv[n++] = header_dirs[i];
	}
	argv[n++] = "-o";
	argv[n++] = obj;
	argv[n++] = src;
	argv[n] = NULL;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	pid_t pid;
	int status = -1;
	int rc = posix_spawnp(&pid, cc, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc == 0)
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	DiModule *result = NULL;
	if (rc != 0) {
		l2c_gen_error(g, "cannot run %s to compile %s: %s", cc, spec, strerror(rc));
	} else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		char *why = first_line(log);
		l2c_gen_error(g, "cannot compile %s for @cast: %s", spec, why);
		free(why);
	} else {
		/* The module keeps its own descriptor: the files can go once
		 * it is open. */
		char *err = NULL;
		result = di_get(obj, &err);
		if (!result)
			l2c_gen_error(g, "cannot read the types of %s: %s", spec, err);
		free(err);
		void *nh = result ? realloc(headers, sizeof(*headers) * (size_t)(nheaders + 1)) :
				    NULL;
		if (nh) {
			headers = nh;
			headers[nheaders].key = strdup(spec);
			headers[nheaders].m = result;
			nheaders++;
		}
	}
	unlink(src);
	unlink(log);
	unlink(obj);
	rmdir(dir);
	return result;
}

static int type_tag(const char **name)
{
	static const struct {
		const char *kw;
		int tag;
	} kws[] = {
		{ "struct ", DW_TAG_structure_type }, { "union ", DW_TAG_union_type },
		{ "enum ", DW_TAG_enumeration_type }, { "class ", DW_TAG_class_type },
	};
	for (size_t i = 0; i < sizeof(kws) / sizeof(kws[0]); i++)
		if (!strncmp(*name, kws[i].kw, strlen(kws[i].kw))) {
			*name += strlen(kws[i].kw);
			while (**name == ' ')
				(*name)++;
			return kws[i].tag;
		}
	return 0;
}

static bool find_in_module(DiModule *m, int tag, const char *name, Dwarf_Die *out)
{
	if (!di_dwarf(m))
		return false;
	di_index(m);
	bool found_decl = false;
	for (int i = 0; i < m->ncus; i++) {
		Dwarf_Die cu, c;
		if (!di_cu_die(m, m->cus[i].off, &cu) || dwarf_child(&cu, &c) != 0)
			continue;
		do {
			int ct = dwarf_tag(&c);
			if (tag ? ct != tag : (ct != DW_TAG_typedef && ct != DW_TAG_base_type &&
					       ct != DW_TAG_structure_type &&
					       ct != DW_TAG_union_type &&
					       ct != DW_TAG_enumeration_type))
				continue;
			const char *n = dwarf_diename(&c);
			if (!n || strcmp(n, name))
				continue;
			/* A typedef or base type matches a bare name; a bare
			 * name never means "struct name" in C. */
			if (!tag && ct != DW_TAG_typedef && ct != DW_TAG_base_type)
				continue;
			if (dwarf_hasattr(&c, DW_AT_declaration)) {
				found_decl = true;
				continue;
			}
			*out = c;
			return true;
		} while (dwarf_siblingof(&c, &c) == 0);
	}
	(void)found_decl;
	return false;
}

int l2c_cast_type(Gen *g, const char *type, const char *modules, Dwarf_Die *out,
		  DiModule **where)
{
	char name[256];
	snprintf(name, sizeof(name), "%s", type);
	/* Trailing spaces and '*'s: a pointer to the named type. */
	size_t len = strlen(name);
	int ptr = 0;
	while (len && (name[len - 1] == ' ' || name[len - 1] == '*'))
		ptr += name[--len] == '*';
	name[len] = '\0';
	const char *bare = name;
	while (*bare == ' ')
		bare++;
	int tag = type_tag(&bare);
	if (!*bare)
		return l2c_gen_error(g, "invalid type '%s' in @cast", type);
	if (ptr)
		return l2c_gen_error(g, "@cast to a pointer type ('%s') is not supported: cast to "
				 "'%s' and use '->' or [0]", type, name);
	if (!modules) {
		DiModule *m = g->s ? g->s->m : g->m;
		if (!m)
			return l2c_gen_error(g, "@cast needs a module outside a probe: @cast(p, \"%s\", "
					 "\"/path/to/program\")", type);
		if (find_in_module(m, tag, bare, out)) {
			*where = m;
			return 0;
		}
		return l2c_gen_error(g, "type definition '%s' not found in '%s'", type, di_path(m));
	}
	char *list = strdup(modules), *save = NULL;
	for (char *mod = strtok_r(list, ":", &save); mod; mod = strtok_r(NULL, ":", &save)) {
		const char *lt = strchr(mod, '<');
		DiModule *m;
		if (lt) {
			if (!(m = compile_headers(g, lt))) {
				free(list);
				return -1;
			}
		} else {
			char *err = NULL;
			m = di_get(mod, &err);
			if (!m) {
				l2c_gen_error(g, "cannot read module '%s' for @cast: %s", mod, err);
				free(err);
				free(list);
				return -1;
			}
		}
		if (find_in_module(m, tag, bare, out)) {
			*where = m;
			free(list);
			return 0;
		}
	}
	free(list);
	return l2c_gen_error(g, "type definition '%s' not found in '%s'", type, modules);
}

/* The unit for "file": the one whose name ends with it and is shortest,
 * as SystemTap picks it for @var("x@file.c"). */
static int pick_cu(DiModule *m, const char *file)
{
	int best = -1;
	size_t bestlen = 0;
	for (int i = 0; i < m->ncus; i++) {
		Dwarf_Die cu;
		if (!di_cu_die(m, m->cus[i].off, &cu))
			continue;
		const char *n = dwarf_diename(&cu);
		if (!n || !di_file_matches(file, n))
			continue;
		if (best < 0 || strlen(n) < bestlen) {
			best = i;
			bestlen = strlen(n);
		}
	}
	return best;
}

static bool global_in_cu(DiModule *m, int cuix, const char *name, Dwarf_Die *out)
{
	Dwarf_Die cu, c;
	if (!di_cu_die(m, m->cus[cuix].off, &cu) || dwarf_child(&cu, &c) != 0)
		return false;
	do {
		const char *n;
		if (dwarf_tag(&c) == DW_TAG_variable && (n = dwarf_diename(&c)) &&
		    !strcmp(n, name) && (dwarf_hasattr(&c, DW_AT_location) ||
					 dwarf_hasattr(&c, DW_AT_const_value))) {
			*out = c;
			return true;
		}
	} while (dwarf_siblingof(&c, &c) == 0);
	return false;
}

int l2c_global_var(Gen *g, DiModule *m, const char *spec, Dwarf_Die *out)
{
	char name[256];
	snprintf(name, sizeof(name), "%s", spec);
	char *at = strchr(name, '@');
	const char *file = NULL;
	if (at) {
		*at = '\0';
		file = at + 1;
	}
	if (!di_dwarf(m))
		return l2c_gen_error(g, "unable to find global '%s' in %s: it has no DWARF "
				 "debuginfo", name, di_path(m));
	di_index(m);
	if (file) {
		int cu = pick_cu(m, file);
		if (cu < 0)
			return l2c_gen_error(g, "unable to find global '%s' in %s: no compile unit "
					 "matches '%s'", name, di_path(m), file);
		if (global_in_cu(m, cu, name, out))
			return 0;
		return l2c_gen_error(g, "unable to find global '%s' in %s (compile unit %s)", name,
				 di_path(m), file);
	}
	for (int i = 0; i < m->ncus; i++)
		if (global_in_cu(m, i, name, out))
			return 0;
	return l2c_gen_error(g, "unable to find global '%s' in %s", name, di_path(m));
}
