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

#endif
