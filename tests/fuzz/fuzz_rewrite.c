/* fuzz_rewrite: any bytes through fix_text() with unsafe fixes on. fix_text must not have to
 * drop its own edits; when the text changes, the new text must parse and a second fix must
 * change nothing. */
#include "fuzz.h"

#include "fix/fixer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_INPUT) return 0;
    FixOptions o = {.unsafe_fixes = true};
    FixResult r;
    fix_result_init(&r);
    int first = fix_text("fuzz.py", (const char *)data, (uint32_t)size, &o, &r);
    /* -1: the fixer made edits it then had to drop (its own output would not parse, or edits
     * overlapped): the file is left alone, but that is a fixer bug to find */
    fuzz_check(first < 0 ? "fix_text dropped its own edits" : NULL);
    if (first == 0 && r.changed) {
        FixResult again;
        fix_result_init(&again);
        int rc = fix_text("fuzz.py", r.text.data, (uint32_t)r.text.len, &o, &again);
        fuzz_check(rc == 1 ? "the rewritten text does not parse" : NULL);
        fuzz_check(again.changed ? "a second fix changes the rewritten text" : NULL);
        fix_result_free(&again);
    }
    fix_result_free(&r);
    return 0;
}
