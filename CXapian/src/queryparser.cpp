// The query parser.
#include "internal.hpp"

using qx::guard;
using qx::str;

extern "C" {

qx_queryparser *qx_queryparser_new(void) {
    try {
        return new qx_queryparser{Xapian::QueryParser()};
    } catch (...) {
        return nullptr;
    }
}

void qx_queryparser_free(qx_queryparser *qp) { delete qp; }

int qx_queryparser_set_stemmer(qx_queryparser *qp, qx_stem *stem, qx_error **err) {
    return guard(err, [&] { qp->qp.set_stemmer(stem->stem); });
}

int qx_queryparser_set_stemming_strategy(qx_queryparser *qp, int strategy, qx_error **err) {
    return guard(err, [&] {
        qp->qp.set_stemming_strategy(static_cast<Xapian::QueryParser::stem_strategy>(strategy));
    });
}

int qx_queryparser_set_stopper(qx_queryparser *qp, qx_stopper *stopper, qx_error **err) {
    return guard(err, [&] { qp->qp.set_stopper(stopper ? stopper->stopper : nullptr); });
}

int qx_queryparser_set_database(qx_queryparser *qp, qx_database *db, qx_error **err) {
    return guard(err, [&] { qp->qp.set_database(*db->db); });
}

int qx_queryparser_set_default_op(qx_queryparser *qp, int op, qx_error **err) {
    return guard(err, [&] { qp->qp.set_default_op(static_cast<Xapian::Query::op>(op)); });
}

int qx_queryparser_set_max_expansion(qx_queryparser *qp, uint32_t max_expansion, int max_type, qx_error **err) {
    return guard(err, [&] {
        qp->qp.set_max_expansion(max_expansion, max_type,
                                 Xapian::QueryParser::FLAG_WILDCARD | Xapian::QueryParser::FLAG_PARTIAL);
    });
}

int qx_queryparser_add_prefix(qx_queryparser *qp, const char *field, size_t field_len, const char *prefix,
                              size_t prefix_len, qx_error **err) {
    return guard(err, [&] { qp->qp.add_prefix(str(field, field_len), str(prefix, prefix_len)); });
}

int qx_queryparser_add_boolean_prefix(qx_queryparser *qp, const char *field, size_t field_len, const char *prefix,
                                      size_t prefix_len, qx_error **err) {
    return guard(err, [&] { qp->qp.add_boolean_prefix(str(field, field_len), str(prefix, prefix_len)); });
}

int qx_queryparser_add_date_range(qx_queryparser *qp, qx_slot slot, const char *prefix, size_t prefix_len,
                                  qx_error **err) {
    return guard(err, [&] {
        auto *rp = new Xapian::DateRangeProcessor(slot, str(prefix, prefix_len));
        qp->qp.add_rangeprocessor(rp->release());
    });
}

int qx_queryparser_parse(qx_queryparser *qp, const char *text, size_t len, unsigned flags,
                         const char *default_prefix, size_t default_prefix_len, qx_query **out, qx_error **err) {
    *out = nullptr;
    return guard(err, [&] {
        *out = new qx_query{qp->qp.parse_query(str(text, len), flags, str(default_prefix, default_prefix_len))};
    });
}

int qx_queryparser_corrected_query(qx_queryparser *qp, qx_string *out, qx_error **err) {
    return guard(err, [&] { qx::put_string(out, qp->qp.get_corrected_query_string()); });
}

}  // extern "C"
