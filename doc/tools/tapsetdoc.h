/* tapsetdoc: the tapset reference generator and doc-comment check.
 *
 * tapsetdoc reads tapset files with the translator's own lexer, finds each
 * function and probe alias with the doc comment right before it, checks
 * the comment against the declaration (doc/tapset-doc.md is the format),
 * and writes one man page per documented name plus one text page with
 * all of them.  Any error means no output and exit status 1. */
#ifndef DOC_TOOLS_TAPSETDOC_H
#define DOC_TOOLS_TAPSETDOC_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum { RT_KERNEL = 1, RT_PTRACE = 2, RT_BOTH = 3 };

typedef enum DeclKind { DK_FUNCTION, DK_PROBE } DeclKind;

typedef struct Param {
	char *name;
	char *type;		/* "long", "string", or NULL when not declared */
} Param;

/* One function or probe alias declaration, as written in a tapset file. */
typedef struct Decl {
	DeclKind kind;
	const char *file;	/* path as shown in messages */
	unsigned line;		/* of the 'function' or 'probe' keyword */
	unsigned order;		/* discovery order over all files */
	char **names;		/* a function has one; an alias one or more */
	int nnames;
	char *ret_type;		/* function: declared return type or NULL */
	Param *params;
	int nparams;
	char **assigned;	/* alias: names its bodies assign */
	int nassigned;
	bool internal;		/* private, or the name starts with '_' */
	char *doc;		/* the doc comment's text between / ** and * /, or NULL */
	unsigned doc_line;	/* line the doc comment starts on */
	unsigned runtimes;	/* RT_* bits the file's folder allows */
	const char *arch;	/* the file's architecture folder, or NULL */
	struct Doc *parsed;	/* the checked comment */
} Decl;

/* Description text: paragraphs, verbatim (example) blocks and list items. */
typedef enum BlockKind { BK_PARA, BK_VERBATIM, BK_ITEM } BlockKind;

typedef struct Block {
	BlockKind kind;
	char *text;		/* paragraphs and items: words joined by single
				   spaces; verbatim: lines joined by '\n' */
	unsigned line;		/* where it starts, for messages */
} Block;

typedef struct DocArg {
	char *name;
	char *text;
	unsigned line;
} DocArg;

typedef struct Doc {
	char *summary;
	DocArg *args;
	int nargs;
	Block *returns;		/* NULL when absent */
	int nreturns;
	char *since;
	char **see;		/* "function::x", "probe::y", "stap(1)" ... */
	int nsee;
	unsigned see_line;
	Block *desc;
	int ndesc;
} Doc;

/* A list that grows. */
typedef struct Vec {
	void **v;
	int n, cap;
} Vec;
void vec_add(Vec *vec, void *p);
/* Keeps p reachable until exit (so leak checkers stay quiet about data
 * that lives as long as the run anyway). */
void td_keep(void *p);

/* ---- errors (tapsetdoc.c) ---- */
__attribute__((format(printf, 3, 4)))
void td_error(const char *file, unsigned line, const char *fmt, ...);
char *td_strdup(const char *s);
char *td_strndup(const char *s, size_t n);
__attribute__((format(printf, 1, 2)))
char *td_printf(const char *fmt, ...);

/* ---- td_scan.c ---- */
/* Appends to decls (Decl *) every function and alias declared in path,
 * and reports doc comments that document nothing (and what the lexer
 * finds wrong) as errors.  Returns false when the file cannot be read. */
bool td_scan_file(const char *path, unsigned runtimes, const char *arch, Vec *decls);

/* ---- td_comment.c ---- */
/* Parses and checks d->doc against the declaration; NULL after errors. */
struct Doc *td_parse_doc(const Decl *d, const char *version);
/* Whether dotted version a is not later than b ("0.9" <= "0.10"). */
bool td_version_le(const char *a, const char *b);

/* ---- pages (td_page.c): one per documented name ---- */
typedef struct Page {
	DeclKind kind;
	char *name;		/* "pid", "syscall.open" */
	char *title;		/* "function::pid", "probe::syscall.open" */
	Vec defs;		/* Decl *, in variant order */
	Vec variants;		/* Variant *, see td_page.c */
	char **see;		/* merged See also references */
	int nsee;
	char **others;		/* other names of the same alias */
	int nothers;
} Page;

typedef struct Variant {
	const Decl *decl;	/* the first definition of this variant */
	char *synopsis;		/* "pid:long()" or "syscall.open" */
	unsigned runtimes;
	char *arch;		/* NULL: any architecture */
} Variant;

/* Groups checked declarations into pages, sorted by title.  Reports
 * definitions of one name whose summaries or argument texts differ. */
void td_build_pages(Vec *decls, Vec *pages);
/* Checks the See also references of every declaration: function::NAME
 * and probe::NAME must name public declarations. */
void td_check_refs(const Vec *decls);

/* ---- output ---- */
void td_write_man(FILE *out, const Page *pg, const char *version);
void td_write_text(FILE *out, Vec *pages, const char *version);
/* "kernel and ptrace runtimes" and the like, malloc'ed; shared by both
 * writers. */
char *td_runtimes_text(unsigned rt, const char *arch);

#endif
