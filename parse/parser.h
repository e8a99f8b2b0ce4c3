/* Recursive-descent parser for the SystemTap language (pass 1). */
#ifndef PARSE_PARSER_H
#define PARSE_PARSER_H
#include "parse/ast.h"
#include "parse/preproc.h"

typedef struct ParseOptions {
	const PPContext *ctx;
	bool privileged;	/* embedded C allowed: tapset files, stap -g */
} ParseOptions;

/* Parses one file.  Errors are reported through diag; the result holds
 * whatever parsed cleanly, so callers check diag_error_count(). */
StapFile *parse_file(const SrcFile *src, const ParseOptions *opts);

/* The deepest nesting of statements and expressions the parser accepts,
 * counting each operator of a chain like "a + b + c" as a level (its tree
 * is as deep as it is long): deeper input is an error, never a stack
 * overflow here or in a later pass that walks the tree. */
enum { PARSE_MAX_DEPTH = 1000 };

#endif
