/* Script and tapset files in memory, and positions inside them. */
#ifndef PARSE_SOURCE_H
#define PARSE_SOURCE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct SrcFile {
	uint32_t id;		/* index in the file table; Loc.file refers to it */
	const char *name;	/* as shown in messages: a path or "<input>" */
	const char *text;	/* NUL-terminated */
	uint32_t len;
	uint32_t *line_starts;	/* built on first use */
	uint32_t nlines;
	bool is_tapset;		/* came from the tapset library */
	bool is_macro_lib;	/* a .stpm file: its macros are global */
} SrcFile;

/* A position: a file and a byte offset.  A token that a macro expansion
 * produced has LOC_EXPANDED set in file; the rest indexes an expansion
 * record holding where the token was written and where it was expanded. */
typedef struct Loc {
	uint32_t file;
	uint32_t off;
} Loc;
#define LOC_EXPANDED 0x80000000u

/* Reads a whole file; NULL with errno set when it cannot. */
SrcFile *src_load(const char *path, const char *display_name);
SrcFile *src_from_string(const char *name, const char *text, size_t len);
const SrcFile *src_get(uint32_t id);

Loc loc_expanded(Loc written, Loc site);
/* {record, 0} for tokens written in file and expanded at site: such a
 * token's location is the record with the token's own offset. */
Loc loc_expansion_of_file(uint32_t file, Loc site);
/* How many macro expansions produced a token: 0 for text as written. */
uint32_t loc_expansion_depth(Loc loc);
/* Where a location was written; *site (if not NULL) gets the expansion
 * site, or a zero Loc when the token was not produced by a macro. */
Loc loc_written(Loc loc, Loc *site);
const SrcFile *loc_file(Loc loc);
void loc_line_col(Loc loc, uint32_t *line, uint32_t *col);
/* "file:line:col" into buf. */
const char *loc_str(Loc loc, char *buf, size_t size);
/* The text of a 1-based line, without its newline. */
const char *src_line(const SrcFile *f, uint32_t line, size_t *len);
/* Forgets every file and expansion (their memory is g_arena's). */
void src_reset(void);

#endif
