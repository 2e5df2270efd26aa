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

#if defined(__linux__)
#include <jemalloc/jemalloc.h>
#include <stdio.h>
#include <unistd.h>

/* The kernel backs only whole 2 MB-aligned stretches of a mapping with a huge page, and
 * jemalloc maps the memory it grows an arena by (2 MB, then 2.5, 3, 3.5 MB…) at whatever
 * page the kernel picks: a one-question edit had 12 of its 23 MB in huge pages, the rest
 * faulted in 4 KB at a time (2,200 faults). Asked to align every such mapping to 2 MB,
 * jemalloc's own allocator maps a little more and trims it (`pages_map`): 20 of the 23 MB
 * in huge pages, 1,200 faults (BENCHMARKS.md, issue 14's twenty-seventh steps). */
enum { hugePage = 2 << 20 };

static extent_hooks_t *jemallocHooks;
static extent_hooks_t alignedHooks;

static void *alignedAlloc(extent_hooks_t *hooks, void *address, size_t size, size_t alignment, bool *zero,
                          bool *commit, unsigned arena) {
    (void)hooks;
    if (address == NULL && size >= hugePage && alignment < hugePage) alignment = hugePage;
    return jemallocHooks->alloc(jemallocHooks, address, size, alignment, zero, commit, arena);
}

/* jemalloc's hooks with its `alloc` wrapped, for the arenas of as many threads as there are
 * cores, four at most (a build's threads: each takes an arena of its own). Setting an
 * arena's hooks creates it if it was not yet, and each costs a 2 MB page zeroed for its
 * metadata (0.3 ms here): not all of jemalloc's four per core, nor one per core of a large
 * machine, where an edit keeps a few cores busy. An arena created later keeps jemalloc's
 * own hooks. Runs before `main`: the first 2 MB of arena 0 are mapped by then (the C++
 * runtime's start allocates). */
__attribute__((constructor)) static void alignArenaGrowth(void) {
    size_t length = sizeof(jemallocHooks);
    if (mallctl("arena.0.extent_hooks", &jemallocHooks, &length, NULL, 0) != 0 || jemallocHooks == NULL) return;
    alignedHooks = *jemallocHooks;
    alignedHooks.alloc = alignedAlloc;
    unsigned arenas = 0;
    length = sizeof(arenas);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    if (mallctl("arenas.narenas", &arenas, &length, NULL, 0) != 0 || cores < 1) return;
    extent_hooks_t *hooks = &alignedHooks;
    unsigned hooked = cores < 4 ? (unsigned)cores : 4;
    for (unsigned index = 0; index < arenas && index < hooked; index++) {
        char name[48];
        snprintf(name, sizeof name, "arena.%u.extent_hooks", index);
        mallctl(name, NULL, NULL, &hooks, sizeof(hooks));
    }
}
#endif
