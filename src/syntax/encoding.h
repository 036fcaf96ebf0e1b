/* encoding: PEP 263 source encodings, decoded to UTF-8 before lexing.
 *
 * enc_decode() looks for a coding cookie ("# -*- coding: latin-1 -*-", "# vim: set
 * fileencoding=cp1252 :") on line 1, or on line 2 when line 1 is blank or a comment, exactly as
 * CPython's tokenizer does (decode_str, get_coding_spec, get_normal_name), and resolves its name
 * as codecs.lookup() would. UTF-8 (every alias, utf-8-sig included) needs no work. latin-1,
 * ascii, cp1252, iso-8859-15, iso-8859-5 and koi8-r are transcoded into a new heap buffer that
 * the caller owns; positions in it are byte offsets of the UTF-8 text, as CPython reports them.
 * Errors copy CPython's messages: "unknown encoding: NAME", "encoding problem: NAME with BOM",
 * and the codecs' decode errors. Python codecs we do not decode (cp1251, utf-16, ...) are
 * refused with "unsupported encoding: NAME". The input is never modified. */
#ifndef ENCODING_H
#define ENCODING_H

#include <stdint.h>

#include "lexer.h"

/* Decodes text[0..len) (NUL-terminated) according to its cookie. Returns 0 with *out NULL when
 * the text is to be read as UTF-8 as it is, 0 with *out a new NUL-terminated heap buffer of
 * *outlen bytes (caller frees) when it was transcoded, or -1 with err filled (span into text). */
int enc_decode(const char *text, uint32_t len, char **out, uint32_t *outlen, LexError *err);
/* enc_decode() on src's text; a transcoded text replaces it (source_replace_text). Returns 1
 * when src was transcoded, 0 when it was left as it is, -1 with err filled. */
int enc_decode_source(Source *src, LexError *err);

#endif
