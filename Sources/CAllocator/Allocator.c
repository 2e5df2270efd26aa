#include "CAllocator.h"

/* jemalloc's settings for quizdoc's programs, which jemalloc reads as it starts: this
 * definition takes the place of its own (empty) `malloc_conf`; MALLOC_CONF in the
 * environment still applies on top of it.
 *
 * thp:always: jemalloc asks the kernel for transparent huge pages (MADV_HUGEPAGE) for the
 * memory it maps. A build touches tens of megabytes once (a one-question edit of a
 * 1,000-phase course: 8,200 page faults of 4 KB, a tenth of its CPU time in the kernel);
 * in 2 MB pages, a third of the faults, and the edit 6 ms faster (BENCHMARKS.md). Where
 * the kernel gives no huge pages, nothing changes. */
const char *malloc_conf = "thp:always,metadata_thp:auto";
