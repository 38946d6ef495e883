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

    func run() throws {
        let lines = try String(contentsOfFile: queries, encoding: .utf8).split(separator: "\n")
        let requests = lines.compactMap { line -> SearchRequest? in
            let columns = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
            guard columns.count > 1 else { return line.isEmpty ? nil : SearchRequest(q: String(line), limit: limit, snippets: snippets) }
            var request = SearchRequest(q: String(columns[1]), limit: limit, snippets: snippets)
            if columns.count > 2 { Self.apply(parameters: columns[2], to: &request) }
            return request
        }
        guard !requests.isEmpty else { throw ValidationError("no queries in \(queries)") }
        var settings = SearchSettings()
        settings.spellingSuggestions = !noSuggestions
        let searcher = try Searcher(path: db, settings: settings)
        var failures = 0
        for request in requests { if (try? searcher.search(request)) == nil { failures += 1 } }

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

    /// The third column's filters and sort, so the bench's filtered and sorted query classes run in-process.
    static func apply(parameters: Substring, to request: inout SearchRequest) {
        for pair in parameters.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let value = String(parts[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(parts[1])
            switch parts[0] {
            case "category", "categories": request.categories += value.split(separator: ",").map(String.init)
            case "from": request.from = ArticleDate(yyyymmdd: value)
            case "to": request.to = ArticleDate(yyyymmdd: value)
            case "sort": request.sort = SortOrder(rawValue: value) ?? .relevance
            default: continue
            }
        }
    }
}
