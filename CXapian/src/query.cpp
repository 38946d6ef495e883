// Queries: building them by hand, and the recency decay source.
#include "internal.hpp"

#include <cmath>

using qx::guard;
using qx::str;

namespace {

// Weight = max_weight * 2^(-age / half_life), age = origin - (number in the slot). Xapian 1.4 has no decaying
// source built in; this is the one piece of matching logic the shim adds, on Xapian's own ValuePostingSource.
class DecayPostingSource : public Xapian::ValuePostingSource {
    double origin_, half_life_, max_weight_;

public:
    DecayPostingSource(Xapian::valueno slot, double origin, double half_life, double max_weight)
        : Xapian::ValuePostingSource(slot), origin_(origin), half_life_(half_life), max_weight_(max_weight) {
        set_maxweight(max_weight_);
    }

    void init(const Xapian::Database &db) override {
        Xapian::ValuePostingSource::init(db);
        set_maxweight(max_weight_);
    }

    double get_weight() const override {
        double age = origin_ - Xapian::sortable_unserialise(get_value());
        if (age < 0) age = 0;
        return max_weight_ * std::exp2(-age / half_life_);
    }

    DecayPostingSource *clone() const override {
        return new DecayPostingSource(get_slot(), origin_, half_life_, max_weight_);
    }

    std::string get_description() const override { return "DecayPostingSource"; }
};

}  // namespace

extern "C" {

int qx_query_new_term(const char *term, size_t len, uint32_t wqf, uint32_t pos, qx_query **out, qx_error **err) {
    *out = nullptr;
    return guard(err, [&] { *out = new qx_query{Xapian::Query(str(term, len), wqf, pos)}; });
}

qx_query *qx_query_new_match_all(void) {
    try {
        return new qx_query{Xapian::Query::MatchAll};
    } catch (...) {
        return nullptr;
    }
}

qx_query *qx_query_new_match_nothing(void) {
    try {
        return new qx_query{Xapian::Query::MatchNothing};
    } catch (...) {
        return nullptr;
    }
}

int qx_query_new_combined(int op, qx_query *const *subqueries, size_t count, uint32_t parameter, qx_query **out,
                          qx_error **err) {
    *out = nullptr;
    return guard(err, [&] {
        std::vector<Xapian::Query> subs;
        subs.reserve(count);
        for (size_t i = 0; i < count; ++i) subs.push_back(subqueries[i]->q);
        *out = new qx_query{
            Xapian::Query(static_cast<Xapian::Query::op>(op), subs.begin(), subs.end(), parameter)};
    });
}

int qx_query_new_value_range(qx_slot slot, const char *begin, size_t begin_len, const char *end, size_t end_len,
                             qx_query **out, qx_error **err) {
    *out = nullptr;
    return guard(err, [&] {
        *out = new qx_query{Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, str(begin, begin_len),
                                          str(end, end_len))};
    });
}

int qx_query_new_value_ge(qx_slot slot, const char *limit, size_t len, qx_query **out, qx_error **err) {
    *out = nullptr;
    return guard(err, [&] {
        *out = new qx_query{Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, str(limit, len))};
    });
}

int qx_query_new_value_le(qx_slot slot, const char *limit, size_t len, qx_query **out, qx_error **err) {
    *out = nullptr;
    return guard(err, [&] {
        *out = new qx_query{Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, str(limit, len))};
    });
}

int qx_query_new_scaled(qx_query *sub, double factor, qx_query **out, qx_error **err) {
    *out = nullptr;
    return guard(err, [&] { *out = new qx_query{Xapian::Query(factor, sub->q)}; });
}

int qx_query_new_decay(qx_slot slot, double origin, double half_life, double max_weight, qx_query **out,
                       qx_error **err) {
    *out = nullptr;
    return guard(err, [&] {
        if (!(half_life > 0)) throw Xapian::InvalidArgumentError("half-life must be positive");
        if (!(max_weight >= 0)) throw Xapian::InvalidArgumentError("maximum weight must not be negative");
        auto *source = new DecayPostingSource(slot, origin, half_life, max_weight);
        // Hand ownership to the query (reference counted by Xapian from here on).
        *out = new qx_query{Xapian::Query(source->release())};
    });
}

void qx_query_free(qx_query *q) { delete q; }

int qx_query_is_empty(const qx_query *q) { return q->q.empty() ? 1 : 0; }

qx_string qx_query_description(const qx_query *q) {
    qx_string out{nullptr, 0};
    try {
        qx::put_string(&out, q->q.get_description());
    } catch (...) {
        out = {nullptr, 0};
    }
    return out;
}

int qx_query_terms(const qx_query *q, qx_list **out, qx_error **err) {
    *out = nullptr;
    return guard(err, [&] {
        auto list = new qx_list;
        try {
            for (auto it = q->q.get_unique_terms_begin(); it != q->q.get_terms_end(); ++it)
                list->items.push_back({*it, 0, 0.0});
        } catch (...) {
            delete list;
            throw;
        }
        *out = list;
    });
}

}  // extern "C"
