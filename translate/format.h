/* printf-style format strings of the print family: parsed once in pass 2
 * to check arguments, and again by pass 3 to emit the formatting calls. */
#ifndef TRANSLATE_FORMAT_H
#define TRANSLATE_FORMAT_H
#include "parse/ast.h"
#include <stddef.h>

typedef enum FmtConv {
	FMT_LITERAL,	/* text, with "%%" already turned into "%" */
	FMT_STRING,	/* %s */
	FMT_SIGNED,	/* %d %i */
	FMT_UNSIGNED,	/* %u */
	FMT_OCTAL,	/* %o */
	FMT_HEX,	/* %x */
	FMT_HEX_UPPER,	/* %X */
	FMT_CHAR,	/* %c */
	FMT_POINTER,	/* %p */
	FMT_BINARY,	/* %b: the value's bytes */
	FMT_MEMORY,	/* %m: memory at an address, precision bytes */
	FMT_MEMORY_HEX,	/* %M: the same as hex */
} FmtConv;

enum FmtFlags { FMT_LEFT = 1, FMT_PLUS = 2, FMT_SPACE = 4, FMT_ALT = 8, FMT_ZERO = 16 };

typedef struct FmtPiece {
	FmtConv conv;
	int flags;
	int width;		/* -1: none; with width_arg, taken from an argument */
	int precision;		/* -1: none */
	bool width_arg, precision_arg;
	const char *text;	/* FMT_LITERAL */
	size_t len;
} FmtPiece;

/* Parses fmt; returns the number of pieces (into a malloc'd *out), or -1
 * with *err set to a message and *err_off to the offending byte. */
int format_parse(const char *fmt, size_t len, FmtPiece **out, const char **err, size_t *err_off);

/* The type of the argument a piece converts (TY_UNKNOWN for literals). */
Type format_arg_type(const FmtPiece *p);

#endif
