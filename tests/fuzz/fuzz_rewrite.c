/* fuzz_rewrite: any bytes through fix_text() with unsafe fixes on. When the text changes, the
 * new text must parse and a second fix must change nothing. */
#include "fuzz.h"

#include "fix/fixer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_INPUT) return 0;
    FixOptions o = {.unsafe_fixes = true};
    FixResult r;
    fix_result_init(&r);
    if (fix_text("fuzz.py", (const char *)data, (uint32_t)size, &o, &r) == 0 && r.changed) {
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
