// Documents: data, values, terms.
#include "internal.hpp"

using qx::guard;
using qx::str;

extern "C" {

qx_document *qx_document_new(void) {
    try {
        return new qx_document{Xapian::Document()};
    } catch (...) {
        return nullptr;
    }
}

void qx_document_free(qx_document *doc) { delete doc; }

int qx_document_docid(qx_document *doc, qx_docid *out, qx_error **err) {
    return guard(err, [&] { *out = doc->doc.get_docid(); });
}

int qx_document_data(qx_document *doc, qx_string *out, qx_error **err) {
    return guard(err, [&] { qx::put_string(out, doc->doc.get_data()); });
}

int qx_document_set_data(qx_document *doc, const char *data, size_t len, qx_error **err) {
    return guard(err, [&] { doc->doc.set_data(str(data, len)); });
}

int qx_document_value(qx_document *doc, qx_slot slot, qx_string *out, qx_error **err) {
    return guard(err, [&] { qx::put_string(out, doc->doc.get_value(slot)); });
}

int qx_document_add_value(qx_document *doc, qx_slot slot, const char *value, size_t len, qx_error **err) {
    return guard(err, [&] { doc->doc.add_value(slot, str(value, len)); });
}

int qx_document_add_term(qx_document *doc, const char *term, size_t len, uint32_t wdfinc, qx_error **err) {
    return guard(err, [&] { doc->doc.add_term(str(term, len), wdfinc); });
}

int qx_document_add_boolean_term(qx_document *doc, const char *term, size_t len, qx_error **err) {
    return guard(err, [&] { doc->doc.add_boolean_term(str(term, len)); });
}

int qx_document_add_posting(qx_document *doc, const char *term, size_t len, uint32_t pos, uint32_t wdfinc,
                            qx_error **err) {
    return guard(err, [&] { doc->doc.add_posting(str(term, len), pos, wdfinc); });
}

int qx_document_values(qx_document *doc, qx_list **out, qx_error **err) {
    *out = nullptr;
    return guard(err, [&] {
        auto list = new qx_list;
        try {
            for (auto it = doc->doc.values_begin(); it != doc->doc.values_end(); ++it)
                list->items.push_back({*it, it.get_valueno(), 0.0});
        } catch (...) {
            delete list;
            throw;
        }
        *out = list;
    });
}

int qx_document_termlist(qx_document *doc, qx_list **out, qx_error **err) {
    *out = nullptr;
    return guard(err, [&] {
        auto list = new qx_list;
        try {
            for (auto it = doc->doc.termlist_begin(); it != doc->doc.termlist_end(); ++it)
                list->items.push_back({*it, it.get_wdf(), 0.0});
        } catch (...) {
            delete list;
            throw;
        }
        *out = list;
    });
}

int qx_document_termlist_non_ascii(qx_document *doc, qx_list **out, qx_error **err) {
    *out = nullptr;
    return guard(err, [&] {
        auto list = new qx_list;
        try {
            for (auto it = doc->doc.termlist_begin(); it != doc->doc.termlist_end(); ++it) {
                const std::string term = *it;
                bool non_ascii = false;
                for (unsigned char c : term) {
                    if (c >= 0x80) { non_ascii = true; break; }
                }
                if (non_ascii) list->items.push_back({term, it.get_wdf(), 0.0});
            }
        } catch (...) {
            delete list;
            throw;
        }
        *out = list;
    });
}

int qx_document_positionlist(qx_document *doc, const char *term, size_t len, qx_list **out, qx_error **err) {
    *out = nullptr;
    return guard(err, [&] {
        auto list = new qx_list;
        try {
            auto it = doc->doc.termlist_begin();
            it.skip_to(str(term, len));
            if (it != doc->doc.termlist_end() && *it == str(term, len)) {
                for (auto pos = it.positionlist_begin(); pos != it.positionlist_end(); ++pos)
                    list->items.push_back({std::string(), *pos, 0.0});
            }
        } catch (...) {
            delete list;
            throw;
        }
        *out = list;
    });
}

}  // extern "C"
