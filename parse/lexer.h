/* Turns a source file into tokens.  Comments vanish here; script arguments
 * ($1, @1, $#, @#) come out as identifiers for the preprocessor to replace. */
#ifndef PARSE_LEXER_H
#define PARSE_LEXER_H
#include "parse/token.h"
#include <stdbool.h>

typedef struct Lexer {
	const SrcFile *file;
	const char *p, *end;
	/* An unterminated string, comment or %{ took the rest of the file:
	 * the end of input that follows is no news to the user. */
	bool truncated;
} Lexer;

void lexer_init(Lexer *lx, const SrcFile *file);
/* Fills *t with the next token; TK_EOF at the end.  Malformed input is
 * reported as a parse error and lexing goes on after it. */
void lex_next(Lexer *lx, Token *t);

/* A malformed number or escape is marked in its token's op (numbers and
 * strings have no other use for it) and reported when the token is used. */
enum { TOK_BAD_NUMBER = 1, TOK_NUMBER_RANGE, TOK_BAD_ESCAPE };
static inline bool tok_is_bad(const Token *t)
{
	return (t->kind == TK_NUMBER || t->kind == TK_STRING) && t->op;
}
void lex_report_bad(Token *t);

#endif
