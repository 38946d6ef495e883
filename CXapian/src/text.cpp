// Stemmers, stopwords and the term generator.
#include "internal.hpp"

using qx::guard;
using qx::str;

extern "C" {

int qx_stem_new(const char *language, size_t len, qx_stem **out, qx_error **err) {
    *out = nullptr;
    return guard(err, [&] { *out = new qx_stem{Xapian::Stem(str(language, len))}; });
}

void qx_stem_free(qx_stem *stem) { delete stem; }

int qx_stem_apply(qx_stem *stem, const char *word, size_t len, qx_string *out, qx_error **err) {
    return guard(err, [&] { qx::put_string(out, stem->stem(str(word, len))); });
}

qx_string qx_stem_languages(void) {
    qx_string out{nullptr, 0};
    try {
        qx::put_string(&out, Xapian::Stem::get_available_languages());
    } catch (...) {
        out = {nullptr, 0};
    }
    return out;
}

// The handle owns the stopper. Xapian keeps only a plain pointer to it, so the caller keeps the handle
// alive for as long as any term generator or query parser uses it.
qx_stopper *qx_stopper_new(void) {
    try {
        return new qx_stopper{new Xapian::SimpleStopper()};
    } catch (...) {
        return nullptr;
    }
}

void qx_stopper_free(qx_stopper *stopper) {
    if (!stopper) return;
    delete stopper->stopper;
    delete stopper;
}

void qx_stopper_add(qx_stopper *stopper, const char *word, size_t len) {
    try {
        stopper->stopper->add(str(word, len));
    } catch (...) {
    }
}

qx_termgen *qx_termgen_new(void) {
    try {
        return new qx_termgen{Xapian::TermGenerator()};
    } catch (...) {
        return nullptr;
    }
}

void qx_termgen_free(qx_termgen *tg) { delete tg; }

int qx_termgen_set_stemmer(qx_termgen *tg, qx_stem *stem, qx_error **err) {
    return guard(err, [&] { tg->tg.set_stemmer(stem->stem); });
}

int qx_termgen_set_stemming_strategy(qx_termgen *tg, int strategy, qx_error **err) {
    return guard(err, [&] { tg->tg.set_stemming_strategy(static_cast<Xapian::TermGenerator::stem_strategy>(strategy)); });
}

int qx_termgen_set_stopper(qx_termgen *tg, qx_stopper *stopper, int strategy, qx_error **err) {
    return guard(err, [&] {
        tg->tg.set_stopper(stopper ? stopper->stopper : nullptr);
        tg->tg.set_stopper_strategy(static_cast<Xapian::TermGenerator::stop_strategy>(strategy));
    });
}

int qx_termgen_set_flags(qx_termgen *tg, int flags, qx_error **err) {
    return guard(err, [&] { tg->tg.set_flags(static_cast<Xapian::TermGenerator::flags>(flags)); });
}

int qx_termgen_set_database(qx_termgen *tg, qx_database *db, qx_error **err) {
    return guard(err, [&] {
        qx::require_writable(db);
        tg->tg.set_database(db->w());
    });
}

int qx_termgen_set_max_word_length(qx_termgen *tg, unsigned len, qx_error **err) {
    return guard(err, [&] { tg->tg.set_max_word_length(len); });
}

int qx_termgen_set_document(qx_termgen *tg, qx_document *doc, qx_error **err) {
    return guard(err, [&] { tg->tg.set_document(doc->doc); });
}

int qx_termgen_index_text(qx_termgen *tg, const char *text, size_t len, uint32_t wdf_inc, const char *prefix,
                          size_t prefix_len, int with_positions, qx_error **err) {
    return guard(err, [&] {
        // Xapian::Utf8Iterator reads the bytes in place: no copy of the text is needed.
        Xapian::Utf8Iterator it(text, len);
        if (with_positions)
            tg->tg.index_text(it, wdf_inc, str(prefix, prefix_len));
        else
            tg->tg.index_text_without_positions(it, wdf_inc, str(prefix, prefix_len));
    });
}

int qx_termgen_increase_termpos(qx_termgen *tg, uint32_t delta, qx_error **err) {
    return guard(err, [&] { tg->tg.increase_termpos(delta); });
}

int qx_termgen_termpos(qx_termgen *tg, uint32_t *out, qx_error **err) {
    return guard(err, [&] { *out = tg->tg.get_termpos(); });
}

}  // extern "C"
