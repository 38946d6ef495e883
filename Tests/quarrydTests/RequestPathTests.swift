import Foundation
import QuarryClient
import QuarryCore
import QuarryTestSupport
import Testing

/// Every way into Quarry answers a request identically: the same table of requests, good and bad, sent
/// in-process (`InProcessQuarry`, what `quarry … --db` uses), over the socket as a query string (`GET`) and as
/// a JSON body (`POST`), gets equal answers: equal hits, scores, snippets, counts and facets, or equal errors
/// (status, code and message). Only the time taken may differ.
@Suite("Every request path answers alike", .timeLimit(.minutes(3)))
struct RequestPathTests {
    static let searches: [(String, SearchParameters)] = [
        ("words", SearchParameters(q: "valmora floods")),
        ("phrase, facets, collapse", SearchParameters(q: "\"port strike\"", facets: ["category", "month"], collapse: true)),
        ("facets as one comma list", SearchParameters(q: "strike", facets: ["category,month"])),
        ("categories, no snippets", SearchParameters(q: "strike", categories: ["world", "business"], snippets: false)),
        ("filter alone, empty q", SearchParameters(q: "", categories: ["science"])),
        ("newest first", SearchParameters(q: "strike", limit: 5, sort: "-date")),
        ("oldest first, paged", SearchParameters(q: "strike", limit: 3, offset: 2, sort: "date")),
        ("date range", SearchParameters(q: "floods OR strike", from: "2024-01-01", to: "20241231")),
        ("recency", SearchParameters(q: "comet", recency: 30)),
        ("boolean with a field", SearchParameters(q: "title:strike NOT transport")),
        ("wildcard", SearchParameters(q: "valmor*")),
        ("misspelt", SearchParameters(q: "comet tarow")),
        ("limit 0", SearchParameters(q: "strike", limit: 0)),
        ("no q", SearchParameters(limit: 3)),
        ("blank q without a filter", SearchParameters(q: "   ")),
        ("unknown sort", SearchParameters(q: "strike", sort: "newest")),
        ("limit too large", SearchParameters(q: "strike", limit: 5000)),
        ("negative offset", SearchParameters(q: "strike", offset: -1)),
        ("unknown facet", SearchParameters(q: "strike", facets: ["author"])),
        ("impossible date", SearchParameters(q: "strike", from: "2024-13-01")),
        ("from after to", SearchParameters(q: "strike", from: "2024-05-01", to: "2024-01-01")),
        ("recency of zero days", SearchParameters(q: "comet", recency: 0)),
        ("too many wildcards", SearchParameters(q: (1...17).map { "w\($0)*" }.joined(separator: " "))),
        ("too long", SearchParameters(q: String(repeating: "strike ", count: 1200))),
        ("rejected by Xapian", SearchParameters(q: "AND", mode: "syntax")),
    ]

    static let documentIDs = ["wire-002", "wire-003", "no/such/article.txt", "world/../etc/passwd"]
    static let similar: [(id: String, limit: Int?)] = [("wire-003", 3), ("wire-003", nil), ("no-such-id", 3),
                                                      ("wire-003", 5000)]

    @Test func theSameTableGetsTheSameAnswersInProcessAndOverTheSocket() async throws {
        let db = try await SharedIndex.prepare()
        let local = InProcessQuarry(path: db)
        try await withDaemon { daemon in
            let remote = try await QuarryClient.connect(socketPath: daemon.socketPath)
            var failures = 0
            for (name, parameters) in Self.searches {
                let inProcess = await Answer { try await local.search(parameters) }
                let viaQuery = await Answer { try await remote.search(parameters, encoding: .queryString) }
                let viaBody = await Answer { try await remote.search(parameters, encoding: .jsonBody) }
                #expect(viaQuery == inProcess, "\(name): GET differs from in-process")
                #expect(viaBody == inProcess, "\(name): POST differs from in-process")
                if case .failed = inProcess { failures += 1 }
            }
            // The table holds both kinds, so a path that failed everything (or nothing) would show.
            #expect(failures == 12, "bad requests in the table: 12, failed in-process: \(failures)")

            for id in Self.documentIDs {
                #expect(await Answer { try await remote.document(id: id) }
                        == Answer { try await local.document(id: id) }, "document \(id)")
            }
            for (id, limit) in Self.similar {
                #expect(await Answer { try await remote.similar(id: id, limit: limit) }
                        == Answer { try await local.similar(id: id, limit: limit) }, "similar \(id) \(limit ?? -1)")
            }
            let remoteStats = try await remote.stats()
            let localStats = try await local.stats()
            #expect(remoteStats.index == localStats.index)
            #expect(remoteStats.server != nil && localStats.server == nil, "only a daemon adds its own figures")
            #expect(try await remote.health() == local.health())
            await remote.close()
        }
    }

    /// With no index yet, a bad request is still a 400 (validation comes first) and a good one a 503, on both paths.
    @Test func withoutAnIndexBadRequestsAre400AndGoodOnes503() async throws {
        let directory = try ShortTempDirectory()
        defer { directory.remove() }
        let missing = directory.file("no-index-yet")
        let local = InProcessQuarry(path: missing)
        let bad = SearchParameters(q: "x", recency: -5)
        let good = SearchParameters(q: "x")
        let localBad = await Answer { try await local.search(bad) }
        let localGood = await Answer { try await local.search(good) }
        #expect(localBad.error?.status == 400 && localBad.error?.code == "bad_parameter", "\(localBad)")
        #expect(localGood.error?.status == 503 && localGood.error?.code == "index_unavailable", "\(localGood)")
        let (remoteBad, remoteGood) = try await withDaemon(db: missing, healthStatus: 503) { daemon in
            let remote = try await QuarryClient.connect(socketPath: daemon.socketPath)
            let answers = (await Answer { try await remote.search(bad) }, await Answer { try await remote.search(good) })
            await remote.close()
            return answers
        }
        #expect(remoteBad == localBad)
        #expect(remoteGood.error?.status == 503 && remoteGood.error?.code == "index_unavailable", "\(remoteGood)")
    }
}

/// One answer, comparable across paths: the value as sorted JSON with the time taken left out, or the error.
enum Answer: Equatable, Sendable, CustomStringConvertible {
    case answered(String)
    case failed(APIError)
    case other(String)

    init(_ call: () async throws -> some Encodable) async {
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            var object = try JSONSerialization.jsonObject(with: encoder.encode(try await call()))
            if var dictionary = object as? [String: Any] {
                dictionary["tookMicroseconds"] = nil
                object = dictionary
            }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            self = .answered(String(decoding: data, as: UTF8.self))
        } catch let error as APIError {
            self = .failed(error)
        } catch {
            self = .other("\(error)")
        }
    }

    var error: APIError? {
        if case .failed(let error) = self { error } else { nil }
    }

    var description: String {
        switch self {
        case .answered(let json): String(json.prefix(400))
        case .failed(let error): "\(error)"
        case .other(let text): "unexpected: \(text)"
        }
    }
}
