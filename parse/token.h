/* Tokens of the SystemTap language. */
#ifndef PARSE_TOKEN_H
#define PARSE_TOKEN_H
#include "parse/source.h"
#include <stdint.h>

typedef enum TokKind {
	TK_EOF,
	TK_IDENT,	/* name, $name, $$name, @name: str is interned */
	TK_KEYWORD,	/* op holds the KW_ code */
	TK_NUMBER,	/* num holds the value (wrapped to 64 bits) */
	TK_STRING,	/* str/slen hold the decoded bytes */
	TK_OP,		/* op holds the OP_ code */
	TK_EMBEDDED,	/* %{ ... %}: str/slen hold the code between */
	TK_JUNK,	/* a character that starts no token */
} TokKind;

/* Operators, longest spellings first within each group of equal prefixes. */
#define OPERATORS(X) \
	X(OP_SHL_ASSIGN, "<<=") X(OP_STAT_ASSIGN, "<<<") X(OP_SHR_ASSIGN, ">>=") \
	X(OP_USHR, ">>>") \
	X(OP_EQ, "==") X(OP_NE, "!=") X(OP_LE, "<=") X(OP_GE, ">=") \
	X(OP_ANDAND, "&&") X(OP_OROR, "||") X(OP_INC, "++") X(OP_DEC, "--") \
	X(OP_ADD_ASSIGN, "+=") X(OP_SUB_ASSIGN, "-=") X(OP_MUL_ASSIGN, "*=") \
	X(OP_DIV_ASSIGN, "/=") X(OP_MOD_ASSIGN, "%=") X(OP_AND_ASSIGN, "&=") \
	X(OP_XOR_ASSIGN, "^=") X(OP_OR_ASSIGN, "|=") X(OP_CAT_ASSIGN, ".=") \
	X(OP_SHL, "<<") X(OP_SHR, ">>") X(OP_ARROW, "->") X(OP_MATCH, "=~") \
	X(OP_NOMATCH, "!~") X(OP_PP_IF, "%(") X(OP_PP_THEN, "%?") \
	X(OP_PP_ELSE, "%:") X(OP_PP_END, "%)") X(OP_STARSTAR, "**") \
	X(OP_PLUS, "+") X(OP_MINUS, "-") X(OP_STAR, "*") X(OP_SLASH, "/") \
	X(OP_PERCENT, "%") X(OP_NOT, "!") X(OP_TILDE, "~") X(OP_AMP, "&") \
	X(OP_PIPE, "|") X(OP_CARET, "^") X(OP_LT, "<") X(OP_GT, ">") \
	X(OP_ASSIGN, "=") X(OP_QUESTION, "?") X(OP_COLON, ":") \
	X(OP_SEMI, ";") X(OP_COMMA, ",") X(OP_DOT, ".") X(OP_LPAREN, "(") \
	X(OP_RPAREN, ")") X(OP_LBRACKET, "[") X(OP_RBRACKET, "]") \
	X(OP_LBRACE, "{") X(OP_RBRACE, "}")

#define KEYWORDS(X) \
	X(KW_PROBE, "probe") X(KW_GLOBAL, "global") X(KW_FUNCTION, "function") \
	X(KW_PRIVATE, "private") X(KW_IF, "if") X(KW_ELSE, "else") \
	X(KW_FOR, "for") X(KW_FOREACH, "foreach") X(KW_IN, "in") \
	X(KW_LIMIT, "limit") X(KW_WHILE, "while") X(KW_BREAK, "break") \
	X(KW_CONTINUE, "continue") X(KW_RETURN, "return") X(KW_NEXT, "next") \
	X(KW_DELETE, "delete") X(KW_TRY, "try") X(KW_CATCH, "catch") \
	X(KW_STRING, "string") X(KW_LONG, "long")

#define X_ENUM(name, text) name,
typedef enum OpCode { OP_NONE, OPERATORS(X_ENUM) OP_COUNT } OpCode;
typedef enum KwCode { KW_NONE, KEYWORDS(X_ENUM) KW_COUNT } KwCode;
#undef X_ENUM

extern const char *const op_text[OP_COUNT];
extern const char *const kw_text[KW_COUNT];

typedef struct Token {
	uint8_t kind;		/* TokKind */
	uint8_t op;		/* OpCode or KwCode */
	uint32_t len;		/* length of the spelling in the source */
	uint32_t slen;		/* length of str */
	const char *str;
	uint64_t num;
	Loc loc;
} Token;

static inline int tok_is_op(const Token *t, OpCode op)
{
	return t->kind == TK_OP && t->op == op;
}

static inline int tok_is_kw(const Token *t, KwCode kw)
{
	return t->kind == TK_KEYWORD && t->op == kw;
}

/* A short description for messages: "operator '+'", "identifier 'x'". */
const char *tok_describe(const Token *t, char *buf, size_t size);

#endif
