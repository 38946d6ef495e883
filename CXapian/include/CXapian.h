/*
 * CXapian: a plain C face over Xapian 1.4.
 *
 * Rules every function follows:
 *   - Handles are opaque and owned by the caller; each *_new / *_open has a matching *_free.
 *   - Every string goes in and out as (pointer, size_t length): embedded NULs and non-UTF-8 bytes pass through.
 *   - Functions that can fail return 0 on success and non-zero on failure, and then set *err to a new
 *     qx_error (class name + message) that the caller frees. Every Xapian::Error, std::exception and
 *     anything else thrown is caught inside the shim: no C++ exception ever reaches the caller.
 *   - Output strings are returned in a qx_string whose data the caller frees with qx_string_free.
 */
#ifndef CXAPIAN_H
#define CXAPIAN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct qx_error qx_error;
typedef struct qx_database qx_database;
typedef struct qx_document qx_document;
typedef struct qx_stem qx_stem;
typedef struct qx_stopper qx_stopper;
typedef struct qx_termgen qx_termgen;
typedef struct qx_query qx_query;
typedef struct qx_queryparser qx_queryparser;
typedef struct qx_enquire qx_enquire;
typedef struct qx_mset qx_mset;
typedef struct qx_matchspy qx_matchspy;
typedef struct qx_list qx_list;

typedef uint32_t qx_docid;
typedef uint32_t qx_slot;

typedef struct qx_string {
    char *data;
    size_t len;
} qx_string;

/* ---- errors and memory ---- */
const char *qx_error_class(const qx_error *err);
const char *qx_error_message(const qx_error *err);
void qx_error_free(qx_error *err);
void qx_string_free(qx_string *s);
const char *qx_version_string(void);
/* 1 when Xapian's zlib inflate() calls go through the shim's fix for its decompression bug
 * (src/inflate_drain.c), 0 when something else defines inflate() first. */
int qx_inflate_drain_installed(void);
/* How many times that fix has let an inflate() call finish what zlib held back. */
unsigned long qx_inflate_drain_count(void);

/* ---- lists: materialised results of Xapian iterators ----
 * Each item has bytes (a term or a value), an integer (docid, wdf or frequency, as the producing
 * function documents) and a double (a weight, where one applies). */
size_t qx_list_size(const qx_list *list);
const char *qx_list_bytes(const qx_list *list, size_t i, size_t *len);
uint64_t qx_list_number(const qx_list *list, size_t i);
double qx_list_weight(const qx_list *list, size_t i);
void qx_list_free(qx_list *list);

/* ---- databases ---- */
/* Actions and flags for qx_database_open_writable: the values of Xapian's DB_* constants. */
enum {
    QX_DB_CREATE_OR_OPEN = 0x00,
    QX_DB_CREATE_OR_OVERWRITE = 0x01,
    QX_DB_CREATE = 0x02,
    QX_DB_OPEN = 0x03,
    QX_DB_NO_SYNC = 0x04,
    QX_DB_FULL_SYNC = 0x08,
    QX_DB_DANGEROUS = 0x10,
    QX_DB_NO_TERMLIST = 0x20,
    QX_DB_RETRY_LOCK = 0x40
};

int qx_database_open(const char *path, size_t path_len, qx_database **out, qx_error **err);
/* A database served by xapian-tcpsrv (Xapian::Remote::open): timeout_ms bounds each operation (0 = none) and
 * connect_timeout_ms the connection; past them Xapian throws NetworkTimeoutError. */
int qx_database_open_remote_tcp(const char *host, size_t host_len, unsigned port, unsigned timeout_ms,
                                 unsigned connect_timeout_ms, qx_database **out, qx_error **err);
/* A database served by a program speaking Xapian's remote protocol on its stdin/stdout (xapian-progsrv, often
 * run through ssh): `args` is split on spaces as Xapian does. */
int qx_database_open_remote_program(const char *program, size_t program_len, const char *args, size_t args_len,
                                     unsigned timeout_ms, qx_database **out, qx_error **err);
int qx_database_open_writable(const char *path, size_t path_len, int flags, qx_database **out, qx_error **err);
void qx_database_free(qx_database *db);
int qx_database_is_writable(const qx_database *db);
/* Adds `shard` to `db` (read-only), as Xapian::Database::add_database: searches see the shards as one database
 * (docids interleaved), and compaction merges them in order, each shard's docids after the previous one's. */
int qx_database_add_database(qx_database *db, qx_database *shard, qx_error **err);
/* *changed is set to 1 when a newer revision was loaded. */
int qx_database_reopen(qx_database *db, int *changed, qx_error **err);
int qx_database_close(qx_database *db, qx_error **err);

int qx_database_doccount(qx_database *db, uint32_t *out, qx_error **err);
int qx_database_lastdocid(qx_database *db, qx_docid *out, qx_error **err);
int qx_database_avlength(qx_database *db, double *out, qx_error **err);
int qx_database_total_length(qx_database *db, uint64_t *out, qx_error **err);
int qx_database_revision(qx_database *db, uint64_t *out, qx_error **err);
int qx_database_uuid(qx_database *db, qx_string *out, qx_error **err);
int qx_database_has_positions(qx_database *db, int *out, qx_error **err);
int qx_database_termfreq(qx_database *db, const char *term, size_t len, uint32_t *out, qx_error **err);
/* How many documents have a value in this slot. */
int qx_database_value_freq(qx_database *db, uint32_t slot, uint32_t *out, qx_error **err);
int qx_database_collection_freq(qx_database *db, const char *term, size_t len, uint64_t *out, qx_error **err);
int qx_database_doclength(qx_database *db, qx_docid docid, uint32_t *out, qx_error **err);
int qx_database_metadata(qx_database *db, const char *key, size_t key_len, qx_string *out, qx_error **err);
int qx_database_document(qx_database *db, qx_docid docid, qx_document **out, qx_error **err);
/* The first document indexed by term, or *out = 0 when none is. */
int qx_database_first_posting(qx_database *db, const char *term, size_t len, qx_docid *out, qx_error **err);
/* Every document indexed by term: number = docid. */
int qx_database_postlist(qx_database *db, const char *term, size_t len, qx_list **out, qx_error **err);
/* Every term with this prefix: bytes = term, number = termfreq. */
int qx_database_allterms(qx_database *db, const char *prefix, size_t len, qx_list **out, qx_error **err);
/* Every value in a slot: number = docid, bytes = value. */
int qx_database_valuestream(qx_database *db, qx_slot slot, qx_list **out, qx_error **err);
/* Every term of a document: bytes = term, number = wdf. */
int qx_database_termlist(qx_database *db, qx_docid docid, qx_list **out, qx_error **err);
/* The positions of term in a document: number = position, ascending. */
int qx_database_positionlist(qx_database *db, qx_docid docid, const char *term, size_t len, qx_list **out,
                             qx_error **err);
/* Every position of every term of a document, in one call: bytes = term, number = position; by term, then
 * position. Terms without positions do not appear. */
int qx_database_document_positions(qx_database *db, qx_docid docid, qx_list **out, qx_error **err);
/* Every user metadata key starting with prefix: bytes = key. */
int qx_database_metadata_keys(qx_database *db, const char *prefix, size_t len, qx_list **out, qx_error **err);
/* Every word of the spelling data: bytes = word, number = its frequency. */
int qx_database_spellings(qx_database *db, qx_list **out, qx_error **err);
/* How often the spelling data has seen word (0: never). */
int qx_database_spelling_freq(qx_database *db, const char *word, size_t len, uint32_t *out, qx_error **err);
/* The spelling correction for word, or an empty string. */
int qx_database_spelling_suggestion(qx_database *db, const char *word, size_t len, unsigned max_edit_distance,
                                    qx_string *out, qx_error **err);
/* Runs Xapian's consistency check (xapian-check) on the database at path; *errors = number found. */
int qx_database_check(const char *path, size_t path_len, size_t *errors, qx_string *report, qx_error **err);
/* Called as compaction goes through the tables (Xapian::Compactor::set_status): table name, then what is being
   done ("" when the table is done). A nonzero return stops the compaction (it fails with a DatabaseError). */
typedef int (*qx_compact_status_fn)(void *context, const char *table, size_t table_len, const char *status,
                                    size_t status_len);
/* Compacts db into dest with Xapian's flags (DBCOMPACT_NO_RENUMBER = 4, DBCOMPACT_MULTIPASS = 8, and a level:
   Compactor::STANDARD = 0, FULL = 1, FULLER = 2); block_size 0 is Xapian's default. status may be NULL. */
int qx_database_compact_flags(qx_database *db, const char *dest, size_t dest_len, unsigned flags, int block_size,
                              qx_compact_status_fn status, void *context, qx_error **err);

/* writing */
int qx_database_add_document(qx_database *db, qx_document *doc, qx_docid *out, qx_error **err);
/* Replaces the document indexed by unique_term, or adds it; *out = its docid. */
int qx_database_replace_document_by_term(qx_database *db, const char *unique_term, size_t len, qx_document *doc,
                                         qx_docid *out, qx_error **err);
int qx_database_replace_document(qx_database *db, qx_docid docid, qx_document *doc, qx_error **err);
int qx_database_delete_document(qx_database *db, qx_docid docid, qx_error **err);
int qx_database_delete_document_by_term(qx_database *db, const char *term, size_t len, qx_error **err);
int qx_database_commit(qx_database *db, qx_error **err);
int qx_database_begin_transaction(qx_database *db, int flushed, qx_error **err);
int qx_database_commit_transaction(qx_database *db, qx_error **err);
int qx_database_cancel_transaction(qx_database *db, qx_error **err);
int qx_database_set_metadata(qx_database *db, const char *key, size_t key_len, const char *value, size_t value_len,
                             qx_error **err);
int qx_database_add_spelling(qx_database *db, const char *word, size_t len, uint32_t freqinc, qx_error **err);

/* ---- documents ---- */
qx_document *qx_document_new(void);
void qx_document_free(qx_document *doc);
int qx_document_docid(qx_document *doc, qx_docid *out, qx_error **err);
int qx_document_data(qx_document *doc, qx_string *out, qx_error **err);
int qx_document_set_data(qx_document *doc, const char *data, size_t len, qx_error **err);
int qx_document_value(qx_document *doc, qx_slot slot, qx_string *out, qx_error **err);
int qx_document_add_value(qx_document *doc, qx_slot slot, const char *value, size_t len, qx_error **err);
int qx_document_add_term(qx_document *doc, const char *term, size_t len, uint32_t wdfinc, qx_error **err);
int qx_document_add_boolean_term(qx_document *doc, const char *term, size_t len, qx_error **err);
int qx_document_add_posting(qx_document *doc, const char *term, size_t len, uint32_t pos, uint32_t wdfinc,
                            qx_error **err);
/* Every value the document holds: number = slot, bytes = value, by ascending slot. */
int qx_document_values(qx_document *doc, qx_list **out, qx_error **err);
/* bytes = term, number = wdf. */
int qx_document_termlist(qx_document *doc, qx_list **out, qx_error **err);
/* The terms holding a byte >= 0x80 (bytes = term, number = wdf): the few an accent fold may change. */
int qx_document_termlist_non_ascii(qx_document *doc, qx_list **out, qx_error **err);
/* A term's positions in a document not yet added to a database (number = position). */
int qx_document_positionlist(qx_document *doc, const char *term, size_t len, qx_list **out, qx_error **err);

/* ---- numbers in sortable form (Xapian::sortable_serialise) ---- */
qx_string qx_sortable_serialise(double value);
double qx_sortable_unserialise(const char *bytes, size_t len);

/* ---- stemming and stopwords ---- */
int qx_stem_new(const char *language, size_t len, qx_stem **out, qx_error **err);
void qx_stem_free(qx_stem *stem);
int qx_stem_apply(qx_stem *stem, const char *word, size_t len, qx_string *out, qx_error **err);
/* Space-separated list of the languages Xapian can stem. */
qx_string qx_stem_languages(void);

qx_stopper *qx_stopper_new(void);
void qx_stopper_free(qx_stopper *stopper);
void qx_stopper_add(qx_stopper *stopper, const char *word, size_t len);

/* ---- term generator ---- */
enum {
    QX_STEM_NONE = 0, QX_STEM_SOME = 1, QX_STEM_ALL = 2, QX_STEM_ALL_Z = 3, QX_STEM_SOME_FULL_POS = 4
};
enum { QX_TERMGEN_FLAG_SPELLING = 128, QX_TERMGEN_FLAG_CJK_NGRAM = 2048 };
enum { QX_STOP_NONE = 0, QX_STOP_ALL = 1, QX_STOP_STEMMED = 2 };

qx_termgen *qx_termgen_new(void);
void qx_termgen_free(qx_termgen *tg);
int qx_termgen_set_stemmer(qx_termgen *tg, qx_stem *stem, qx_error **err);
int qx_termgen_set_stemming_strategy(qx_termgen *tg, int strategy, qx_error **err);
/* Xapian keeps a plain pointer to the stopper: keep its handle alive while the generator uses it. */
int qx_termgen_set_stopper(qx_termgen *tg, qx_stopper *stopper, int strategy, qx_error **err);
int qx_termgen_set_flags(qx_termgen *tg, int flags, qx_error **err);
/* Needed for FLAG_SPELLING: spelling data goes to this writable database. */
int qx_termgen_set_database(qx_termgen *tg, qx_database *db, qx_error **err);
int qx_termgen_set_max_word_length(qx_termgen *tg, unsigned len, qx_error **err);
int qx_termgen_set_document(qx_termgen *tg, qx_document *doc, qx_error **err);
int qx_termgen_index_text(qx_termgen *tg, const char *text, size_t len, uint32_t wdf_inc, const char *prefix,
                          size_t prefix_len, int with_positions, qx_error **err);
int qx_termgen_increase_termpos(qx_termgen *tg, uint32_t delta, qx_error **err);
int qx_termgen_termpos(qx_termgen *tg, uint32_t *out, qx_error **err);

/* ---- queries ---- */
/* The values of Xapian::Query::op. */
enum {
    QX_OP_AND = 0, QX_OP_OR = 1, QX_OP_AND_NOT = 2, QX_OP_XOR = 3, QX_OP_AND_MAYBE = 4, QX_OP_FILTER = 5,
    QX_OP_NEAR = 6, QX_OP_PHRASE = 7, QX_OP_VALUE_RANGE = 8, QX_OP_SCALE_WEIGHT = 9, QX_OP_ELITE_SET = 10,
    QX_OP_VALUE_GE = 11, QX_OP_VALUE_LE = 12, QX_OP_SYNONYM = 13, QX_OP_MAX = 14, QX_OP_WILDCARD = 15,
    QX_OP_INVALID = 99
};
int qx_query_new_term(const char *term, size_t len, uint32_t wqf, uint32_t pos, qx_query **out, qx_error **err);
qx_query *qx_query_new_match_all(void);
qx_query *qx_query_new_match_nothing(void);
/* Combines subqueries with op; parameter is the window for NEAR/PHRASE or the size for ELITE_SET. */
int qx_query_new_combined(int op, qx_query *const *subqueries, size_t count, uint32_t parameter, qx_query **out,
                          qx_error **err);
int qx_query_new_value_range(qx_slot slot, const char *begin, size_t begin_len, const char *end, size_t end_len,
                             qx_query **out, qx_error **err);
int qx_query_new_value_ge(qx_slot slot, const char *limit, size_t len, qx_query **out, qx_error **err);
int qx_query_new_value_le(qx_slot slot, const char *limit, size_t len, qx_query **out, qx_error **err);
int qx_query_new_scaled(qx_query *sub, double factor, qx_query **out, qx_error **err);
/* A weight of max_weight * 2^(-age/half_life) for each document, where age = origin - value in slot
 * (sortable_serialise'd numbers, e.g. days); documents without a value get no weight. */
int qx_query_new_decay(qx_slot slot, double origin, double half_life, double max_weight, qx_query **out,
                       qx_error **err);
void qx_query_free(qx_query *q);
int qx_query_is_empty(const qx_query *q);
qx_string qx_query_description(const qx_query *q);
/* bytes = each distinct term the query uses, in query order. */
int qx_query_terms(const qx_query *q, qx_list **out, qx_error **err);

/* ---- query parser ---- */
/* The values of Xapian::QueryParser::feature_flag. */
enum {
    QX_QP_BOOLEAN = 1, QX_QP_PHRASE = 2, QX_QP_LOVEHATE = 4, QX_QP_BOOLEAN_ANY_CASE = 8, QX_QP_WILDCARD = 16,
    QX_QP_PURE_NOT = 32, QX_QP_PARTIAL = 64, QX_QP_SPELLING_CORRECTION = 128, QX_QP_SYNONYM = 256,
    QX_QP_AUTO_SYNONYMS = 512, QX_QP_AUTO_MULTIWORD_SYNONYMS = 1024, QX_QP_CJK_NGRAM = 2048,
    QX_QP_DEFAULT = 7
};
qx_queryparser *qx_queryparser_new(void);
void qx_queryparser_free(qx_queryparser *qp);
int qx_queryparser_set_stemmer(qx_queryparser *qp, qx_stem *stem, qx_error **err);
int qx_queryparser_set_stemming_strategy(qx_queryparser *qp, int strategy, qx_error **err);
int qx_queryparser_set_stopper(qx_queryparser *qp, qx_stopper *stopper, qx_error **err);
int qx_queryparser_set_database(qx_queryparser *qp, qx_database *db, qx_error **err);
int qx_queryparser_set_default_op(qx_queryparser *qp, int op, qx_error **err);
/* Caps wildcard and partial expansion; beyond it the parser errors (max_type 0) or keeps the most frequent. */
int qx_queryparser_set_max_expansion(qx_queryparser *qp, uint32_t max_expansion, int max_type, qx_error **err);
int qx_queryparser_add_prefix(qx_queryparser *qp, const char *field, size_t field_len, const char *prefix,
                              size_t prefix_len, qx_error **err);
int qx_queryparser_add_boolean_prefix(qx_queryparser *qp, const char *field, size_t field_len, const char *prefix,
                                      size_t prefix_len, qx_error **err);
/* field:YYYYMMDD..YYYYMMDD (or a bare range when prefix is empty) over a YYYYMMDD string value slot. */
int qx_queryparser_add_date_range(qx_queryparser *qp, qx_slot slot, const char *prefix, size_t prefix_len,
                                  qx_error **err);
int qx_queryparser_parse(qx_queryparser *qp, const char *text, size_t len, unsigned flags,
                         const char *default_prefix, size_t default_prefix_len, qx_query **out, qx_error **err);
int qx_queryparser_corrected_query(qx_queryparser *qp, qx_string *out, qx_error **err);

/* ---- matching ---- */
int qx_enquire_new(qx_database *db, qx_enquire **out, qx_error **err);
void qx_enquire_free(qx_enquire *enq);
int qx_enquire_set_query(qx_enquire *enq, qx_query *q, uint32_t query_length, qx_error **err);
int qx_enquire_set_bm25(qx_enquire *enq, double k1, double k2, double k3, double b, double min_normlen,
                        qx_error **err);
/* BM25+ (Lv & Zhai 2011): BM25 plus delta for every matching term, so long documents aren't over-penalised. */
int qx_enquire_set_bm25plus(qx_enquire *enq, double k1, double k2, double k3, double b, double min_normlen,
                            double delta, qx_error **err);
int qx_enquire_set_bool_weight(qx_enquire *enq, qx_error **err);
int qx_enquire_sort_by_relevance(qx_enquire *enq, qx_error **err);
/* Sorts by a value slot; then_relevance breaks ties by relevance. */
int qx_enquire_sort_by_value(qx_enquire *enq, qx_slot slot, int reverse, int then_relevance, qx_error **err);
int qx_enquire_set_collapse_key(qx_enquire *enq, qx_slot slot, uint32_t collapse_max, qx_error **err);
int qx_enquire_set_cutoff(qx_enquire *enq, int percent_cutoff, double weight_cutoff, qx_error **err);
int qx_enquire_set_time_limit(qx_enquire *enq, double seconds, qx_error **err);
int qx_enquire_add_matchspy(qx_enquire *enq, qx_matchspy *spy, qx_error **err);
int qx_enquire_clear_matchspies(qx_enquire *enq, qx_error **err);
int qx_enquire_mset(qx_enquire *enq, uint32_t first, uint32_t maxitems, uint32_t check_at_least, qx_mset **out,
                    qx_error **err);
/* Expansion terms from the relevance set (docids): bytes = term, weight = expand weight. */
int qx_enquire_eset(qx_enquire *enq, const qx_docid *rset, size_t rset_count, uint32_t maxitems, qx_list **out,
                    qx_error **err);
/* The query's terms that index docid (for explaining a hit): bytes = term. */
int qx_enquire_matching_terms(qx_enquire *enq, qx_docid docid, qx_list **out, qx_error **err);

/* Counts each value of a slot over the whole match set (Xapian::ValueCountMatchSpy). */
int qx_matchspy_new_value_count(qx_slot slot, qx_matchspy **out, qx_error **err);
void qx_matchspy_free(qx_matchspy *spy);
/* bytes = value, number = count, most frequent first. */
int qx_matchspy_top_values(qx_matchspy *spy, uint32_t maxvalues, qx_list **out, qx_error **err);
int qx_matchspy_total(qx_matchspy *spy, uint32_t *out, qx_error **err);

void qx_mset_free(qx_mset *mset);
uint32_t qx_mset_size(const qx_mset *mset);
uint32_t qx_mset_firstitem(const qx_mset *mset);
int qx_mset_bounds(qx_mset *mset, uint32_t *lower, uint32_t *estimated, uint32_t *upper, qx_error **err);
int qx_mset_uncollapsed_bounds(qx_mset *mset, uint32_t *lower, uint32_t *estimated, uint32_t *upper,
                               qx_error **err);
int qx_mset_fetch(qx_mset *mset, qx_error **err);
int qx_mset_item(qx_mset *mset, uint32_t index, qx_docid *docid, double *weight, int *percent,
                 uint32_t *collapse_count, qx_error **err);
int qx_mset_document(qx_mset *mset, uint32_t index, qx_document **out, qx_error **err);
/* Xapian::MSet::convert_to_percent(weight): a weight as a percentage on this MSet's scale. */
int qx_mset_convert_to_percent(qx_mset *mset, double weight, int *percent, qx_error **err);
/* Xapian::MSet::get_max_attained(): the greatest weight of any document the match looked at. */
int qx_mset_max_attained(qx_mset *mset, double *out, qx_error **err);
/* Xapian::MSet::snippet flags. */
enum { QX_SNIPPET_BACKGROUND_MODEL = 1, QX_SNIPPET_EXHAUSTIVE = 2, QX_SNIPPET_EMPTY_WITHOUT_MATCH = 4 };
int qx_mset_snippet(qx_mset *mset, const char *text, size_t len, size_t length, qx_stem *stem, unsigned flags,
                    const char *hi_start, size_t hi_start_len, const char *hi_end, size_t hi_end_len,
                    const char *omit, size_t omit_len, qx_string *out, qx_error **err);

#ifdef __cplusplus
}
#endif

#endif
