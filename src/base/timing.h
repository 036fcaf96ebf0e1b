/* timing: wall-clock time of the pipeline's phases, printed to stderr when the environment
 * variable SQLASYNC_TIMINGS is set (a developer aid; see docs/building.md). Main thread only. */
#ifndef SQLASYNC_BASE_TIMING_H
#define SQLASYNC_BASE_TIMING_H

/* Prints the time since the previous call (or since the first call) labelled NAME. */
void tm_phase(const char *name);

#endif
