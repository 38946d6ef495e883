// ref-index: the raw C++ reference indexer for Quarry's benchmark.
//
// Reads a JSON Lines file (one article per line: "id", "title", "text", optional "date" YYYY-MM-DD,
// "category", "url", "author"; any other field is kept under "extra") and builds a Xapian index laid out
// EXACTLY as Quarry's indexer lays it out (Sources/QuarryCore/Schema/IndexSchema.swift,
// ArticleDocumentBuilder.swift, StoredData.swift, Indexing/Indexer.swift): same terms, positions, wdf,
// values, document data, spelling data, metadata and commit cadence. It is the yardstick for Quarry's
// Swift indexer: the same Xapian work with no wrapper in between. Like Quarry (issue 17): the spelling data is
// not left to the term generator; each unprefixed word's occurrences (wdf less the title weight's extra) are
// summed over the run and added in its last commit, with quarry.spelling_pending set from the first commit
// until then; a database the run creates is opened with DB_NO_SYNC and its files fsynced at the end.
// (Not mirrored: Quarry's transactions per batch and accent folding, which a synthetic ASCII corpus never
// triggers, and the recovery of a killed run's spelling data.)
//
//   ref-index DOCS.jsonl DB [--batch N] [--no-spelling] [--title-weight N] [--language L]
//
// Prints one JSON line on stdout: {"docs":N,"seconds":S,"docs_per_sec":R,"index_bytes":B,...}.
// "seconds" runs from opening the database to the final commit (as Quarry's summary measures its run).
//
// Build: g++ -O2 -std=c++17 ref-index.cpp -o ref-index $(pkg-config --cflags --libs xapian-core)

#include <xapian.h>

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

// ---- IndexSchema ---------------------------------------------------------------------------------

constexpr const char *kSchemaVersion = "1";
constexpr Xapian::termpos kFieldGap = 100;
constexpr size_t kMaxTermBytes = 240;

enum Slot : Xapian::valueno {
    kSlotDate = 0,
    kSlotDayNumber = 1,
    kSlotCategory = 2,
    kSlotMonth = 3,
    kSlotTitleKey = 4,
    kSlotSourcePath = 5,
    kSlotSourceSignature = 6,
    kSlotSummary = 7,
};

// StableHash.fnv1a64 over the UTF-8 bytes.
uint64_t fnv1a64(const std::string &s) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : s) {
        h ^= c;
        h *= 0x00000100000001B3ULL;
    }
    return h;
}

std::string fnv1a64Hex(const std::string &s) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(fnv1a64(s)));
    return std::string(buf, 16);
}

// Length of the UTF-8 sequence starting with byte c (1 for stray continuation bytes).
size_t utf8Length(unsigned char c) {
    if (c < 0x80) return 1;
    if ((c & 0xE0) == 0xC0) return 2;
    if ((c & 0xF0) == 0xE0) return 3;
    if ((c & 0xF8) == 0xF0) return 4;
    return 1;
}

// IndexSchema.boundedTerm: terms over 240 bytes keep a head (cut on a character boundary) + "#" + hash.
std::string boundedTerm(const std::string &term) {
    if (term.size() <= kMaxTermBytes) return term;
    const std::string hash = fnv1a64Hex(term);
    const size_t limit = kMaxTermBytes - hash.size() - 1;
    size_t end = 0;
    while (end < term.size()) {
        size_t next = end + utf8Length(static_cast<unsigned char>(term[end]));
        if (next > limit) break;
        end = next;
    }
    return term.substr(0, end) + "#" + hash;
}

// Swift's String.lowercased(), per code point (Xapian's simple case mapping).
std::string lowercased(const std::string &s) {
    std::string out;
    out.reserve(s.size());
    for (Xapian::Utf8Iterator it(s); it != Xapian::Utf8Iterator(); ++it)
        Xapian::Unicode::append_utf8(out, Xapian::Unicode::tolower(*it));
    return out;
}

// Unicode "alphabetic or numeric" (Swift: isAlphabetic || numericType != nil), by general category.
bool isAlphanumeric(unsigned ch) {
    using namespace Xapian::Unicode;
    switch (get_category(ch)) {
        case UPPERCASE_LETTER:
        case LOWERCASE_LETTER:
        case TITLECASE_LETTER:
        case MODIFIER_LETTER:
        case OTHER_LETTER:
        case DECIMAL_DIGIT_NUMBER:
        case LETTER_NUMBER:
        case OTHER_NUMBER:
            return true;
        default:
            return false;
    }
}

// IndexSchema.titleKey: letters and digits lower-cased, any run of anything else one space, no leading space.
std::string titleKey(const std::string &title) {
    std::string normalised;
    normalised.reserve(title.size());
    bool pendingSpace = false;
    for (Xapian::Utf8Iterator it(title); it != Xapian::Utf8Iterator(); ++it) {
        unsigned ch = *it;
        if (isAlphanumeric(ch)) {
            if (pendingSpace && !normalised.empty()) normalised.push_back(' ');
            pendingSpace = false;
            Xapian::Unicode::append_utf8(normalised, Xapian::Unicode::tolower(ch));
        } else {
            pendingSpace = true;
        }
    }
    return fnv1a64Hex(normalised);
}

// ---- ArticleDate -------------------------------------------------------------------------------------

struct ArticleDate {
    int year, month, day;
    std::string yyyymmdd() const {
        char b[16];
        std::snprintf(b, sizeof b, "%04d%02d%02d", year, month, day);
        return b;
    }
    std::string iso() const {
        char b[16];
        std::snprintf(b, sizeof b, "%04d-%02d-%02d", year, month, day);
        return b;
    }
    // Days since 1970-01-01 (proleptic Gregorian; H. Hinnant's days_from_civil).
    long daysSinceEpoch() const {
        int y = year - (month <= 2);
        long era = (y >= 0 ? y : y - 399) / 400;
        long yoe = y - era * 400;
        long doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }
};

bool isLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// ---- Articles and their stored data ------------------------------------------------------------------

struct Article {
    std::string id, title, body;
    std::optional<ArticleDate> date;
    std::optional<std::string> category, url, author;
    json extra;  // object of the fields Quarry doesn't interpret (null when none)
};

// A JSON string literal as Swift's JSONEncoder writes it (.withoutEscapingSlashes; non-ASCII as UTF-8).
void appendJSONString(std::string &out, const std::string &s) {
    out.push_back('"');
    for (unsigned char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            default:
                if (c < 0x20) {
                    char b[8];
                    std::snprintf(b, sizeof b, "\\u%04x", c);
                    out += b;
                } else {
                    out.push_back(static_cast<char>(c));
                }
        }
    }
    out.push_back('"');
}

// StoredData.encoded(): compact JSON with keys in declaration order, absent optionals omitted.
// Slot 7: what a hit shows without the text (Quarry's HitSummary).
std::string hitSummary(const Article &a) {
    // Keys in sorted order, as Quarry's encoder writes them.
    std::string out = "{";
    if (a.category) {
        out += "\"category\":";
        appendJSONString(out, *a.category);
        out += ",";
    }
    if (a.date) {
        out += "\"date\":";
        appendJSONString(out, a.date->iso());
        out += ",";
    }
    out += "\"id\":";
    appendJSONString(out, a.id);
    out += ",\"title\":";
    appendJSONString(out, a.title);
    if (a.url) {
        out += ",\"url\":";
        appendJSONString(out, *a.url);
    }
    out.push_back('}');
    return out;
}

std::string storedData(const Article &a) {
    // Keys in sorted order, as Quarry's encoder writes them (JSON Lines articles have no standfirst).
    std::string out;
    out.reserve(a.body.size() + a.title.size() + 128);
    out += "{";
    if (a.author) {
        out += "\"author\":";
        appendJSONString(out, *a.author);
        out += ",";
    }
    out += "\"body\":";
    appendJSONString(out, a.body);
    if (a.category) {
        out += ",\"category\":";
        appendJSONString(out, *a.category);
    }
    if (a.date) {
        out += ",\"date\":";
        appendJSONString(out, a.date->iso());
    }
    if (a.extra.is_object() && !a.extra.empty()) {
        out += ",\"extra\":";
        out += a.extra.dump(-1, ' ', false, json::error_handler_t::replace);
    }
    out += ",\"id\":";
    appendJSONString(out, a.id);
    out += ",\"title\":";
    appendJSONString(out, a.title);
    if (a.url) {
        out += ",\"url\":";
        appendJSONString(out, *a.url);
    }
    out.push_back('}');
    return out;
}

// One UTF-8 code point at s[i] (its value and byte length); invalid bytes count as one U+FFFD.
std::pair<unsigned, size_t> decodeUTF8(const std::string &s, size_t i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const size_t n = utf8Length(c);
    if (n == 1 || i + n > s.size()) return {c < 0x80 ? c : 0xFFFD, 1};
    unsigned v = c & (0xFF >> (n + 1));
    for (size_t k = 1; k < n; ++k) v = (v << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    return {v, n};
}

// Unicode White_Space (Swift's Unicode.Scalar.Properties.isWhitespace).
bool isWhitespace(unsigned ch) {
    return (ch >= 0x09 && ch <= 0x0D) || ch == 0x20 || ch == 0x85 || ch == 0xA0 || ch == 0x1680 ||
           (ch >= 0x2000 && ch <= 0x200A) || ch == 0x2028 || ch == 0x2029 || ch == 0x202F || ch == 0x205F ||
           ch == 0x3000;
}

// ArticleLines.trim: Unicode whitespace off both ends.
std::string trim(const std::string &s) {
    size_t start = 0, end = s.size();
    while (start < end) {
        auto [ch, n] = decodeUTF8(s, start);
        if (!isWhitespace(ch)) break;
        start += n;
    }
    while (end > start) {
        size_t before = end - 1;
        while (before > start && (static_cast<unsigned char>(s[before]) & 0xC0) == 0x80) --before;
        if (!isWhitespace(decodeUTF8(s, before).first)) break;
        end = before;
    }
    return s.substr(start, end - start);
}

// JSONLinesReader.derivedTitle: the text's first non-blank line, cut at a word boundary to 200 code points.
std::string derivedTitle(const std::string &text) {
    std::string line;
    for (size_t i = 0; i <= text.size();) {
        size_t e = text.find_first_of("\r\n", i);
        if (e == std::string::npos) e = text.size();
        line = trim(text.substr(i, e - i));
        if (!line.empty()) break;
        if (e == text.size()) break;
        i = e + ((text[e] == '\r' && e + 1 < text.size() && text[e + 1] == '\n') ? 2 : 1);
    }
    if (line.empty()) return "";
    constexpr size_t maxLength = 200;
    std::vector<size_t> starts;  // byte offset of each code point
    for (size_t i = 0; i < line.size(); i += decodeUTF8(line, i).second) starts.push_back(i);
    if (starts.size() <= maxLength) return line;
    size_t cut = maxLength;
    for (size_t index = maxLength; index > 0;) {
        --index;
        if (isWhitespace(decodeUTF8(line, starts[index]).first)) {
            cut = index;
            break;
        }
    }
    return trim(line.substr(0, starts[cut]));
}

// "123" for a whole number below 9e15 in magnitude (JSONLinesReader.integralText).
std::optional<std::string> integralText(const json &number) {
    if (number.is_number_integer()) return number.dump();
    const double v = number.get<double>();
    if (std::isfinite(v) && std::round(v) == v && std::fabs(v) < 9.0e15)
        return std::to_string(static_cast<long long>(v));
    return std::nullopt;
}

// ArticleDate(yyyymmdd:): exactly "20231024" or "2023-10-24", a real day in the years 1000...9999.
std::optional<ArticleDate> parseDate(const std::string &s) {
    int d[8], n = 0;
    if (s.size() == 8) {
        for (char c : s) {
            if (c < '0' || c > '9') return std::nullopt;
            d[n++] = c - '0';
        }
    } else if (s.size() == 10) {
        for (size_t i = 0; i < 10; ++i) {
            if (i == 4 || i == 7) {
                if (s[i] != '-') return std::nullopt;
            } else {
                if (s[i] < '0' || s[i] > '9') return std::nullopt;
                d[n++] = s[i] - '0';
            }
        }
    } else {
        return std::nullopt;
    }
    ArticleDate a{d[0] * 1000 + d[1] * 100 + d[2] * 10 + d[3], d[4] * 10 + d[5], d[6] * 10 + d[7]};
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (a.year < 1000 || a.month < 1 || a.month > 12 || a.day < 1) return std::nullopt;
    if (a.day > days[a.month - 1] + (a.month == 2 && isLeap(a.year) ? 1 : 0)) return std::nullopt;
    return a;
}

// One line of JSON Lines -> an article, or nothing (the line is skipped), as JSONLinesReader.article(from:).
std::optional<Article> readArticle(const std::string &line) {
    json object = json::parse(line, nullptr, false);
    if (object.is_discarded() || !object.is_object()) return std::nullopt;
    Article a;

    // id: a non-empty string, or a number (as whole-number text).
    auto id = object.find("id");
    if (id == object.end()) return std::nullopt;
    if (id->is_string() && !id->get_ref<const std::string &>().empty()) a.id = id->get<std::string>();
    else if (id->is_number() && std::isfinite(id->get<double>()))
        a.id = integralText(*id).value_or(id->dump());
    else return std::nullopt;
    object.erase(id);

    // title and text: strings or absent/null, not both absent; an empty title comes from the text.
    auto take = [&](const char *key, bool &present) -> std::optional<std::string> {
        auto it = object.find(key);
        present = it != object.end() && !it->is_null();
        std::optional<std::string> out;
        if (it == object.end() || it->is_null()) out = std::string();
        else if (it->is_string()) out = it->get<std::string>();
        if (it != object.end()) object.erase(it);
        return out;
    };
    bool hasTitle, hasText;
    auto title = take("title", hasTitle);
    auto text = take("text", hasText);
    if ((!hasTitle && !hasText) || !title || !text) return std::nullopt;
    a.body = std::move(*text);
    a.title = trim(*title);
    if (a.title.empty()) {
        a.title = derivedTitle(a.body);
        if (a.title.empty()) return std::nullopt;
    }

    // date: "YYYYMMDD"/"YYYY-MM-DD" or a yyyymmdd number; an unparsable one stays in extra.
    // (Quarry also tries its date-line parser on other strings; no corpus here has such dates.)
    if (auto it = object.find("date"); it != object.end()) {
        if (it->is_string()) a.date = parseDate(it->get<std::string>());
        else if (it->is_number()) a.date = integralText(*it) ? parseDate(*integralText(*it)) : std::nullopt;
        if (a.date || it->is_null()) object.erase(it);
    }

    // category, url, author: trimmed non-empty strings; null is dropped; other types stay in extra.
    auto takeText = [&](const char *key) -> std::optional<std::string> {
        auto it = object.find(key);
        if (it == object.end()) return std::nullopt;
        if (it->is_null()) {
            object.erase(it);
            return std::nullopt;
        }
        if (!it->is_string()) return std::nullopt;
        std::string v = trim(it->get<std::string>());
        object.erase(it);
        if (v.empty()) return std::nullopt;
        return v;
    };
    a.category = takeText("category");
    a.url = takeText("url");
    a.author = takeText("author");
    if (!object.empty()) a.extra = std::move(object);
    return a;
}

// ---- ArticleDocumentBuilder ----------------------------------------------------------------------------

struct Source {
    std::string path, signature;
};

Xapian::Document buildDocument(Xapian::TermGenerator &tg, const Article &a, const Source &source,
                               Xapian::termcount titleWeight) {
    Xapian::Document doc;
    tg.set_document(doc);

    tg.index_text(a.title, 1, "S");
    tg.increase_termpos(kFieldGap);
    tg.index_text(a.title, titleWeight);
    if (a.author && !a.author->empty()) {
        tg.increase_termpos(kFieldGap);
        tg.index_text(*a.author, 1, "A");
    }
    // (JSON Lines articles have no standfirst.)
    if (!a.body.empty()) {
        tg.increase_termpos(kFieldGap);
        tg.index_text(a.body);
    }

    doc.add_boolean_term(boundedTerm("Q" + a.id));
    if (a.category && !a.category->empty()) {
        doc.add_boolean_term(boundedTerm("XC" + lowercased(*a.category)));
        doc.add_value(kSlotCategory, *a.category);
    }
    if (a.date) {
        const std::string ymd = a.date->yyyymmdd();
        doc.add_boolean_term("D" + ymd);
        doc.add_boolean_term("M" + ymd.substr(0, 6));
        doc.add_boolean_term("Y" + ymd.substr(0, 4));
        doc.add_value(kSlotDate, ymd);
        doc.add_value(kSlotMonth, ymd.substr(0, 6));
        doc.add_value(kSlotDayNumber, Xapian::sortable_serialise(static_cast<double>(a.date->daysSinceEpoch())));
    }
    if (a.url && !a.url->empty()) doc.add_boolean_term(boundedTerm("U" + *a.url));
    doc.add_value(kSlotTitleKey, titleKey(a.title));
    doc.add_value(kSlotSourcePath, source.path);
    doc.add_value(kSlotSourceSignature, source.signature);
    doc.set_data(storedData(a));
    doc.add_value(kSlotSummary, hitSummary(a));
    return doc;
}

// Indexer.store's spelling collection (ArticleDocumentBuilder): each unprefixed word with its occurrences,
// its wdf less (titleWeight - 1) x its title (S) occurrences.
void collectWords(const Xapian::Document &doc, Xapian::termcount titleWeight,
                  std::unordered_map<std::string, Xapian::termcount> &words) {
    std::unordered_map<std::string, Xapian::termcount> title;
    std::vector<std::pair<std::string, Xapian::termcount>> plain;
    for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
        const std::string term = *it;
        if (term.empty()) continue;
        if (term[0] == 'S') title.emplace(term.substr(1), it.get_wdf());
        else if (term[0] < 'A' || term[0] > 'Z') plain.emplace_back(term, it.get_wdf());
    }
    for (auto &[term, wdf] : plain) {
        auto t = title.find(term);
        const long n = long(wdf) - long(titleWeight - 1) * long(t == title.end() ? 0 : t->second);
        if (n > 0) words[term] += Xapian::termcount(n);
    }
}

// DatabaseFiles.sync: fsync each file of the database folder, then the folder.
void syncFiles(const std::string &path) {
    std::vector<std::string> names;
    for (auto &entry : fs::directory_iterator(path)) names.push_back(entry.path().string());
    names.push_back(path);
    for (auto &name : names) {
        int fd = ::open(name.c_str(), O_RDONLY);
        if (fd < 0) continue;
        ::fsync(fd);
        ::close(fd);
    }
}

// Bytes of the regular files under a directory (Quarry's DirectorySize).
uint64_t directoryBytes(const std::string &path) {
    uint64_t total = 0;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code e2;
        if (it->is_regular_file(e2)) total += it->file_size(e2);
    }
    return total;
}

[[noreturn]] void usage(int code) {
    (code ? std::cerr : std::cout)
        << "usage: ref-index DOCS.jsonl DB [--batch N] [--no-spelling] [--title-weight N] [--language L]\n"
           "Builds DB from DOCS.jsonl with Quarry's exact schema; prints "
           "{\"docs\",\"seconds\",\"docs_per_sec\",\"index_bytes\"} as one JSON line.\n";
    std::exit(code);
}

}  // namespace

int main(int argc, char **argv) {
    std::vector<std::string> positional;
    long batch = 1000, titleWeight = 2;
    bool spelling = true;
    std::string language = "english";
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::cerr << "ref-index: " << arg << " needs a value\n";
                usage(2);
            }
            return argv[++i];
        };
        if (arg == "-h" || arg == "--help") usage(0);
        else if (arg == "--batch") batch = std::strtol(value().c_str(), nullptr, 10);
        else if (arg == "--title-weight") titleWeight = std::strtol(value().c_str(), nullptr, 10);
        else if (arg == "--language") language = value();
        else if (arg == "--no-spelling") spelling = false;
        else if (arg.size() > 1 && arg[0] == '-') {
            std::cerr << "ref-index: unknown option " << arg << "\n";
            usage(2);
        } else positional.push_back(arg);
    }
    if (positional.size() != 2 || batch <= 0 || titleWeight <= 0) usage(2);
    const std::string docsPath = positional[0], dbPath = positional[1];

    // Source of every document: the file's absolute path, and "size:mtime_ns" (Indexer.run).
    struct stat st;
    if (stat(docsPath.c_str(), &st) != 0) {
        std::cerr << "ref-index: cannot read " << docsPath << ": " << std::strerror(errno) << "\n";
        return 1;
    }
    Source source;
    source.path = fs::absolute(docsPath).lexically_normal().string();
    source.signature = std::to_string(static_cast<long long>(st.st_size)) + ":" +
                       std::to_string(static_cast<long long>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec);

    std::ifstream in(docsPath, std::ios::binary);
    if (!in) {
        std::cerr << "ref-index: cannot open " << docsPath << "\n";
        return 1;
    }
    static char buffer[1 << 20];
    in.rdbuf()->pubsetbuf(buffer, sizeof buffer);

    try {
        const auto start = std::chrono::steady_clock::now();
        const bool creating = !fs::exists(dbPath + "/iamglass");
        Xapian::WritableDatabase db(dbPath, Xapian::DB_CREATE_OR_OPEN | (creating ? Xapian::DB_NO_SYNC : 0));

        // Indexer.init: an existing database keeps its language; a new one gets Quarry's settings.
        const std::string stored = db.get_metadata("quarry.language");
        if (!stored.empty()) language = stored;
        Xapian::TermGenerator tg;
        tg.set_stemmer(Xapian::Stem(language));
        tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
        std::unordered_map<std::string, Xapian::termcount> words;  // this run's spelling data
        bool marked = false;
        if (stored.empty()) {
            db.set_metadata("quarry.schema", kSchemaVersion);
            db.set_metadata("quarry.language", language);
            db.set_metadata("quarry.stemming", std::to_string(int(Xapian::TermGenerator::STEM_SOME)));
            db.set_metadata("quarry.title_weight", std::to_string(titleWeight));
        }

        long added = 0, updated = 0, skipped = 0, pending = 0;
        std::string line;
        bool firstLine = true;
        while (std::getline(in, line)) {
            if (firstLine && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);  // a BOM
            firstLine = false;
            if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
            std::optional<Article> article = readArticle(line);
            if (!article) {
                ++skipped;
                continue;
            }
            Xapian::Document doc = buildDocument(tg, *article, source, static_cast<Xapian::termcount>(titleWeight));
            if (spelling) {
                collectWords(doc, static_cast<Xapian::termcount>(titleWeight), words);
                if (!marked) db.set_metadata("quarry.spelling_pending", "1");
                marked = true;
            }
            // Indexer.store: look the id up (added or updated?), then replace by the unique term.
            const std::string term = boundedTerm("Q" + article->id);
            const bool existed = db.postlist_begin(term) != db.postlist_end(term);
            db.replace_document(term, doc);
            ++(existed ? updated : added);
            if (++pending >= batch) {
                db.commit();
                pending = 0;
            }
        }
        for (auto &[word, n] : words) db.add_spelling(word, n);
        if (marked) db.set_metadata("quarry.spelling_pending", "");
        db.commit();
        if (creating) syncFiles(dbPath);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const Xapian::doccount inIndex = db.get_doccount();
        db.close();

        const long docs = added + updated;
        // Fixed key order for readers that look at the line.
        std::cout << "{\"docs\":" << docs << ",\"seconds\":" << json(seconds).dump()
                  << ",\"docs_per_sec\":" << json(seconds > 0 ? docs / seconds : 0.0).dump()
                  << ",\"index_bytes\":" << directoryBytes(dbPath) << ",\"added\":" << added
                  << ",\"updated\":" << updated << ",\"skipped\":" << skipped
                  << ",\"documents_in_index\":" << inIndex << "}" << std::endl;
    } catch (const Xapian::Error &e) {
        std::cerr << "ref-index: " << e.get_description() << "\n";
        return 1;
    }
    return 0;
}
