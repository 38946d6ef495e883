# Sourced by scripts/xapian-tool, scripts/soak and scripts/bench: the LD_PRELOAD form of the shim's fix for
# Xapian's decompression bug (CXapian/src/inflate_drain.c), for programs that use the system libxapian
# without the shim (xapian-check, delve, quest, the C++ reference programs, Python).
#
#   inflate_drain_library   builds scripts/.bin/libinflate-drain.so when missing or older than its source,
#                           and prints its path

inflate_drain_library() {
    local root source library
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
    source="$root/CXapian/src/inflate_drain.c"
    library="$root/scripts/.bin/libinflate-drain.so"
    if [[ ! -f $library || $source -nt $library ]]; then
        mkdir -p "$(dirname "$library")"
        cc -shared -fPIC -O2 -I"$root/CXapian/include" "$source" -o "$library.tmp" -ldl -lpthread && mv "$library.tmp" "$library" ||
            { echo "cannot build $library (needs cc and zlib1g-dev: run scripts/setup)" >&2; return 1; }
    fi
    printf '%s\n' "$library"
}
