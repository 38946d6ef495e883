// ref-query: the raw C++ reference for Quarry's query latency and throughput.
//
// Runs every query of a queries.tsv (qid<TAB>text) against a Quarry index with Quarry's query settings:
// QueryParser with the stemmer named by the database's "quarry.language" metadata (english if unset),
// STEM_SOME, flags FLAG_DEFAULT|FLAG_PHRASE|FLAG_BOOLEAN|FLAG_LOVEHATE|FLAG_WILDCARD, the database set (for
// wildcards), field "title" -> prefix "S"; BM25Weight(1.2, 0, 1, 0.75, 0.5); top k.
//
// One warm-up pass over all queries (not measured), then --passes measured passes. Each query's latency is
// taken in-process around parse + get_mset + fetching each hit's id (the document data's "id").
//
//   ref-query DB QUERIES.tsv [--k 10] [--passes 3] [--run FILE]
//
// Prints one JSON line: {"queries":N,"passes":P,"k":K,"p50_us":..,"p95_us":..,"p99_us":..,"mean_us":..,
// "qps":..,"parse_errors":E}. --run FILE also writes the first measured pass as a TREC run
// (qid Q0 id rank score ref-query), for relevance checks.
//
// Build: g++ -O2 -std=c++17 ref-query.cpp -o ref-query $(pkg-config --cflags --libs xapian-core)

#include <xapian.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

using json = nlohmann::json;

namespace {

struct Query {
    std::string qid, text;
};

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
        if (data[i] == '\\') escaped = true;
        else if (data[i] == '"') break;
    }
    if (i >= data.size()) return "";
    if (!escaped) return data.substr(head.size(), i - head.size());
    json j = json::parse(data.begin() + head.size() - 1, data.begin() + i + 1, nullptr, false);
    return j.is_string() ? j.get<std::string>() : "";
}

double percentile(std::vector<double> sorted, double p) {
    if (sorted.empty()) return 0;
    std::sort(sorted.begin(), sorted.end());
    // Nearest-rank.
    size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * sorted.size()));
    if (rank < 1) rank = 1;
    return sorted[std::min(rank, sorted.size()) - 1];
}

[[noreturn]] void usage(int code) {
    (code ? std::cerr : std::cout)
        << "usage: ref-query DB QUERIES.tsv [--k 10] [--passes 3] [--run FILE]\n"
           "Runs each query (qid<TAB>text) with Quarry's parser and BM25 settings after one warm-up pass;\n"
           "prints p50/p95/p99 latency (us) and QPS as one JSON line.\n";
    std::exit(code);
}

}  // namespace

int main(int argc, char **argv) {
    std::vector<std::string> positional;
    long k = 10, passes = 3;
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
        else if (arg == "--k") k = std::strtol(value().c_str(), nullptr, 10);
        else if (arg == "--passes") passes = std::strtol(value().c_str(), nullptr, 10);
        else if (arg == "--run") runPath = value();
        else if (arg.size() > 1 && arg[0] == '-') {
            std::cerr << "ref-query: unknown option " << arg << "\n";
            usage(2);
        } else positional.push_back(arg);
    }
    if (positional.size() != 2 || k <= 0 || passes <= 0) usage(2);

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
            queries.push_back({line.substr(0, tab), line.substr(tab + 1)});
        }
    }
    if (queries.empty()) {
        std::cerr << "ref-query: no queries in " << positional[1] << "\n";
        return 1;
    }

    try {
        Xapian::Database db(positional[0]);
        std::string language = db.get_metadata("quarry.language");
        if (language.empty()) language = "english";

        Xapian::QueryParser qp;
        qp.set_stemmer(Xapian::Stem(language));
        qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
        qp.set_database(db);
        qp.add_prefix("title", "S");
        const unsigned flags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_PHRASE |
                               Xapian::QueryParser::FLAG_BOOLEAN | Xapian::QueryParser::FLAG_LOVEHATE |
                               Xapian::QueryParser::FLAG_WILDCARD;

        Xapian::Enquire enquire(db);
        enquire.set_weighting_scheme(Xapian::BM25Weight(1.2, 0, 1, 0.75, 0.5));

        long parseErrors = 0;
        std::ofstream run;
        if (!runPath.empty()) run.open(runPath);

        // One query: parse, match, fetch each hit's id. Returns microseconds.
        auto once = [&](const Query &q, bool count, bool write) {
            const auto t0 = std::chrono::steady_clock::now();
            Xapian::Query query;
            try {
                query = qp.parse_query(q.text, flags);
            } catch (const Xapian::QueryParserError &) {
                // Text that isn't valid query syntax is searched as plain words.
                if (count) ++parseErrors;
                query = qp.parse_query(q.text, 0);
            }
            enquire.set_query(query);
            Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(k));
            std::vector<std::pair<std::string, double>> hits;
            hits.reserve(mset.size());
            for (auto it = mset.begin(); it != mset.end(); ++it)
                hits.emplace_back(idFromData(it.get_document().get_data()), it.get_weight());
            const auto t1 = std::chrono::steady_clock::now();
            if (write) {
                int rank = 1;
                for (auto &h : hits)
                    run << q.qid << " Q0 " << h.first << " " << rank++ << " " << h.second << " ref-query\n";
            }
            return std::chrono::duration<double, std::micro>(t1 - t0).count();
        };

        for (const Query &q : queries) once(q, false, false);  // warm-up

        std::vector<double> latencies;
        latencies.reserve(queries.size() * passes);
        const auto start = std::chrono::steady_clock::now();
        for (long pass = 0; pass < passes; ++pass)
            for (const Query &q : queries) latencies.push_back(once(q, pass == 0, pass == 0 && run.is_open()));
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

        double sum = 0;
        for (double l : latencies) sum += l;
        auto num = [](double v) { return json(std::round(v * 10) / 10).dump(); };
        std::cout << "{\"queries\":" << queries.size() << ",\"passes\":" << passes << ",\"k\":" << k
                  << ",\"p50_us\":" << num(percentile(latencies, 50)) << ",\"p95_us\":" << num(percentile(latencies, 95))
                  << ",\"p99_us\":" << num(percentile(latencies, 99))
                  << ",\"mean_us\":" << num(sum / latencies.size())
                  << ",\"qps\":" << num(latencies.size() / seconds) << ",\"parse_errors\":" << parseErrors
                  << ",\"documents\":" << db.get_doccount() << "}" << std::endl;
    } catch (const Xapian::Error &e) {
        std::cerr << "ref-query: " << e.get_description() << "\n";
        return 1;
    }
    return 0;
}
