import Foundation
import QuarryCore
import QuarryTestSupport
import Synchronization
import Testing

/// Thousands of generated hostile requests (see `QueryFuzzer`) against the real quarryd: every one gets an
/// answer, none a 5xx, every error the JSON error shape; afterwards the daemon still answers correctly.
///
/// QUARRY_FUZZ_COUNT (default 2000), QUARRY_FUZZ_SEED (default fixed, so CI runs are repeatable) and
/// QUARRY_FUZZ_CLIENTS (default 4) scale it; `scripts/fuzz-queries` runs long variants with a fresh seed.
@Suite("quarryd: query fuzzing", .timeLimit(.minutes(120)))
struct QueryFuzzTests {
    @Test func hostileRequestsGetClearAnswersAndTheDaemonCarriesOn() async throws {
        let settings = FuzzSettings(environment: ProcessInfo.processInfo.environment)
        let vocabulary = Set(SampleCorpus.articles.flatMap { XapianWords.words($0.title) }).sorted()
        try #require(vocabulary.count > 50, "the samples give the fuzzer real words")
        let fuzzer = QueryFuzzer(seed: settings.seed, vocabulary: vocabulary)
        print("query fuzz: seed \(settings.seed), \(settings.count) requests, \(settings.clients) clients "
              + "(QUARRY_FUZZ_SEED=\(settings.seed) QUARRY_FUZZ_COUNT=\(settings.count) repeats this run)")

        try await withDaemon { daemon in
            let socket = daemon.socketPath
            let before = try await knownAnswers(socket)

            let started = Date()
            let tally = await fuzz(fuzzer, settings: settings, socket: socket)
            let seconds = Date().timeIntervalSince(started)

            print(String(format: "query fuzz: %d requests in %.1f s (%.0f/s), seed %llu", tally.answered + tally.failures.count,
                         seconds, Double(settings.count) / seconds, settings.seed))
            print("query fuzz: statuses \(tally.statuses.sorted { $0.key < $1.key })")
            print("query fuzz: error codes \(tally.codes.sorted { $0.key < $1.key })")
            let kinds = tally.kinds.keys.sorted().map { kind in
                "\(kind) \(tally.kinds[kind] ?? 0) (" + String(format: "%.1f s", tally.seconds[kind] ?? 0) + ")"
            }
            print("query fuzz: request kinds \(kinds.joined(separator: ", "))")
            for (elapsed, request) in tally.slowest { print(String(format: "query fuzz: slow %.3f s ", elapsed) + request) }
            #expect(tally.failures.isEmpty, """
                \(tally.failures.count) of \(settings.count) requests failed (seed \(settings.seed)); the first:
                \(tally.failures.prefix(20).joined(separator: "\n"))
                quarryd log (tail): \(daemon.log.suffix(3000))
                """)
            #expect(tally.answered == settings.count)
            #expect(tally.statuses[200, default: 0] > settings.count / 10, "a fair share of the queries ran a search")

            #expect(daemon.isRunning, "quarryd survived the fuzzing")
            let after = try await knownAnswers(socket)
            #expect(after == before, "the same answers to known requests before and after the fuzzing")
        }
    }

    /// Answers whose correctness is known independently of the daemon: a phrase search against a brute-force scan
    /// of the samples, and a stored article's title.
    private func knownAnswers(_ socket: String) async throws -> KnownAnswers {
        try await withClient(socket) { client in
            let health = try await client.get("/health")
            #expect(health.status == 200)
            let phrase = "port strike"
            let expected = SampleCorpus.idsContaining(phrase: phrase)
            try #require(!expected.isEmpty)
            let found = try await client.ids("q=\(enc("\"\(phrase)\""))&limit=1000&snippets=false")
            #expect(Set(found) == expected, "\"\(phrase)\"")
            let article = try #require(SampleCorpus.articles.first)
            let stored = try await client.get("/documents/" + encPath(article.id))
            let object = try JSONSerialization.jsonObject(with: Data(stored.body)) as? [String: Any]
            #expect(object?["title"] as? String == article.title)
            return KnownAnswers(phraseHits: found, title: object?["title"] as? String)
        }
    }

    private struct KnownAnswers: Equatable {
        var phraseHits: [String]
        var title: String?
    }

    /// Sends every request, `clients` connections at a time (each on its own thread), and checks each answer.
    private func fuzz(_ fuzzer: QueryFuzzer, settings: FuzzSettings, socket: String) async -> FuzzTally {
        await withTaskGroup(of: FuzzTally.self) { group in
            for client in 0..<settings.clients {
                group.addTask {
                    await offload {
                        var tally = FuzzTally()
                        var connection: UnixSocketClient?
                        for number in stride(from: client, to: settings.count, by: settings.clients) {
                            let request = fuzzer.request(number)
                            tally.kinds[request.kind, default: 0] += 1
                            let sent = Date()
                            defer { tally.timed(request, number, Date().timeIntervalSince(sent)) }
                            do {
                                if connection == nil {
                                    // The hang detector: any answer slower than this fails the request.
                                    connection = try UnixSocketClient(path: socket, timeout: 60)
                                }
                                // A send cut short (the server answered 413 and closed) still has an answer to read.
                                connection?.send(request.bytes)
                                guard let response = try connection?.readResponse() else {
                                    tally.fail(number, request, "the connection closed without an answer")
                                    connection = nil
                                    continue
                                }
                                tally.check(response, number, request)
                                if response.header("connection")?.lowercased() == "close" { connection = nil }
                            } catch {
                                tally.fail(number, request, "\(error)")
                                connection = nil
                            }
                        }
                        return tally
                    }
                }
            }
            var total = FuzzTally()
            for await tally in group { total.merge(tally) }
            return total
        }
    }
}

struct FuzzSettings: Sendable {
    var count = 2000
    var seed: UInt64 = 0x5155_4152_5259  // "QUARRY"
    var clients = 4

    init(environment: [String: String]) {
        if let text = environment["QUARRY_FUZZ_COUNT"], let value = Int(text), value > 0 { count = value }
        if let text = environment["QUARRY_FUZZ_SEED"], let value = UInt64(text) { seed = value }
        if let text = environment["QUARRY_FUZZ_CLIENTS"], let value = Int(text), value > 0 { clients = value }
    }
}

/// What the answers were, and every answer that broke a rule.
struct FuzzTally: Sendable {
    var answered = 0
    var statuses: [Int: Int] = [:]
    var codes: [String: Int] = [:]
    var kinds: [String: Int] = [:]
    /// Time from send to answer, summed by kind.
    var seconds: [String: Double] = [:]
    var failures: [String] = []

    /// The slowest requests, for the summary.
    var slowest: [(seconds: Double, request: String)] = []

    mutating func timed(_ request: FuzzRequest, _ number: Int, _ elapsed: Double) {
        seconds[request.kind, default: 0] += elapsed
        slowest.append((elapsed, "#\(number) \(request.summary.prefix(100))"))
        if slowest.count > 40 { slowest = Array(slowest.sorted { $0.seconds > $1.seconds }.prefix(5)) }
    }

    mutating func fail(_ number: Int, _ request: FuzzRequest, _ problem: String) {
        failures.append("#\(number) \(request.kind) \(request.summary): \(problem)")
    }

    /// No 5xx; a 4xx carries `{"error":{"code","message"}}` as JSON; a 200 is JSON.
    mutating func check(_ response: RawHTTPResponse, _ number: Int, _ request: FuzzRequest) {
        answered += 1
        statuses[response.status, default: 0] += 1
        let isJSON = response.header("content-type")?.hasPrefix("application/json") == true
        switch response.status {
        case 500...:
            fail(number, request, "status \(response.status): \(response.bodyText.prefix(300))")
        case 400..<500:
            guard isJSON, let code = response.errorCode, !code.isEmpty, response.errorMessage?.isEmpty == false else {
                return fail(number, request, "\(response.status) without the JSON error shape: \(response.bodyText.prefix(300))")
            }
            codes[code, default: 0] += 1
        case 200 where request.kind != "method":
            if (try? JSONSerialization.jsonObject(with: Data(response.body))) == nil || !isJSON {
                fail(number, request, "200 that is not JSON: \(response.bodyText.prefix(300))")
            }
        default:
            break
        }
    }

    mutating func merge(_ other: FuzzTally) {
        answered += other.answered
        statuses.merge(other.statuses, uniquingKeysWith: +)
        codes.merge(other.codes, uniquingKeysWith: +)
        kinds.merge(other.kinds, uniquingKeysWith: +)
        seconds.merge(other.seconds, uniquingKeysWith: +)
        slowest = Array((slowest + other.slowest).sorted { $0.seconds > $1.seconds }.prefix(5))
        failures += other.failures
    }
}
