// ref-query: the raw C++ reference for Quarry's query latency and throughput.
//
// Runs every query of a queries.tsv (qid<TAB>text) against a Quarry index doing, in-process, the Xapian work
// Quarry's search does (Sources/QuarryCore/Search/Searcher.swift, SearchExecution.swift, QueryText.swift,
// SearchSettings.swift defaults) for GET /search?q=...&limit=K&snippets=false:
//   - the query text's words lower-cased except the operators AND OR NOT XOR NEAR ADJ (QueryText), then
//     trimmed; empty text matches everything;
//   - QueryParser: the stemmer named by the database's "quarry.language" metadata (english if unset),
//     STEM_SOME, the database set, set_max_expansion(500, WILDCARD_LIMIT_MOST_FREQUENT), prefixes title:S
//     author:A, boolean prefixes category:XC id:Q year:Y month:M, DateRangeProcessor(slot 0, "date:");
//     flags FLAG_BOOLEAN|FLAG_PHRASE|FLAG_LOVEHATE|FLAG_WILDCARD|FLAG_PURE_NOT (Searcher.parserFlags);
//   - QueryParser stop words: Snowball's English list (QueryStopwords.english, SearchSettings.stopwords) on an
//     English index (--no-stopwords: none);
//   - a fresh Enquire per query, BM25Weight(1.5, 0, 1, 0.75, 0.5) (SearchSettings k1/b/min_normlen; --k1),
//     set_time_limit(0.5), get_mset(0, K, 1000) (exact counts up to 1,000 matches: SearchSettings.exactCountThreshold);
//   - for a request with a date filter or a date sort, whether any document has a date (SearchExecution's
//     DatelessNotes), from get_value_freq(0) read once with the years (Quarry: once per revision);
//   - each hit's summary read from value slot 7 (HitBuilder without snippets; the document data if the slot
//     is empty) and its "id" taken (Quarry decodes the whole summary JSON; the raw reference only finds the
//     id: that difference is Quarry's cost);
//   - "did you mean" per word (SearchExecution.suggestion): each run of letters over 2 characters that is
//     not an operator and, lower-cased, not a term of the index gets Database::get_spelling_suggestion().
//   - a third column of the queries file holds the request's other parameters as a URL query string
//     (category=a,b&from=2019-01-01&to=2019-12-31&sort=-date, percent-encoded), as ref-load sends them:
//     categories (any of them: OR of XC<lower-cased> terms) and a date range (OP_VALUE_RANGE on slot 0 over
//     YYYYMMDD, open ends 00000000/99999999) filter the parsed query with OP_FILTER
//     (SearchExecution.applyFilters); sort=date|-date sorts by value slot 0 then relevance (Quarry's
//     Enquire.sortByValue(thenRelevance: true)), one search per year when the query's count is known before
//     matching, as Quarry's DateSlicedSort does (sortedByYear below); an empty q with filters matches every
//     document.
// A query the parser rejects is, as in Quarry (HTTP 400), counted in "parse_errors" and not searched;
// --fallback searches it as plain words instead (flags 0), as the first version of this program did.
//
// One warm-up pass over all queries (not measured), then --passes measured passes. Each query's latency is
// taken in-process around all of the above. With --threads N, N threads each run the warm-up and passes
// on their own Database/QueryParser/Enquire (as quarryd's workers do), starting from query t*Q/N;
// QPS is then all queries over the wall time.
//
//   ref-query DB QUERIES.tsv [--k 10] [--passes 3] [--threads 1] [--run FILE] [--time-limit 0.5]
//             [--no-lowercase] [--no-suggestions] [--no-stopwords] [--k1 1.5] [--max-expansion 500] [--fallback]
//
// Prints one JSON line: {"queries":N,"passes":P,"k":K,"threads":T,"p50_us":..,"p95_us":..,"p99_us":..,
// "mean_us":..,"qps":..,"seconds":..,"cpu_us_per_query":..,"cpu_cores":..,"parse_errors":E,"suggestions":S,
// ...,"documents":D}. cpu_us_per_query is the measuring threads' CPU time (user + system) per query: less
// sensitive than latency to other processes on a shared machine. --k 0 asks for no hits (the fixed cost).
// --run FILE also writes the first measured pass (thread 0) as a TREC run (qid Q0 id rank score ref-query),
// for relevance checks.
//
// Build: g++ -O2 -std=c++17 -pthread ref-query.cpp -o ref-query $(pkg-config --cflags --libs xapian-core)

#include <xapian.h>

#include <nlohmann/json.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

using json = nlohmann::json;

namespace {

// The request's filter and sort parameters (the queries file's optional third column).
struct Params {
    std::vector<std::string> categories;
    std::string from, to;  // YYYYMMDD or empty
    int sort = 0;          // 0 relevance, 1 date (oldest first), -1 -date (newest first)
};

struct Query {
    std::string qid, text;
    Params params;
};

struct Settings {
    long k = 10;
    double timeLimit = 0.5;          // SearchSettings.timeLimit
    unsigned maxExpansion = 500;     // SearchSettings.maxWildcardExpansion
    bool lowercase = true;           // SearchSettings.lowercaseQuery
    bool suggestions = true;         // SearchSettings.spellingSuggestions
    bool stopwords = true;           // SearchSettings.stopwords (english)
    double k1 = 1.5;                 // SearchSettings.k1
    bool fallback = false;
};

// QueryStopwords.snowballEnglish (https://snowballstem.org/algorithms/english/stop.txt), word for word.
const char *const kEnglishStopwords[] = {
    "i", "me", "my", "myself", "we", "our", "ours", "ourselves", "you", "your", "yours", "yourself", "yourselves",
    "he", "him", "his", "himself", "she", "her", "hers", "herself", "it", "its", "itself", "they", "them", "their",
    "theirs", "themselves", "what", "which", "who", "whom", "this", "that", "these", "those", "am", "is", "are",
    "was", "were", "be", "been", "being", "have", "has", "had", "having", "do", "does", "did", "doing", "would",
    "should", "could", "ought", "i'm", "you're", "he's", "she's", "it's", "we're", "they're", "i've", "you've",
    "we've", "they've", "i'd", "you'd", "he'd", "she'd", "we'd", "they'd", "i'll", "you'll", "he'll", "she'll",
    "we'll", "they'll", "isn't", "aren't", "wasn't", "weren't", "hasn't", "haven't", "hadn't", "doesn't", "don't",
    "didn't", "won't", "wouldn't", "shan't", "shouldn't", "can't", "cannot", "couldn't", "mustn't", "let's",
    "that's", "who's", "what's", "here's", "there's", "when's", "where's", "why's", "how's", "a", "an", "the",
    "and", "but", "if", "or", "because", "as", "until", "while", "of", "at", "by", "for", "with", "about",
    "against", "between", "into", "through", "during", "before", "after", "above", "below", "to", "from", "up",
    "down", "in", "out", "on", "off", "over", "under", "again", "further", "then", "once", "here", "there", "when",
    "where", "why", "how", "all", "any", "both", "each", "few", "more", "most", "other", "some", "such", "no",
    "nor", "not", "only", "own", "same", "so", "than", "too", "very"
};

// IndexSchema.Slot.summary: the hit summary JSON (id, title, date, category, url).
constexpr Xapian::valueno kSlotSummary = 7;

// Searcher.parserFlags: [.boolean, .phrase, .loveHate, .wildcard, .pureNot].
constexpr unsigned kParserFlags = Xapian::QueryParser::FLAG_BOOLEAN | Xapian::QueryParser::FLAG_PHRASE |
                                  Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_WILDCARD |
                                  Xapian::QueryParser::FLAG_PURE_NOT;

// Unicode White_Space (Swift's Character.isWhitespace, per code point).
bool isWhitespace(unsigned ch) {
    return (ch >= 0x09 && ch <= 0x0D) || ch == 0x20 || ch == 0x85 || ch == 0xA0 || ch == 0x1680 ||
           (ch >= 0x2000 && ch <= 0x200A) || ch == 0x2028 || ch == 0x2029 || ch == 0x202F || ch == 0x205F ||
           ch == 0x3000;
}

bool isLetter(unsigned ch) {
    using namespace Xapian::Unicode;
    switch (get_category(ch)) {
        case UPPERCASE_LETTER:
        case LOWERCASE_LETTER:
        case TITLECASE_LETTER:
        case MODIFIER_LETTER:
        case OTHER_LETTER:
            return true;
        default:
            return false;
    }
}

std::string lowercased(const std::string &s) {
    std::string out;
    out.reserve(s.size());
    for (Xapian::Utf8Iterator it(s); it != Xapian::Utf8Iterator(); ++it)
        Xapian::Unicode::append_utf8(out, Xapian::Unicode::tolower(*it));
    return out;
}

// QueryText.lowercasingWords: words split at whitespace, ( ) and "; a word whose head (its first non-empty
// "/"-separated piece: NEAR/3) is an operator keeps its case, every other word is lower-cased.
std::string lowercasingWords(const std::string &text) {
    static const char *operators[] = {"AND", "OR", "NOT", "XOR", "NEAR", "ADJ"};
    std::string result;
    result.reserve(text.size());
    auto flush = [&](const std::string &word) {
        std::string head;
        size_t i = 0;
        while (i < word.size() && word[i] == '/') ++i;
        if (i < word.size()) head = word.substr(i, word.find('/', i) == std::string::npos ? std::string::npos
                                                                                         : word.find('/', i) - i);
        else head = word;
        bool op = false;
        for (const char *o : operators) op = op || head == o;
        result += op ? word : lowercased(word);
    };
    std::string word;
    for (Xapian::Utf8Iterator it(text); it != Xapian::Utf8Iterator(); ++it) {
        unsigned ch = *it;
        if (isWhitespace(ch) || ch == '(' || ch == ')' || ch == '"') {
            flush(word);
            word.clear();
            Xapian::Unicode::append_utf8(result, ch);
        } else {
            Xapian::Unicode::append_utf8(word, ch);
        }
    }
    flush(word);
    return result;
}

// String.trimmingCharacters(in: .whitespacesAndNewlines).
std::string trimmed(const std::string &s) {
    std::vector<std::pair<size_t, unsigned>> cps;
    for (Xapian::Utf8Iterator it(s); it != Xapian::Utf8Iterator(); ++it)
        cps.emplace_back(static_cast<size_t>(it.raw() - s.data()), *it);
    size_t a = 0, b = cps.size();
    while (a < b && isWhitespace(cps[a].second)) ++a;
    while (b > a && isWhitespace(cps[b - 1].second)) --b;
    if (a == b) return "";
    size_t end = b < cps.size() ? cps[b].first : s.size();
    return s.substr(cps[a].first, end - cps[a].first);
}

// The "id" of Quarry's stored data ({"id":"...",...}): the first key, so only its string is decoded.
std::string idFromData(const std::string &data) {
    static const std::string head = "{\"id\":\"";
    if (data.compare(0, head.size(), head) != 0) {
        json j = json::parse(data, nullptr, false);
        return j.is_object() && j.contains("id") && j["id"].is_string() ? j["id"].get<std::string>() : "";
    }
    size_t i = head.size();
    bool escaped = false;
    for (; i < data.size(); ++i) {
        if (data[i] == '\\') {
            escaped = true;
            ++i;
        } else if (data[i] == '"') {
            break;
        }
    }
    if (i >= data.size()) return "";
    if (!escaped) return data.substr(head.size(), i - head.size());
    json j = json::parse(data.begin() + head.size() - 1, data.begin() + i + 1, nullptr, false);
    return j.is_string() ? j.get<std::string>() : "";
}

std::string percentDecode(const std::string &s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') out += ' ';
        else if (s[i] == '%' && i + 2 < s.size()) {
            out += static_cast<char>(std::strtol(s.substr(i + 1, 2).c_str(), nullptr, 16));
            i += 2;
        } else out += s[i];
    }
    return out;
}

// "category=a,b&from=2019-01-01&to=20191231&sort=-date" (the names quarryd's GET /search takes).
Params parseParams(const std::string &query) {
    Params p;
    size_t at = 0;
    while (at <= query.size()) {
        size_t amp = query.find('&', at);
        if (amp == std::string::npos) amp = query.size();
        std::string pair = query.substr(at, amp - at);
        at = amp + 1;
        size_t eq = pair.find('=');
        if (pair.empty() || eq == std::string::npos) continue;
        std::string key = pair.substr(0, eq), value = percentDecode(pair.substr(eq + 1));
        auto digits = [](std::string d) {
            d.erase(std::remove(d.begin(), d.end(), '-'), d.end());
            return d;
        };
        if (key == "category" || key == "categories") {
            size_t from = 0;
            while (from <= value.size()) {
                size_t comma = value.find(',', from);
                if (comma == std::string::npos) comma = value.size();
                std::string c = value.substr(from, comma - from);
                if (!c.empty()) p.categories.push_back(c);
                from = comma + 1;
            }
        } else if (key == "from") p.from = digits(value);
        else if (key == "to") p.to = digits(value);
        else if (key == "sort") p.sort = value == "date" ? 1 : value == "-date" ? -1 : 0;
    }
    return p;
}

// CPU time (user + system) of the calling thread, in seconds.
double threadCPUSeconds() {
    rusage u{};
    getrusage(RUSAGE_THREAD, &u);
    return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double percentile(std::vector<double> sorted, double p) {
    if (sorted.empty()) return 0;
    std::sort(sorted.begin(), sorted.end());
    // Nearest-rank.
    size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * sorted.size()));
    if (rank < 1) rank = 1;
    return sorted[std::min(rank, sorted.size()) - 1];
}

// One search thread's engine: Searcher's state (its own Database and QueryParser).
struct Engine {
    Xapian::Database db;
    Xapian::Stem stem;
    Xapian::QueryParser qp;
    const Settings &settings;
    long parseErrors = 0, suggestions = 0;

    Engine(const std::string &path, const Settings &s) : db(path), settings(s) {
        std::string language = db.get_metadata("quarry.language");
        if (language.empty()) language = "english";
        stem = Xapian::Stem(language);
        qp.set_stemmer(stem);
        qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
        qp.set_database(db);
        qp.set_max_expansion(s.maxExpansion, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT,
                             Xapian::QueryParser::FLAG_WILDCARD | Xapian::QueryParser::FLAG_PARTIAL);
        if (s.stopwords && language == "english") {
            qp.set_stopper((new Xapian::SimpleStopper(std::begin(kEnglishStopwords), std::end(kEnglishStopwords)))
                               ->release());
        }
        qp.add_prefix("title", "S");
        qp.add_prefix("author", "A");
        qp.add_boolean_prefix("category", "XC");
        qp.add_boolean_prefix("id", "Q");
        qp.add_boolean_prefix("year", "Y");
        qp.add_boolean_prefix("month", "M");
        qp.add_rangeprocessor((new Xapian::DateRangeProcessor(0, "date:"))->release());
    }

    static bool isOperator(const std::string &word) {
        static const char *operators[] = {"AND", "OR", "NOT", "XOR", "NEAR", "ADJ"};
        for (const char *o : operators)
            if (word == o) return true;
        return false;
    }

    // SearchExecution.suggestion(for:): each run of letters (lower-cased, over 2 characters, not an
    // operator) that is not a term of the index as written gets Database::get_spelling_suggestion().
    void suggest(const std::string &text, bool count) {
        bool changed = false;
        std::string word;
        size_t chars = 0;
        auto flush = [&]() {
            if (chars > 2 && !isOperator(word)) {
                const std::string lower = lowercased(word);
                if (db.get_termfreq(lower) == 0 && !db.get_spelling_suggestion(lower).empty()) changed = true;
            }
            word.clear();
            chars = 0;
        };
        for (Xapian::Utf8Iterator it(text); it != Xapian::Utf8Iterator(); ++it) {
            if (isLetter(*it)) {
                Xapian::Unicode::append_utf8(word, *it);
                ++chars;
            } else {
                flush();
            }
        }
        flush();
        if (changed && count) ++suggestions;
    }

    // DateSlicedSort (sort=date|-date without facets or collapse), when the query's bounds before matching
    // (get_mset(0, 0, 0)) are equal, i.e. its count is known: one value-sorted search per year (the query
    // FILTERed by its Y term; dateless documents, if any, a last slice under -date and a first under date) until
    // K hits are gathered, then a top-1 relevance MSet for the percentages (convert_to_percent). Returns false
    // (the single sort runs) when the bounds differ. The years and whether dateless documents exist are read
    // once (Quarry reads them once per revision).
    template <typename MakeEnquire>
    bool sortedByYear(const Xapian::Query &query, bool descending, MakeEnquire makeEnquire,
                      std::vector<std::pair<std::string, double>> &hits) {
        Xapian::MSet tree = makeEnquire(query).get_mset(0, 0, Xapian::doccount(0));
        if (tree.get_matches_lower_bound() != tree.get_matches_upper_bound()) return false;
        readDateFacts();
        std::vector<Xapian::Query> slices;
        std::vector<Xapian::Query> yearTerms;
        for (const auto &y : years) {
            yearTerms.emplace_back("Y" + y);
            slices.emplace_back(Xapian::Query::OP_FILTER, query, Xapian::Query("Y" + y));
        }
        if (descending) std::reverse(slices.begin(), slices.end());
        if (hasDateless) {
            Xapian::Query dateless = years.empty() ? query : Xapian::Query(Xapian::Query::OP_AND_NOT, query,
                Xapian::Query(Xapian::Query::OP_OR, yearTerms.begin(), yearTerms.end()));
            if (descending) slices.push_back(dateless); else slices.insert(slices.begin(), dateless);
        }
        Xapian::doccount need = static_cast<Xapian::doccount>(settings.k);
        std::vector<Xapian::MSet> pages;
        for (size_t i = 0; i < slices.size() && need > 0; ++i) {
            Xapian::Enquire enquire = makeEnquire(slices[i]);
            enquire.set_sort_by_value_then_relevance(0, descending);
            Xapian::MSet mset = enquire.get_mset(0, need, need);
            need -= mset.size();
            if (mset.size() > 0) pages.push_back(mset);
        }
        Xapian::MSet scale = makeEnquire(query).get_mset(0, 1, 1);
        for (auto &mset : pages) {
            for (auto it = mset.begin(); it != mset.end(); ++it) {
                Xapian::Document doc = it.get_document();
                std::string summary = doc.get_value(kSlotSummary);
                (void)scale.convert_to_percent(it.get_weight());
                hits.emplace_back(idFromData(summary.empty() ? doc.get_data() : summary), it.get_weight());
            }
        }
        return true;
    }
    std::vector<std::string> years;
    Xapian::doccount datedDocuments = 0;
    bool hasDateless = false, yearsRead = false;

    // DateFacts: the years present, how many documents have a date, whether some have none; read once.
    void readDateFacts() {
        if (yearsRead) return;
        for (auto t = db.allterms_begin("Y"); t != db.allterms_end("Y"); ++t) years.push_back((*t).substr(1));
        datedDocuments = db.get_value_freq(0);
        hasDateless = datedDocuments < db.get_doccount();
        yearsRead = true;
    }

    // One search; returns its hits (id, weight) in `hits`, and false if the parser rejected the query.
    bool search(const Query &q, bool count, std::vector<std::pair<std::string, double>> &hits) {
        hits.clear();
        const std::string text = trimmed(settings.lowercase ? lowercasingWords(q.text) : q.text);
        Xapian::Query query;
        const Params &params = q.params;
        if (text.empty()) {
            query = Xapian::Query::MatchAll;
        } else {
            try {
                query = qp.parse_query(text, kParserFlags);
            } catch (const Xapian::QueryParserError &) {
                if (count) ++parseErrors;
                if (!settings.fallback) return false;
                query = qp.parse_query(text, 0);
            }
        }
        // SearchExecution.applyFilters: categories (any of them) and a date range narrow the match.
        std::vector<Xapian::Query> filters;
        if (!params.categories.empty()) {
            std::vector<Xapian::Query> terms;
            for (const auto &c : params.categories) terms.emplace_back("XC" + lowercased(c));
            filters.push_back(terms.size() == 1 ? terms[0] : Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()));
        }
        if (!params.from.empty() || !params.to.empty())
            filters.emplace_back(Xapian::Query::OP_VALUE_RANGE, 0, params.from.empty() ? "00000000" : params.from,
                                 params.to.empty() ? "99999999" : params.to);
        if (!filters.empty()) {
            filters.insert(filters.begin(), query);
            query = Xapian::Query(Xapian::Query::OP_FILTER, filters.begin(), filters.end());
        }
        // Quarry notes a date parameter an index without dates cannot honour.
        const bool usesDates = params.sort != 0 || !params.from.empty() || !params.to.empty();
        if (usesDates) readDateFacts();
        const bool dateless = usesDates && datedDocuments == 0;
        auto makeEnquire = [&](const Xapian::Query &what) {
            Xapian::Enquire enquire(db);
            enquire.set_query(what);
            enquire.set_weighting_scheme(Xapian::BM25Weight(settings.k1, 0, 1, 0.75, 0.5));
            if (settings.timeLimit > 0) enquire.set_time_limit(settings.timeLimit);
            return enquire;
        };
        if (params.sort != 0 && !dateless && sortedByYear(query, params.sort < 0, makeEnquire, hits)) {
            if (settings.suggestions && !text.empty()) suggest(text, count);
            return true;
        }
        Xapian::Enquire enquire = makeEnquire(query);
        Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(settings.k), 1000);
        hits.reserve(mset.size());
        // HitBuilder without snippets: the hit summary in value slot 7 ({"id":...,"title":...}); the document
        // data when the slot is empty (an index built before the slot existed).
        for (auto it = mset.begin(); it != mset.end(); ++it) {
            Xapian::Document doc = it.get_document();
            std::string summary = doc.get_value(kSlotSummary);
            hits.emplace_back(idFromData(summary.empty() ? doc.get_data() : summary), it.get_weight());
        }
        (void)mset.get_matches_estimated();
        if (settings.suggestions && !text.empty()) suggest(text, count);
        return true;
    }
};

[[noreturn]] void usage(int code) {
    (code ? std::cerr : std::cout)
        << "usage: ref-query DB QUERIES.tsv [--k 10] [--passes 3] [--threads 1] [--run FILE] [--time-limit 0.5]\n"
           "                 [--no-lowercase] [--no-suggestions] [--no-stopwords] [--k1 1.5] [--max-expansion 500] [--fallback]\n"
           "Runs each query (qid<TAB>text[<TAB>category=..&from=..&to=..&sort=..]) in-process with Quarry's query settings after one warm-up pass;\n"
           "prints p50/p95/p99 latency (us) and QPS as one JSON line.\n";
    std::exit(code);
}

}  // namespace

int main(int argc, char **argv) {
    std::vector<std::string> positional;
    long passes = 3, threads = 1;
    Settings settings;
    std::string runPath;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::cerr << "ref-query: " << arg << " needs a value\n";
                usage(2);
            }
            return argv[++i];
        };
        if (arg == "-h" || arg == "--help") usage(0);
        else if (arg == "--k") settings.k = std::strtol(value().c_str(), nullptr, 10);
        else if (arg == "--passes") passes = std::strtol(value().c_str(), nullptr, 10);
        else if (arg == "--threads") threads = std::strtol(value().c_str(), nullptr, 10);
        else if (arg == "--run") runPath = value();
        else if (arg == "--time-limit") settings.timeLimit = std::strtod(value().c_str(), nullptr);
        else if (arg == "--max-expansion") settings.maxExpansion = std::strtoul(value().c_str(), nullptr, 10);
        else if (arg == "--no-lowercase") settings.lowercase = false;
        else if (arg == "--no-suggestions") settings.suggestions = false;
        else if (arg == "--no-stopwords") settings.stopwords = false;
        else if (arg == "--k1") settings.k1 = std::strtod(value().c_str(), nullptr);
        else if (arg == "--fallback") settings.fallback = true;
        else if (arg.size() > 1 && arg[0] == '-') {
            std::cerr << "ref-query: unknown option " << arg << "\n";
            usage(2);
        } else positional.push_back(arg);
    }
    if (positional.size() != 2 || settings.k < 0 || passes <= 0 || threads <= 0 || threads > 256 ||
        settings.timeLimit < 0 || settings.maxExpansion == 0)
        usage(2);

    std::vector<Query> queries;
    {
        std::ifstream in(positional[1]);
        if (!in) {
            std::cerr << "ref-query: cannot open " << positional[1] << "\n";
            return 1;
        }
        std::string line;
        while (std::getline(in, line)) {
            if (!line.empty() && line.back() == '\r') line.pop_back();
            size_t tab = line.find('\t');
            if (tab == std::string::npos) continue;
            size_t tab2 = line.find('\t', tab + 1);
            std::string text = line.substr(tab + 1, tab2 == std::string::npos ? std::string::npos : tab2 - tab - 1);
            Params params = tab2 == std::string::npos ? Params{} : parseParams(line.substr(tab2 + 1));
            queries.push_back({line.substr(0, tab), text, params});
        }
    }
    if (queries.empty()) {
        std::cerr << "ref-query: no queries in " << positional[1] << "\n";
        return 1;
    }

    try {
        // Engines are opened up front (as quarryd's workers are warm by the time they are measured).
        std::vector<std::unique_ptr<Engine>> engines;
        for (long t = 0; t < threads; ++t) engines.push_back(std::make_unique<Engine>(positional[0], settings));
        std::ofstream run;
        if (!runPath.empty()) run.open(runPath);

        const size_t n = queries.size();
        std::vector<std::vector<double>> latencies(threads);
        std::atomic<long> ready{0};
        std::atomic<bool> go{false};
        std::vector<std::string> failures(threads);
        std::vector<double> cpu(threads, 0.0);
        auto worker = [&](long t) {
            try {
                Engine &e = *engines[t];
                std::vector<std::pair<std::string, double>> hits;
                const size_t start = static_cast<size_t>(t) * n / static_cast<size_t>(threads);
                for (size_t i = 0; i < n; ++i) e.search(queries[(start + i) % n], false, hits);  // warm-up
                ++ready;
                while (!go.load()) std::this_thread::yield();
                latencies[t].reserve(n * passes);
                const double cpuFrom = threadCPUSeconds();
                for (long pass = 0; pass < passes; ++pass)
                    for (size_t i = 0; i < n; ++i) {
                        const Query &q = queries[(start + i) % n];
                        const auto t0 = std::chrono::steady_clock::now();
                        bool ok = e.search(q, pass == 0, hits);
                        const auto t1 = std::chrono::steady_clock::now();
                        latencies[t].push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
                        if (ok && t == 0 && pass == 0 && run.is_open()) {
                            int rank = 1;
                            for (auto &h : hits)
                                run << q.qid << " Q0 " << h.first << " " << rank++ << " " << h.second << " ref-query\n";
                        }
                    }
                cpu[t] = threadCPUSeconds() - cpuFrom;
            } catch (const Xapian::Error &e) {
                failures[t] = e.get_description();
                ++ready;
            }
        };
        std::vector<std::thread> pool;
        for (long t = 0; t < threads; ++t) pool.emplace_back(worker, t);
        while (ready.load() < threads) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        const auto start = std::chrono::steady_clock::now();
        go = true;
        for (auto &th : pool) th.join();
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        for (auto &f : failures)
            if (!f.empty()) throw Xapian::InvalidOperationError(f);

        std::vector<double> all;
        double cpuTotal = 0;
        for (double c : cpu) cpuTotal += c;
        long parseErrors = 0, suggestions = 0;
        for (long t = 0; t < threads; ++t) {
            all.insert(all.end(), latencies[t].begin(), latencies[t].end());
            parseErrors += engines[t]->parseErrors;
            suggestions += engines[t]->suggestions;
        }
        double sum = 0;
        for (double l : all) sum += l;
        auto num = [](double v) { return json(std::round(v * 10) / 10).dump(); };
        std::cout << "{\"queries\":" << n << ",\"passes\":" << passes << ",\"k\":" << settings.k
                  << ",\"threads\":" << threads << ",\"p50_us\":" << num(percentile(all, 50))
                  << ",\"p95_us\":" << num(percentile(all, 95)) << ",\"p99_us\":" << num(percentile(all, 99))
                  << ",\"mean_us\":" << num(sum / all.size()) << ",\"qps\":" << num(all.size() / seconds)
                  << ",\"seconds\":" << json(std::round(seconds * 1e4) / 1e4).dump()
                  << ",\"cpu_us_per_query\":" << num(cpuTotal * 1e6 / all.size())
                  << ",\"cpu_cores\":" << json(std::round(cpuTotal / seconds * 100) / 100).dump()
                  << ",\"parse_errors\":" << parseErrors / threads << ",\"suggestions\":" << suggestions / threads
                  << ",\"time_limit\":" << json(settings.timeLimit).dump()
                  << ",\"lowercase\":" << (settings.lowercase ? "true" : "false")
                  << ",\"spelling_suggestions\":" << (settings.suggestions ? "true" : "false")
                  << ",\"documents\":" << engines[0]->db.get_doccount() << "}" << std::endl;
    } catch (const Xapian::Error &e) {
        std::cerr << "ref-query: " << e.get_description() << "\n";
        return 1;
    }
    return 0;
}
