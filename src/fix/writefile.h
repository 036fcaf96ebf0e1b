/* writefile: atomic file replacement and unified diffs.
 *
 * wf_write_atomic() replaces a file's contents so that a reader sees either the old or the new
 * bytes, never a mix: it writes a temporary file in the same folder (mkstemp), gives it the
 * original's mode (and owner, when permitted), fsyncs it and renames it over the original. A
 * symbolic link is followed: its target is replaced and the link stays. On failure the
 * temporary file is removed and the original is untouched.
 *
 * wf_unified_diff() appends the difference between two texts in the unified format of
 * `diff -u` (GNU spelling of hunk ranges, 3 lines of context, "\ No newline at end of file"),
 * with `--- a/PATH` / `+++ b/PATH` headers, comparing lines byte for byte (a line keeps its
 * CRLF). It appends nothing when the texts are equal. Neither function prints. */
#ifndef WRITEFILE_H
#define WRITEFILE_H

#include <stddef.h>

#include "../base/buf.h"

#define WF_CONTEXT 3

/* Returns 0, or -1 with a message (without the path) in err. */
int wf_write_atomic(const char *path, const char *data, size_t len, char *err, size_t errlen);

void wf_unified_diff(Buf *out, const char *path, const char *old_text, size_t old_len,
                     const char *new_text, size_t new_len);

#endif
