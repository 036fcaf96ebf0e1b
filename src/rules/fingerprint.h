/* fingerprint: a finding's identity that survives line shifts, for baselines.
 *
 * A fingerprint is the FNV-1a 64-bit hash, written as 16 lowercase hex digits, of four fields
 * joined by NUL bytes: the rule code ("SA201"), the file's display path relative to the root
 * ("jobboard/services/jobs.py"), the qualified name of the innermost enclosing function
 * ("JobService.submit", "" at module level) and the normalised snippet: the text of the
 * finding's first line with leading and trailing white space removed and every inner run of
 * spaces and tabs collapsed to one space. Moving code up or down, re-indenting it or editing
 * other lines keeps the fingerprint; editing the flagged line, renaming the function or moving
 * the file changes it. Two identical findings in one function share a fingerprint, so a
 * baseline compares them as a multiset (see plan/baseline.h).
 *
 * Pure functions: no allocation, no state, nothing printed. */
#ifndef FINGERPRINT_H
#define FINGERPRINT_H

#include <stddef.h>
#include <stdint.h>

#include "../base/source.h"

#define FP_HEX_LEN 16

/* The hash of the four fields (snippet already normalised, snippet_len bytes). */
uint64_t fp_hash(const char *code, const char *path, const char *qualname, const char *snippet,
                 size_t snippet_len);
/* Writes the normalised form of text[0..n) into out (which holds at least n bytes); returns
 * its length. */
size_t fp_normalise(const char *text, size_t n, char *out);
/* Writes h as 16 lowercase hex digits and a NUL. */
void fp_hex(uint64_t h, char out[FP_HEX_LEN + 1]);
/* The fingerprint of a finding at 1-based line of src, as hex (qualname may be NULL). */
void finding_fingerprint(const char *code, const char *path, const char *qualname, Source *src,
                         uint32_t line, char out[FP_HEX_LEN + 1]);

#endif
