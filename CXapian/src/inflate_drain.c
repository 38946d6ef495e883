// Works around a bug in Xapian's glass backend (1.4.22, still present upstream in 1.4.30 and 2.x):
// CompressionStream::decompress_chunk() calls zlib's inflate() into an 8 KiB buffer and stops at
// "input used up" without checking whether that buffer came back full. When a compressed item's last
// chunk decompresses to exactly fill the buffer, zlib still holds the end of the stream (the end-of-block
// code, or pending bytes), the loop stops, and the read fails with "Too few chunks of compressed data"
// (DatabaseCorruptError). The bytes on disk are sound; only the reading is wrong. The spelling table,
// whose word lists grow by one word per commit and are read back at each commit, meets the case within
// a few hundred commits; large document data and term lists can meet it too.
//
// The fix lives here, not in a patched Xapian: this file defines inflate() itself. The executables that
// link the shim export it, the dynamic linker binds libxapian's calls to it, and it forwards to zlib's
// own inflate(). For calls made from libxapian's code only, in exactly the failing state (Z_OK, input
// used up, output buffer full), it makes the input look one byte long, pointing at a marker, so Xapian's
// loop asks once more; on that call the marker is taken away again and zlib drains what it held back.
// A drain that finds nothing returns Z_OK with no input left, which Xapian reads as "the next chunk is
// needed": the same as before. zlib never reads the marker byte, and its totals stay exact. Every other
// caller of inflate() in the process gets zlib's inflate() untouched.
//
// The same file builds as an LD_PRELOAD library (scripts/xapian-tool) so that Xapian's own tools
// (xapian-check, delve, quest) read such a database too.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <pthread.h>
#include <string.h>
#include <zlib.h>

#include "CXapian.h"

typedef int (*inflate_function)(z_streamp, int);

// Resolved once, under pthread_once, before any use.
static struct {
    inflate_function zlib_inflate;
    uintptr_t xapian_code_start, xapian_code_end;  // libxapian's executable segment
} resolved;
static pthread_once_t resolved_once = PTHREAD_ONCE_INIT;

static int find_xapian_code(struct dl_phdr_info *info, size_t size, void *unused) {
    (void)size, (void)unused;
    if (!info->dlpi_name || !strstr(info->dlpi_name, "/libxapian.so")) return 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *segment = &info->dlpi_phdr[i];
        if (segment->p_type == PT_LOAD && (segment->p_flags & PF_X)) {
            resolved.xapian_code_start = info->dlpi_addr + segment->p_vaddr;
            resolved.xapian_code_end = resolved.xapian_code_start + segment->p_memsz;
            return 1;
        }
    }
    return 0;
}

static void resolve_once(void) {
    resolved.zlib_inflate = (inflate_function)dlsym(RTLD_NEXT, "inflate");
    if (!resolved.zlib_inflate) {
        // zlib loaded later with dlopen(RTLD_LOCAL) (a Python extension, for one) is not in the global scope.
        void *zlib = dlopen("libz.so.1", RTLD_LAZY);
        if (zlib) resolved.zlib_inflate = (inflate_function)dlsym(zlib, "inflate");
    }
    dl_iterate_phdr(find_xapian_code, NULL);
}

static void resolve(void) {
    pthread_once(&resolved_once, resolve_once);
}

static const Bytef drain_marker = 0;
static unsigned long drains;  // times the failing state was met: tests check that they reach it

static int called_from_xapian(const void *return_address) {
    uintptr_t address = (uintptr_t)return_address;
    return address >= resolved.xapian_code_start && address < resolved.xapian_code_end;
}

int inflate(z_streamp stream, int flush) {
    resolve();
    if (!resolved.zlib_inflate) return Z_STREAM_ERROR;
    if (!called_from_xapian(__builtin_return_address(0))) return resolved.zlib_inflate(stream, flush);

    int draining = stream->next_in == &drain_marker && stream->avail_in == 1;
    if (draining) stream->avail_in = 0;
    int result = resolved.zlib_inflate(stream, flush);
    if (draining && result == Z_BUF_ERROR) result = Z_OK;  // nothing was held back
    if (result == Z_OK && stream->avail_in == 0 && stream->avail_out == 0) {
        stream->next_in = (Bytef *)&drain_marker;
        stream->avail_in = 1;
        __atomic_add_fetch(&drains, 1, __ATOMIC_RELAXED);
    }
    return result;
}

int qx_inflate_drain_installed(void) {
    resolve();
    // Xapian's calls reach the function above (it comes first in the lookup order) and it knows them.
    return dlsym(RTLD_DEFAULT, "inflate") == (void *)&inflate && resolved.xapian_code_end != 0;
}

unsigned long qx_inflate_drain_count(void) {
    return __atomic_load_n(&drains, __ATOMIC_RELAXED);
}
