/* timing: phase times on stderr (see the header). */
#include "timing.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void tm_phase(const char *name)
{
    static int enabled = -1;
    static double last;
    if (enabled < 0) {
        enabled = getenv("SQLASYNC_TIMINGS") != NULL;
        last = now_ms();
    }
    if (!enabled) return;
    double t = now_ms();
    fprintf(stderr, "timing: %-24s %8.1f ms\n", name, t - last);
    last = now_ms();
}
