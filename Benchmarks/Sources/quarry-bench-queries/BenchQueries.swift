import ArgumentParser
import Foundation
import QuarryCore

/// In-process query timing: the same engine the daemon runs, without the socket. Benchmarks/bench compares it
/// with the raw C++ reference (the wrapper's cost) and with quarryd over the socket (the server's cost).
/// (Formerly `quarry bench-queries`: the same options and JSON output.)
@main
struct BenchQueries: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quarry-bench-queries",
        abstract: "Time queries in-process against an index (used by Benchmarks/bench and Benchmarks/check).",
        discussion: "Reads QUERIES as qid<TAB>text lines (an optional third column: category=a,b&from=YYYY-MM-DD"
            + "&to=YYYY-MM-DD&sort=date|-date, as GET /search takes them), runs one warm-up pass, then --passes timed passes, "
            + "and prints p50/p95/p99 latency in µs and queries per second as JSON.")

    @Option(help: "The index folder.", completion: .directory) var db: String
    @Option(help: "A queries.tsv file (qid<TAB>text).", completion: .file()) var queries: String
    @Option(help: "Timed passes over the queries.") var passes = 3
    @Option(help: "Hits per query.") var limit = 10
    @Flag(help: "Build snippets, as a default search does.") var snippets = false
    @Option(help: "Also list the N slowest queries on stderr.") var slowest = 0
    @Flag(name: .customLong("no-suggestions"), help: "Skip \"did you mean\" lookups.") var noSuggestions = false
    @Option(help: ArgumentHelp("Also write each query's hits, from the warm-up pass, to FILE: qid<TAB>id score, id score, ...",
                               discussion: "To compare two indexes' answers (e.g. a parallel build against one writer's).",
                               valueName: "FILE"), completion: .file()) var hits: String?

    func run() throws {
        let lines = try String(contentsOfFile: queries, encoding: .utf8).split(separator: "\n")
        var requests: [SearchRequest] = []
        var qids: [String] = []
        for (number, line) in lines.enumerated() where !line.isEmpty {
            do {
                requests.append(try request(from: line))
                qids.append(String(line.prefix { $0 != "\t" }))
            } catch {
                throw ValidationError("\(queries):\(number + 1): \(error)")
            }
        }
        guard !requests.isEmpty else { throw ValidationError("no queries in \(queries)") }
        var settings = SearchSettings()
        settings.spellingSuggestions = !noSuggestions
        let searcher = try Searcher(path: db, settings: settings)
        var failures = 0
        var answers = ""
        for (request, qid) in zip(requests, qids) {
            guard let response = try? searcher.search(request) else { failures += 1; continue }
            answers += qid + "\t" + response.hits.map { "\($0.id) \($0.score)" }.joined(separator: ", ") + "\n"
        }
        if let hits { try answers.write(toFile: hits, atomically: true, encoding: .utf8) }

        var latencies: [Double] = []
        latencies.reserveCapacity(requests.count * passes)
        var worst: [(Double, String)] = []
        let clock = ContinuousClock()
        let started = clock.now
        for _ in 0..<passes {
            for request in requests {
                let begin = clock.now
                _ = try? searcher.search(request)
                let elapsed = (clock.now - begin).components
                let micros = Double(elapsed.seconds) * 1e6 + Double(elapsed.attoseconds) / 1e12
                latencies.append(micros)
                if slowest > 0 { worst.append((micros, request.q)) }
            }
        }
        let total = (clock.now - started).components
        let seconds = Double(total.seconds) + Double(total.attoseconds) / 1e18
        latencies.sort()
        for (micros, query) in worst.sorted(by: { $0.0 > $1.0 }).prefix(slowest) {
            FileHandle.standardError.write(Data("\(Int(micros)) µs  \(query)\n".utf8))
        }
        func percentile(_ p: Double) -> Double { latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
        let result: [String: Double] = [
            "queries": Double(requests.count), "passes": Double(passes), "failures": Double(failures),
            "p50_us": percentile(0.50), "p95_us": percentile(0.95), "p99_us": percentile(0.99),
            "mean_us": latencies.reduce(0, +) / Double(latencies.count), "qps": Double(latencies.count) / seconds,
        ]
        let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }

    /// A query line as the API reads a search: the third column is a query string (`GET /search` parameters),
    /// so a bad filter or sort is refused here as quarryd would refuse it, not measured as something else.
    func request(from line: Substring) throws -> SearchRequest {
        let columns = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
        var parameters = SearchParameters(q: String(columns.count > 1 ? columns[1] : line), limit: limit,
                                          snippets: snippets)
        if columns.count > 2 {
            let spelled = try SearchQueryDecoder(limits: SearchLimits()).parameters(from: QueryParameters(parsing: columns[2]))
            (parameters.categories, parameters.from, parameters.to, parameters.sort) =
                (spelled.categories, spelled.from, spelled.to, spelled.sort)
        }
        return try SearchRequestValidator().validate(parameters)
    }
}
