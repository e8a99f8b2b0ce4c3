/* Pass 2's small shared pieces: a pointer map, diagnostics, the sema data
 * hung on declarations. */
#include "translate/sema.h"
#include "parse/arena.h"
#include "parse/diag.h"
#include "parse/unparse.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- PtrMap: open addressing on pointer keys ---- */

static unsigned ptr_hash(const void *p)
{
	uintptr_t x = (uintptr_t)p;
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (unsigned)x;
}

void *pmap_get(const PtrMap *m, const void *key)
{
	if (!m->cap)
		return NULL;
	unsigned i = ptr_hash(key) & (m->cap - 1);
	while (m->keys[i]) {
		if (m->keys[i] == key)
			return m->vals[i];
		i = (i + 1) & (m->cap - 1);
	}
	return NULL;
}

void pmap_put(PtrMap *m, const void *key, void *val)
{
	if ((m->count + 1) * 2 > m->cap) {
		unsigned ncap = m->cap ? m->cap * 2 : 64;
		const void **nk = calloc(ncap, sizeof(*nk));
		void **nv = calloc(ncap, sizeof(*nv));
		if (!nk || !nv)
			fatal("out of memory");
		for (unsigned i = 0; i < m->cap; i++) {
			if (!m->keys[i])
				continue;
			unsigned j = ptr_hash(m->keys[i]) & (ncap - 1);
			while (nk[j])
				j = (j + 1) & (ncap - 1);
			nk[j] = m->keys[i];
			nv[j] = m->vals[i];
		}
		free(m->keys);
		free(m->vals);
		m->keys = nk;
		m->vals = nv;
		m->cap = ncap;
	}
	unsigned i = ptr_hash(key) & (m->cap - 1);
	while (m->keys[i] && m->keys[i] != key)
		i = (i + 1) & (m->cap - 1);
	if (!m->keys[i])
		m->count++;
	m->keys[i] = key;
	m->vals[i] = val;
}

void pmap_free(PtrMap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

/* ---- diagnostics ----
 *
 * Type inference visits code several times, and a body shared by many
 * derived probes is checked once per probe: the same complaint at the same
 * place is shown once. */

typedef struct Shown {
	Loc loc;
	unsigned hash;
} Shown;
static Shown *shown;
static int nshown, shown_cap;
static bool last_suppressed;

static bool seen_before(Loc loc, const char *msg)
{
	unsigned h = 2166136261u;
	for (const char *p = msg; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	for (int i = 0; i < nshown; i++)
		if (shown[i].loc.file == loc.file && shown[i].loc.off == loc.off &&
		    shown[i].hash == h)
			return true;
	if (nshown == shown_cap) {
		shown_cap = shown_cap ? shown_cap * 2 : 64;
		shown = realloc(shown, sizeof(*shown) * (size_t)shown_cap);
		if (!shown)
			fatal("out of memory");
	}
	shown[nshown++] = (Shown){ loc, h };
	return false;
}

void sema_error(Sema *S, Loc loc, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	last_suppressed = true;
	if (S->quiet) {
		S->failed++;
		return;
	}
	if (seen_before(loc, msg))
		return;
	last_suppressed = false;
	S->errors++;
	if (loc.file)
		diag_error("semantic", loc, "%s", msg);
	else
		diag_error_noloc("semantic", "%s", msg);
}

void sema_note(Sema *S, Loc loc, const char *fmt, ...)
{
	if (last_suppressed || S->quiet || (g_diag.max_errors_shown &&
					    diag_error_count() > g_diag.max_errors_shown))
		return;
	va_list ap;
	va_start(ap, fmt);
	fputs("semantic error: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	diag_print_loc(loc);
	fputc('\n', stderr);
}

void sema_warn(Sema *S, Loc loc, const char *fmt, ...)
{
	if (S->quiet)
		return;
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (seen_before(loc, msg))
		return;
	diag_warning(loc, "%s", msg);
}

/* ---- sema data on declarations ---- */

FileInfo *file_info(const StapFile *cf)
{
	StapFile *f = (StapFile *)cf;
	if (!f->sema) {
		FileInfo *fi = ANEW(&g_arena, FileInfo);
		fi->file = f;
		f->sema = fi;
	}
	return f->sema;
}

FuncInfo *func_info(const FuncDecl *cf)
{
	FuncDecl *f = (FuncDecl *)cf;
	if (!f->sema)
		f->sema = ANEW(&g_arena, FuncInfo);
	return f->sema;
}

VarInfo *var_info(VarDecl *v)
{
	if (!v->sema)
		v->sema = ANEW(&g_arena, VarInfo);
	return v->sema;
}

uint32_t loc_use_file(Loc loc)
{
	while (loc.file & LOC_EXPANDED) {
		Loc site;
		loc_written(loc, &site);
		if (!site.file)
			return loc_file(loc) ? loc_file(loc)->id : 0;
		loc = site;
	}
	return loc.file;
}

bool loc_in_user_file(Loc loc)
{
	const SrcFile *f = src_get(loc_use_file(loc));
	return f && !f->is_tapset;
}

const char *point_text(const ProbePoint *pp)
{
	ProbePoint bare = *pp;
	bare.optional = bare.sufficient = false;
	bare.cond = NULL;
	StrBuf b = { 0 };
	unparse_probe_point(&b, &bare);
	char *s = arena_strndup(&g_arena, sb_str(&b), b.len);
	sb_free(&b);
	return s;
}

int pragma_scan(const char *code, uint32_t len)
{
	static const struct { const char *text; int bit; } pragmas[] = {
		{ "/* pure */", PRAGMA_PURE },
		{ "/* unprivileged */", PRAGMA_UNPRIVILEGED },
		{ "/* myproc-unprivileged */", PRAGMA_MYPROC },
		{ "/* guru */", PRAGMA_GURU },
		{ "/* string */", PRAGMA_STRING },
		{ "/* unmangled */", PRAGMA_UNMANGLED },
	};
	int bits = 0;
	if (!code)
		return 0;
	for (size_t k = 0; k < sizeof(pragmas) / sizeof(pragmas[0]); k++) {
		size_t n = strlen(pragmas[k].text);
		for (uint32_t i = 0; i + n <= len; i++)
			if (code[i] == '/' && !memcmp(code + i, pragmas[k].text, n)) {
				bits |= pragmas[k].bit;
				break;
			}
	}
	return bits;
}
