// Errors, strings, lists and version: the shim's small value types.
#include "internal.hpp"

extern "C" {

const char *qx_error_class(const qx_error *err) { return err ? err->cls.c_str() : ""; }
const char *qx_error_message(const qx_error *err) { return err ? err->message.c_str() : ""; }
void qx_error_free(qx_error *err) { delete err; }

void qx_string_free(qx_string *s) {
    if (!s) return;
    std::free(s->data);
    s->data = nullptr;
    s->len = 0;
}

const char *qx_version_string(void) { return Xapian::version_string(); }

size_t qx_list_size(const qx_list *list) { return list ? list->items.size() : 0; }
const char *qx_list_bytes(const qx_list *list, size_t i, size_t *len) {
    const std::string &s = list->items[i].bytes;
    *len = s.size();
    return s.data();
}
uint64_t qx_list_number(const qx_list *list, size_t i) { return list->items[i].number; }
double qx_list_weight(const qx_list *list, size_t i) { return list->items[i].weight; }
void qx_list_free(qx_list *list) { delete list; }

qx_string qx_sortable_serialise(double value) {
    qx_string out{nullptr, 0};
    try {
        qx::put_string(&out, Xapian::sortable_serialise(value));
    } catch (...) {
        out = {nullptr, 0};
    }
    return out;
}

double qx_sortable_unserialise(const char *bytes, size_t len) {
    try {
        return Xapian::sortable_unserialise(qx::str(bytes, len));
    } catch (...) {
        return 0;
    }
}

}  // extern "C"
