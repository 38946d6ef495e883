// Shared plumbing of the shim: the handle structs and the exception fence.
#pragma once

#include "CXapian.h"

#include <xapian.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <utility>
#include <vector>

struct qx_error {
    std::string cls;
    std::string message;
};

struct qx_database {
    // A WritableDatabase when writable: it derives from Database, so reads go through `db`.
    Xapian::Database *db;
    bool writable;
    Xapian::WritableDatabase &w() { return *static_cast<Xapian::WritableDatabase *>(db); }
};

struct qx_document { Xapian::Document doc; };
struct qx_stem {
    Xapian::Stem stem;
    // Tells stemmers apart for the snippet's per-thread stem cache (enquire.cpp), even at a reused address.
    uint64_t id = next_id();
    // Snowball's English stemmers only ever change a word's ending, so a word's stem starts with its first
    // letter: the snippet need not stem words no query stem starts with.
    bool keeps_initial = is_english(stem);
    static bool is_english(const Xapian::Stem &s) {
        std::string d = s.get_description();
        return d == "Xapian::Stem(english)" || d == "Xapian::Stem(porter)" || d == "Xapian::Stem(earlyenglish)";
    }
    static uint64_t next_id() {
        static std::atomic<uint64_t> counter{0};
        return ++counter;
    }
};
struct qx_stopper { Xapian::SimpleStopper *stopper; };
struct qx_termgen { Xapian::TermGenerator tg; };
struct qx_query { Xapian::Query q; };
struct qx_queryparser { Xapian::QueryParser qp; };
struct qx_enquire { Xapian::Enquire enq; };
struct qx_mset {
    Xapian::MSet mset;
    // The query the MSet answers, for the snippet's stemmer filter (enquire.cpp): MSet does not expose it.
    Xapian::Query query;
    // First bytes of the query's stemmed (Z) terms, worked out on the first snippet; empty until then.
    std::string stem_initials;
    bool stem_initials_known = false;
};
struct qx_matchspy { Xapian::ValueCountMatchSpy *spy; };

struct qx_list_item {
    std::string bytes;
    uint64_t number;
    double weight;
};
struct qx_list { std::vector<qx_list_item> items; };

namespace qx {

inline std::string str(const char *p, size_t n) { return n ? std::string(p, n) : std::string(); }

inline void set_error(qx_error **err, const char *cls, const std::string &message) {
    if (!err) return;
    try {
        *err = new qx_error{cls, message};
    } catch (...) {
        *err = nullptr;  // out of memory while reporting: the non-zero return still tells the caller
    }
}

inline void put_string(qx_string *out, const std::string &s) {
    out->len = s.size();
    out->data = static_cast<char *>(std::malloc(s.size() + 1));
    if (!out->data) throw std::bad_alloc();
    std::memcpy(out->data, s.data(), s.size());
    out->data[s.size()] = '\0';
}

// The fence: runs body, turns anything thrown into an error value. Returns 0 on success.
template <typename F>
inline int guard(qx_error **err, F &&body) {
    try {
        body();
        return 0;
    } catch (const Xapian::Error &e) {
        if (e.get_msg().empty()) {
            set_error(err, e.get_type(), e.get_description());
        } else if (const char *system = e.get_error_string()) {
            // The system error (errno) is the useful part of "Error writing block 81": keep it.
            set_error(err, e.get_type(), e.get_msg() + " (" + system + ")");
        } else {
            set_error(err, e.get_type(), e.get_msg());
        }
    } catch (const std::bad_alloc &) {
        set_error(err, "MemoryError", "out of memory");
    } catch (const std::exception &e) {
        set_error(err, "StdException", e.what());
    } catch (...) {
        set_error(err, "UnknownError", "unknown C++ exception");
    }
    return 1;
}

inline void require_writable(qx_database *db) {
    if (!db->writable) throw Xapian::InvalidOperationError("database is open read-only");
}

}  // namespace qx
