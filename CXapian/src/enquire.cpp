// Matching: Enquire, match spies and MSets.
#include "internal.hpp"

using qx::guard;
using qx::str;

#include <unordered_map>

namespace {

// MSet::snippet stems every word of the text to compare it with the query's Z terms: in Snowball's English
// stemmer that was about half of a Reuters snippet's time. News words repeat (within a page and across
// queries), so each worker thread keeps the stems it has computed; a lookup is a hash of a short string.
class CachingStem : public Xapian::StemImplementation {
    const qx_stem &inner;
    // With an English stemmer, the first bytes of the query's stemmed terms: other words are not stemmed.
    const std::string *initials;
    struct Cache {
        uint64_t stem_id = 0;
        std::unordered_map<std::string, std::string> stems;
    };
    static constexpr size_t max_entries = 20000;  // small enough to stay in cache; emptied when full

    static Cache &cache() {
        thread_local Cache c;
        return c;
    }

  public:
    CachingStem(const qx_stem &inner_, const std::string *initials_) : inner(inner_), initials(initials_) {}

    std::string operator()(const std::string &word) override {
        // The word itself: "Z" + word then equals no query term, since none starts with "Z" + word[0].
        if (initials && !word.empty() && initials->find(word[0]) == std::string::npos) return word;
        Cache &c = cache();
        if (c.stem_id != inner.id) {
            c.stems.clear();
            c.stem_id = inner.id;
        }
        auto found = c.stems.find(word);
        if (found != c.stems.end()) return found->second;
        if (c.stems.size() >= max_entries) c.stems.clear();
        std::string stem = inner.stem(word);
        c.stems.emplace(word, stem);
        return stem;
    }

    std::string get_description() const override { return "caching " + inner.stem.get_description(); }
};

}  // namespace

extern "C" {

int qx_enquire_new(qx_database *db, qx_enquire **out, qx_error **err) {
    *out = nullptr;
    return guard(err, [&] { *out = new qx_enquire{Xapian::Enquire(*db->db)}; });
}

void qx_enquire_free(qx_enquire *enq) { delete enq; }

int qx_enquire_set_query(qx_enquire *enq, qx_query *q, uint32_t query_length, qx_error **err) {
    return guard(err, [&] { enq->enq.set_query(q->q, query_length); });
}

int qx_enquire_set_bm25(qx_enquire *enq, double k1, double k2, double k3, double b, double min_normlen,
                        qx_error **err) {
    return guard(err, [&] { enq->enq.set_weighting_scheme(Xapian::BM25Weight(k1, k2, k3, b, min_normlen)); });
}

int qx_enquire_set_bm25plus(qx_enquire *enq, double k1, double k2, double k3, double b, double min_normlen,
                            double delta, qx_error **err) {
    return guard(err, [&] {
        enq->enq.set_weighting_scheme(Xapian::BM25PlusWeight(k1, k2, k3, b, min_normlen, delta));
    });
}

int qx_enquire_set_bool_weight(qx_enquire *enq, qx_error **err) {
    return guard(err, [&] { enq->enq.set_weighting_scheme(Xapian::BoolWeight()); });
}

int qx_enquire_sort_by_relevance(qx_enquire *enq, qx_error **err) {
    return guard(err, [&] { enq->enq.set_sort_by_relevance(); });
}

int qx_enquire_sort_by_value(qx_enquire *enq, qx_slot slot, int reverse, int then_relevance, qx_error **err) {
    return guard(err, [&] {
        if (then_relevance)
            enq->enq.set_sort_by_value_then_relevance(slot, reverse != 0);
        else
            enq->enq.set_sort_by_value(slot, reverse != 0);
    });
}

int qx_enquire_set_collapse_key(qx_enquire *enq, qx_slot slot, uint32_t collapse_max, qx_error **err) {
    return guard(err, [&] { enq->enq.set_collapse_key(slot, collapse_max); });
}

int qx_enquire_set_cutoff(qx_enquire *enq, int percent_cutoff, double weight_cutoff, qx_error **err) {
    return guard(err, [&] { enq->enq.set_cutoff(percent_cutoff, weight_cutoff); });
}

int qx_enquire_set_time_limit(qx_enquire *enq, double seconds, qx_error **err) {
    return guard(err, [&] { enq->enq.set_time_limit(seconds); });
}

int qx_enquire_add_matchspy(qx_enquire *enq, qx_matchspy *spy, qx_error **err) {
    return guard(err, [&] { enq->enq.add_matchspy(spy->spy); });
}

int qx_enquire_clear_matchspies(qx_enquire *enq, qx_error **err) {
    return guard(err, [&] { enq->enq.clear_matchspies(); });
}

int qx_enquire_mset(qx_enquire *enq, uint32_t first, uint32_t maxitems, uint32_t check_at_least, qx_mset **out,
                    qx_error **err) {
    *out = nullptr;
    return guard(err, [&] { *out = new qx_mset{enq->enq.get_mset(first, maxitems, check_at_least), enq->enq.get_query()}; });
}

int qx_enquire_eset(qx_enquire *enq, const qx_docid *rset, size_t rset_count, uint32_t maxitems, qx_list **out,
                    qx_error **err) {
    *out = nullptr;
    return guard(err, [&] {
        Xapian::RSet relevant;
        for (size_t i = 0; i < rset_count; ++i) relevant.add_document(rset[i]);
        Xapian::ESet eset = enq->enq.get_eset(maxitems, relevant);
        auto list = new qx_list;
        try {
            for (auto it = eset.begin(); it != eset.end(); ++it) list->items.push_back({*it, 0, it.get_weight()});
        } catch (...) {
            delete list;
            throw;
        }
        *out = list;
    });
}

int qx_enquire_matching_terms(qx_enquire *enq, qx_docid docid, qx_list **out, qx_error **err) {
    *out = nullptr;
    return guard(err, [&] {
        auto list = new qx_list;
        try {
            for (auto it = enq->enq.get_matching_terms_begin(docid); it != enq->enq.get_matching_terms_end(docid);
                 ++it)
                list->items.push_back({*it, 0, 0.0});
        } catch (...) {
            delete list;
            throw;
        }
        *out = list;
    });
}

// The handle owns the spy; Enquire keeps a plain pointer, so callers keep the handle alive while in use.
int qx_matchspy_new_value_count(qx_slot slot, qx_matchspy **out, qx_error **err) {
    *out = nullptr;
    return guard(err, [&] { *out = new qx_matchspy{new Xapian::ValueCountMatchSpy(slot)}; });
}

void qx_matchspy_free(qx_matchspy *spy) {
    if (!spy) return;
    delete spy->spy;
    delete spy;
}

int qx_matchspy_top_values(qx_matchspy *spy, uint32_t maxvalues, qx_list **out, qx_error **err) {
    *out = nullptr;
    return guard(err, [&] {
        auto list = new qx_list;
        try {
            for (auto it = spy->spy->top_values_begin(maxvalues); it != spy->spy->top_values_end(maxvalues); ++it)
                list->items.push_back({*it, it.get_termfreq(), 0.0});
        } catch (...) {
            delete list;
            throw;
        }
        *out = list;
    });
}

int qx_matchspy_total(qx_matchspy *spy, uint32_t *out, qx_error **err) {
    return guard(err, [&] { *out = spy->spy->get_total(); });
}

void qx_mset_free(qx_mset *mset) { delete mset; }
uint32_t qx_mset_size(const qx_mset *mset) { return mset->mset.size(); }
uint32_t qx_mset_firstitem(const qx_mset *mset) { return mset->mset.get_firstitem(); }

int qx_mset_bounds(qx_mset *mset, uint32_t *lower, uint32_t *estimated, uint32_t *upper, qx_error **err) {
    return guard(err, [&] {
        *lower = mset->mset.get_matches_lower_bound();
        *estimated = mset->mset.get_matches_estimated();
        *upper = mset->mset.get_matches_upper_bound();
    });
}

int qx_mset_uncollapsed_bounds(qx_mset *mset, uint32_t *lower, uint32_t *estimated, uint32_t *upper,
                               qx_error **err) {
    return guard(err, [&] {
        *lower = mset->mset.get_uncollapsed_matches_lower_bound();
        *estimated = mset->mset.get_uncollapsed_matches_estimated();
        *upper = mset->mset.get_uncollapsed_matches_upper_bound();
    });
}

int qx_mset_fetch(qx_mset *mset, qx_error **err) {
    return guard(err, [&] { mset->mset.fetch(); });
}

int qx_mset_item(qx_mset *mset, uint32_t index, qx_docid *docid, double *weight, int *percent,
                 uint32_t *collapse_count, qx_error **err) {
    return guard(err, [&] {
        if (index >= mset->mset.size()) throw Xapian::RangeError("MSet index out of range");
        Xapian::MSetIterator it = mset->mset[index];
        *docid = *it;
        *weight = it.get_weight();
        *percent = it.get_percent();
        *collapse_count = it.get_collapse_count();
    });
}

int qx_mset_convert_to_percent(qx_mset *mset, double weight, int *percent, qx_error **err) {
    return guard(err, [&] { *percent = mset->mset.convert_to_percent(weight); });
}

int qx_mset_max_attained(qx_mset *mset, double *out, qx_error **err) {
    return guard(err, [&] { *out = mset->mset.get_max_attained(); });
}

int qx_mset_document(qx_mset *mset, uint32_t index, qx_document **out, qx_error **err) {
    *out = nullptr;
    return guard(err, [&] {
        if (index >= mset->mset.size()) throw Xapian::RangeError("MSet index out of range");
        *out = new qx_document{mset->mset[index].get_document()};
    });
}

int qx_mset_snippet(qx_mset *mset, const char *text, size_t len, size_t length, qx_stem *stem, unsigned flags,
                    const char *hi_start, size_t hi_start_len, const char *hi_end, size_t hi_end_len,
                    const char *omit, size_t omit_len, qx_string *out, qx_error **err) {
    return guard(err, [&] {
        if (stem && stem->keeps_initial && !mset->stem_initials_known) {
            for (auto t = mset->query.get_unique_terms_begin(); t != mset->query.get_unique_terms_end(); ++t) {
                const std::string &term = *t;
                if (term.size() > 1 && term[0] == 'Z' && mset->stem_initials.find(term[1]) == std::string::npos) {
                    mset->stem_initials += term[1];
                }
            }
            mset->stem_initials_known = true;
        }
        const std::string *initials = stem && stem->keeps_initial ? &mset->stem_initials : nullptr;
        qx::put_string(out, mset->mset.snippet(str(text, len), length,
                                               stem ? Xapian::Stem(new CachingStem(*stem, initials)) : Xapian::Stem(),
                                               flags,
                                               str(hi_start, hi_start_len), str(hi_end, hi_end_len),
                                               str(omit, omit_len)));
    });
}

}  // extern "C"
