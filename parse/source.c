#include "parse/source.h"
#include "parse/arena.h"
#include "parse/diag.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static SrcFile **files;
static uint32_t nfiles, files_cap;

typedef struct Expansion {
	Loc written, site;
	uint32_t depth;		/* 1 for a token of a macro the user's text invoked */
} Expansion;
static Expansion *expansions;
static uint32_t nexpansions, expansions_cap;

/* Makes a file of text already in the arena, NUL-terminated. */
static SrcFile *src_adopt(const char *name, const char *text, size_t len)
{
	if (len >= UINT32_MAX)
		fatal("%s: file too large", name);
	if (nfiles + 1 >= files_cap) {
		files_cap = files_cap ? files_cap * 2 : 1024;
		files = realloc(files, sizeof(*files) * files_cap);
		if (!files)
			fatal("out of memory");
		if (nfiles == 0)
			files[nfiles++] = NULL;	/* id 0 means "no file" */
	}
	SrcFile *f = ANEW(&g_arena, SrcFile);
	f->id = nfiles;
	files[nfiles++] = f;
	f->name = name;
	f->text = text;
	f->len = (uint32_t)len;
	return f;
}

SrcFile *src_from_string(const char *name, const char *text, size_t len)
{
	return src_adopt(name, arena_strndup(&g_arena, text, len), len);
}

/* Reads what is left of fd onto buf (malloc'd, cap bytes, len used). */
static char *read_rest(int fd, char *buf, size_t cap, size_t *lenp)
{
	size_t len = *lenp;
	for (;;) {
		if (len + 1 >= cap) {
			cap *= 2;
			char *n = realloc(buf, cap);
			if (!n)
				fatal("out of memory");
			buf = n;
		}
		ssize_t n = read(fd, buf + len, cap - len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			free(buf);
			return NULL;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	*lenp = len;
	return buf;
}

SrcFile *src_load(const char *path, const char *display_name)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct stat st;
	if (fstat(fd, &st) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return NULL;
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		errno = EISDIR;
		return NULL;
	}
	const char *name = display_name ? display_name : arena_strndup(&g_arena, path, strlen(path));
	/* A regular file is read straight into the arena: no copy.  One that
	 * turns out longer than it said, or a pipe (stdin), is read whole
	 * first. */
	if (S_ISREG(st.st_mode) && st.st_size < UINT32_MAX - 1) {
		size_t cap = (size_t)st.st_size + 1, len = 0;
		char *text = arena_alloc(&g_arena, cap);
		ssize_t n = 0;
		while (len < cap && ((n = read(fd, text + len, cap - len)) > 0 ||
				     (n < 0 && errno == EINTR)))
			len += n > 0 ? (size_t)n : 0;
		if (n < 0) {
			int e = errno;
			close(fd);
			errno = e;
			return NULL;
		}
		if (len < cap) {
			close(fd);
			text[len] = '\0';
			return src_adopt(name, text, len);
		}
		/* Longer than fstat said: carry on in a growing buffer. */
		char *buf = malloc(cap * 2);
		if (!buf)
			fatal("out of memory");
		memcpy(buf, text, len);
		buf = read_rest(fd, buf, cap * 2, &len);
		int e = errno;
		close(fd);
		if (!buf) {
			errno = e;
			return NULL;
		}
		SrcFile *f = src_from_string(name, buf, len);
		free(buf);
		return f;
	}
	size_t len = 0;
	char *buf = malloc(65536);
	if (!buf)
		fatal("out of memory");
	buf = read_rest(fd, buf, 65536, &len);
	int e = errno;
	close(fd);
	if (!buf) {
		errno = e;
		return NULL;
	}
	SrcFile *f = src_from_string(name, buf, len);
	free(buf);
	return f;
}

static void build_lines(SrcFile *f)
{
	uint32_t n = 1;
	for (uint32_t i = 0; i < f->len; i++)
		n += f->text[i] == '\n';
	f->line_starts = ANEWN(&g_arena, uint32_t, n);
	f->line_starts[0] = 0;
	uint32_t k = 1;
	for (uint32_t i = 0; i < f->len; i++)
		if (f->text[i] == '\n')
			f->line_starts[k++] = i + 1;
	f->nlines = n;
}

const SrcFile *src_get(uint32_t id)
{
	return id < nfiles ? files[id] : NULL;
}

Loc loc_expanded(Loc written, Loc site)
{
	if (nexpansions == expansions_cap) {
		expansions_cap = expansions_cap ? expansions_cap * 2 : 4096;
		expansions = realloc(expansions, sizeof(*expansions) * expansions_cap);
		if (!expansions)
			fatal("out of memory");
	}
	if (nexpansions >= LOC_EXPANDED)
		fatal("too many macro expansions");
	uint32_t depth = loc_expansion_depth(site) + 1;
	expansions[nexpansions] = (Expansion){ written, site, depth };
	return (Loc){ LOC_EXPANDED | nexpansions++, written.off };
}

/* A record for all the tokens of one expansion written in one file: its
 * written offset is this marker, and each token keeps its own offset. */
#define ANY_OFFSET UINT32_MAX

Loc loc_expansion_of_file(uint32_t file, Loc site)
{
	Loc l = loc_expanded((Loc){ file, ANY_OFFSET }, site);
	l.off = 0;
	return l;
}

uint32_t loc_expansion_depth(Loc loc)
{
	if (!(loc.file & LOC_EXPANDED))
		return 0;
	return expansions[loc.file & ~LOC_EXPANDED].depth;
}

Loc loc_written(Loc loc, Loc *site)
{
	if (site)
		*site = (Loc){ 0, 0 };
	if (loc.file & LOC_EXPANDED) {
		const Expansion *x = &expansions[loc.file & ~LOC_EXPANDED];
		if (site)
			*site = x->site;
		if (x->written.off == ANY_OFFSET)
			return (Loc){ x->written.file, loc.off };
		return x->written;
	}
	return loc;
}

const SrcFile *loc_file(Loc loc)
{
	/* A macro body's tokens can themselves come from an expansion. */
	while (loc.file & LOC_EXPANDED)
		loc = loc_written(loc, NULL);
	return src_get(loc.file);
}

const char *loc_str(Loc loc, char *buf, size_t size)
{
	uint32_t line, col;
	loc_line_col(loc, &line, &col);
	const SrcFile *f = loc_file(loc);
	snprintf(buf, size, "%s:%u:%u", f ? f->name : "<unknown>", line, col);
	return buf;
}

void loc_line_col(Loc loc, uint32_t *line, uint32_t *col)
{
	while (loc.file & LOC_EXPANDED)
		loc = loc_written(loc, NULL);
	SrcFile *f = files && loc.file < nfiles ? files[loc.file] : NULL;
	if (!f) {
		*line = *col = 0;
		return;
	}
	if (!f->line_starts)
		build_lines(f);
	uint32_t lo = 0, hi = f->nlines;	/* last start <= off */
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (f->line_starts[mid] <= loc.off)
			lo = mid;
		else
			hi = mid;
	}
	*line = lo + 1;
	*col = loc.off - f->line_starts[lo] + 1;
}

const char *src_line(const SrcFile *cf, uint32_t line, size_t *len)
{
	SrcFile *f = (SrcFile *)cf;
	if (!f->line_starts)
		build_lines(f);
	if (line == 0 || line > f->nlines) {
		*len = 0;
		return "";
	}
	const char *s = f->text + f->line_starts[line - 1];
	const char *e = memchr(s, '\n', (size_t)(f->text + f->len - s));
	*len = e ? (size_t)(e - s) : (size_t)(f->text + f->len - s);
	return s;
}

void src_reset(void)
{
	free(files);
	files = NULL;
	nfiles = files_cap = 0;
	free(expansions);
	expansions = NULL;
	nexpansions = expansions_cap = 0;
}
