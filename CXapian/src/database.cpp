// Databases: opening, statistics, iteration, writing.
#include "internal.hpp"

#include <sstream>

using qx::guard;
using qx::str;

extern "C" {

int qx_database_open(const char *path, size_t path_len, qx_database **out, qx_error **err) {
    *out = nullptr;
    return guard(err, [&] {
        auto *db = new Xapian::Database(str(path, path_len));
        *out = new qx_database{db, false};
    });
}

int qx_database_open_remote_tcp(const char *host, size_t host_len, unsigned port, unsigned timeout_ms,
                                 unsigned connect_timeout_ms, qx_database **out, qx_error **err) {
    *out = nullptr;
    return guard(err, [&] {
        auto db = Xapian::Remote::open(str(host, host_len), port, timeout_ms, connect_timeout_ms);
        *out = new qx_database{new Xapian::Database(db), false};
    });
}

int qx_database_open_remote_program(const char *program, size_t program_len, const char *args, size_t args_len,
                                     unsigned timeout_ms, qx_database **out, qx_error **err) {
    *out = nullptr;
    return guard(err, [&] {
        auto db = Xapian::Remote::open(str(program, program_len), str(args, args_len), timeout_ms);
        *out = new qx_database{new Xapian::Database(db), false};
    });
}

int qx_database_open_writable(const char *path, size_t path_len, int flags, qx_database **out, qx_error **err) {
    *out = nullptr;
    return guard(err, [&] {
        auto *db = new Xapian::WritableDatabase(str(path, path_len), flags);
        *out = new qx_database{db, true};
    });
}

void qx_database_free(qx_database *db) {
    if (!db) return;
    try {
        // Deleting a WritableDatabase commits pending changes and may throw: never let that escape.
        if (db->writable)
            delete static_cast<Xapian::WritableDatabase *>(db->db);
        else
            delete db->db;
    } catch (...) {
    }
    delete db;
}

int qx_database_is_writable(const qx_database *db) { return db->writable ? 1 : 0; }

int qx_database_reopen(qx_database *db, int *changed, qx_error **err) {
    return guard(err, [&] { *changed = db->db->reopen() ? 1 : 0; });
}

int qx_database_add_database(qx_database *db, qx_database *shard, qx_error **err) {
    return guard(err, [&] {
        if (db->writable) throw Xapian::InvalidOperationError("shards are combined into a read-only database");
        db->db->add_database(*shard->db);
    });
}

int qx_database_close(qx_database *db, qx_error **err) {
    return guard(err, [&] { db->db->close(); });
}

int qx_database_doccount(qx_database *db, uint32_t *out, qx_error **err) {
    return guard(err, [&] { *out = db->db->get_doccount(); });
}

int qx_database_lastdocid(qx_database *db, qx_docid *out, qx_error **err) {
    return guard(err, [&] { *out = db->db->get_lastdocid(); });
}

int qx_database_avlength(qx_database *db, double *out, qx_error **err) {
    return guard(err, [&] { *out = db->db->get_avlength(); });
}

int qx_database_total_length(qx_database *db, uint64_t *out, qx_error **err) {
    return guard(err, [&] { *out = db->db->get_total_length(); });
}

int qx_database_revision(qx_database *db, uint64_t *out, qx_error **err) {
    return guard(err, [&] { *out = db->db->get_revision(); });
}

int qx_database_uuid(qx_database *db, qx_string *out, qx_error **err) {
    return guard(err, [&] { qx::put_string(out, db->db->get_uuid()); });
}

int qx_database_has_positions(qx_database *db, int *out, qx_error **err) {
    return guard(err, [&] { *out = db->db->has_positions() ? 1 : 0; });
}

int qx_database_termfreq(qx_database *db, const char *term, size_t len, uint32_t *out, qx_error **err) {
    return guard(err, [&] { *out = db->db->get_termfreq(str(term, len)); });
}

int qx_database_spelling_freq(qx_database *db, const char *word, size_t len, uint32_t *out, qx_error **err) {
    // Xapian 1.4 has no lookup of one word's spelling frequency: seek the word list to it instead.
    return guard(err, [&] {
        const std::string target = str(word, len);
        Xapian::TermIterator it = db->db->spellings_begin();
        it.skip_to(target);
        *out = (it != db->db->spellings_end() && *it == target) ? it.get_termfreq() : 0;
    });
}

int qx_database_value_freq(qx_database *db, uint32_t slot, uint32_t *out, qx_error **err) {
    return guard(err, [&] { *out = db->db->get_value_freq(slot); });
}

int qx_database_collection_freq(qx_database *db, const char *term, size_t len, uint64_t *out, qx_error **err) {
    return guard(err, [&] { *out = db->db->get_collection_freq(str(term, len)); });
}

int qx_database_doclength(qx_database *db, qx_docid docid, uint32_t *out, qx_error **err) {
    return guard(err, [&] { *out = db->db->get_doclength(docid); });
}

int qx_database_metadata(qx_database *db, const char *key, size_t key_len, qx_string *out, qx_error **err) {
    return guard(err, [&] { qx::put_string(out, db->db->get_metadata(str(key, key_len))); });
}

int qx_database_document(qx_database *db, qx_docid docid, qx_document **out, qx_error **err) {
    *out = nullptr;
    return guard(err, [&] { *out = new qx_document{db->db->get_document(docid)}; });
}

int qx_database_first_posting(qx_database *db, const char *term, size_t len, qx_docid *out, qx_error **err) {
    return guard(err, [&] {
        Xapian::PostingIterator it = db->db->postlist_begin(str(term, len));
        *out = it == db->db->postlist_end(str(term, len)) ? 0 : *it;
    });
}

int qx_database_postlist(qx_database *db, const char *term, size_t len, qx_list **out, qx_error **err) {
    *out = nullptr;
    return guard(err, [&] {
        auto list = new qx_list;
        try {
            const std::string t = str(term, len);
            for (auto it = db->db->postlist_begin(t); it != db->db->postlist_end(t); ++it)
                list->items.push_back({std::string(), *it, 0.0});
        } catch (...) {
            delete list;
            throw;
        }
        *out = list;
    });
}

int qx_database_allterms(qx_database *db, const char *prefix, size_t len, qx_list **out, qx_error **err) {
    *out = nullptr;
    return guard(err, [&] {
        auto list = new qx_list;
        try {
            const std::string p = str(prefix, len);
            for (auto it = db->db->allterms_begin(p); it != db->db->allterms_end(p); ++it)
                list->items.push_back({*it, it.get_termfreq(), 0.0});
        } catch (...) {
            delete list;
            throw;
        }
        *out = list;
    });
}

int qx_database_valuestream(qx_database *db, qx_slot slot, qx_list **out, qx_error **err) {
    *out = nullptr;
    return guard(err, [&] {
        auto list = new qx_list;
        try {
            for (auto it = db->db->valuestream_begin(slot); it != db->db->valuestream_end(slot); ++it)
                list->items.push_back({*it, it.get_docid(), 0.0});
        } catch (...) {
            delete list;
            throw;
        }
        *out = list;
    });
}

int qx_database_termlist(qx_database *db, qx_docid docid, qx_list **out, qx_error **err) {
    *out = nullptr;
    return guard(err, [&] {
        auto list = new qx_list;
        try {
            for (auto it = db->db->termlist_begin(docid); it != db->db->termlist_end(docid); ++it)
                list->items.push_back({*it, it.get_wdf(), 0.0});
        } catch (...) {
            delete list;
            throw;
        }
        *out = list;
    });
}

int qx_database_positionlist(qx_database *db, qx_docid docid, const char *term, size_t len, qx_list **out,
                             qx_error **err) {
    *out = nullptr;
    return guard(err, [&] {
        auto list = new qx_list;
        try {
            const std::string t = str(term, len);
            for (auto it = db->db->positionlist_begin(docid, t); it != db->db->positionlist_end(docid, t); ++it)
                list->items.push_back({std::string(), *it, 0.0});
        } catch (...) {
            delete list;
            throw;
        }
        *out = list;
    });
}

int qx_database_document_positions(qx_database *db, qx_docid docid, qx_list **out, qx_error **err) {
    *out = nullptr;
    return guard(err, [&] {
        auto list = new qx_list;
        try {
            for (auto t = db->db->termlist_begin(docid); t != db->db->termlist_end(docid); ++t)
                for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p)
                    list->items.push_back({*t, *p, 0.0});
        } catch (...) {
            delete list;
            throw;
        }
        *out = list;
    });
}

int qx_database_metadata_keys(qx_database *db, const char *prefix, size_t len, qx_list **out, qx_error **err) {
    *out = nullptr;
    return guard(err, [&] {
        auto list = new qx_list;
        try {
            const std::string p = str(prefix, len);
            for (auto it = db->db->metadata_keys_begin(p); it != db->db->metadata_keys_end(p); ++it)
                list->items.push_back({*it, 0, 0.0});
        } catch (...) {
            delete list;
            throw;
        }
        *out = list;
    });
}

int qx_database_spellings(qx_database *db, qx_list **out, qx_error **err) {
    *out = nullptr;
    return guard(err, [&] {
        auto list = new qx_list;
        try {
            for (auto it = db->db->spellings_begin(); it != db->db->spellings_end(); ++it)
                list->items.push_back({*it, it.get_termfreq(), 0.0});
        } catch (...) {
            delete list;
            throw;
        }
        *out = list;
    });
}

int qx_database_spelling_suggestion(qx_database *db, const char *word, size_t len, unsigned max_edit_distance,
                                    qx_string *out, qx_error **err) {
    return guard(err, [&] {
        qx::put_string(out, db->db->get_spelling_suggestion(str(word, len), max_edit_distance));
    });
}

int qx_database_check(const char *path, size_t path_len, size_t *errors, qx_string *report, qx_error **err) {
    return guard(err, [&] {
        std::ostringstream os;
        *errors = Xapian::Database::check(str(path, path_len), Xapian::DBCHECK_SHOW_STATS, &os);
        qx::put_string(report, os.str());
    });
}

namespace {
// Reports each table's progress, and stops the compaction when the callback says so.
struct StatusCompactor : Xapian::Compactor {
    qx_compact_status_fn fn;
    void *context;

    StatusCompactor(qx_compact_status_fn fn, void *context) : fn(fn), context(context) {}

    void set_status(const std::string &table, const std::string &status) override {
        if (fn && fn(context, table.data(), table.size(), status.data(), status.size()) != 0)
            throw Xapian::DatabaseError("compaction cancelled");
    }
};
}  // namespace

int qx_database_compact_flags(qx_database *db, const char *dest, size_t dest_len, unsigned flags, int block_size,
                              qx_compact_status_fn status, void *context, qx_error **err) {
    return guard(err, [&] {
        StatusCompactor compactor(status, context);
        db->db->compact(str(dest, dest_len), flags, block_size, compactor);
    });
}

int qx_database_add_document(qx_database *db, qx_document *doc, qx_docid *out, qx_error **err) {
    return guard(err, [&] {
        qx::require_writable(db);
        *out = db->w().add_document(doc->doc);
    });
}

int qx_database_replace_document_by_term(qx_database *db, const char *unique_term, size_t len, qx_document *doc,
                                         qx_docid *out, qx_error **err) {
    return guard(err, [&] {
        qx::require_writable(db);
        *out = db->w().replace_document(str(unique_term, len), doc->doc);
    });
}

int qx_database_replace_document(qx_database *db, qx_docid docid, qx_document *doc, qx_error **err) {
    return guard(err, [&] {
        qx::require_writable(db);
        db->w().replace_document(docid, doc->doc);
    });
}

int qx_database_delete_document(qx_database *db, qx_docid docid, qx_error **err) {
    return guard(err, [&] {
        qx::require_writable(db);
        db->w().delete_document(docid);
    });
}

int qx_database_delete_document_by_term(qx_database *db, const char *term, size_t len, qx_error **err) {
    return guard(err, [&] {
        qx::require_writable(db);
        db->w().delete_document(str(term, len));
    });
}

int qx_database_commit(qx_database *db, qx_error **err) {
    return guard(err, [&] {
        qx::require_writable(db);
        db->w().commit();
    });
}

int qx_database_begin_transaction(qx_database *db, int flushed, qx_error **err) {
    return guard(err, [&] {
        qx::require_writable(db);
        db->w().begin_transaction(flushed != 0);
    });
}

int qx_database_commit_transaction(qx_database *db, qx_error **err) {
    return guard(err, [&] {
        qx::require_writable(db);
        db->w().commit_transaction();
    });
}

int qx_database_cancel_transaction(qx_database *db, qx_error **err) {
    return guard(err, [&] {
        qx::require_writable(db);
        db->w().cancel_transaction();
    });
}

int qx_database_set_metadata(qx_database *db, const char *key, size_t key_len, const char *value, size_t value_len,
                             qx_error **err) {
    return guard(err, [&] {
        qx::require_writable(db);
        db->w().set_metadata(str(key, key_len), str(value, value_len));
    });
}

int qx_database_add_spelling(qx_database *db, const char *word, size_t len, uint32_t freqinc, qx_error **err) {
    return guard(err, [&] {
        qx::require_writable(db);
        db->w().add_spelling(str(word, len), freqinc);
    });
}

}  // extern "C"
