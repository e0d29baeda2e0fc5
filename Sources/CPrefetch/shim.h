#ifndef NNPLAY_CPREFETCH_H
#define NNPLAY_CPREFETCH_H

// A hint that memory will be read soon (compiles to the CPU's prefetch instruction, or to nothing
// where there is none). Swift has no way to say this itself.
static inline void nnplay_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
