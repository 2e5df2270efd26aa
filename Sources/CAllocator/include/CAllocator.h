#ifndef QUIZDOC_CALLOCATOR_H
#define QUIZDOC_CALLOCATOR_H

/// jemalloc's settings for quizdoc's programs (see Allocator.c).
extern const char *malloc_conf;

#endif
