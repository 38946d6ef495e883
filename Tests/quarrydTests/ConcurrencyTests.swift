import Foundation
import NIOHTTP1
import QuarryClient
import QuarryCore
import QuarryTestSupport
import Testing

/// Many clients at once get the answers one client gets alone.
@Suite("quarryd: concurrent clients", .timeLimit(.minutes(3)))
struct ConcurrencyTests {
    struct Call: Sendable, CustomStringConvertible {
        var method: HTTPMethod
        var target: String
        var body: String?
        var description: String { "\(method) \(target)\(body.map { " " + $0 } ?? "")" }
    }

    /// What is compared: the status, and the hit ids (searches), the stored text (documents) or the error code.
    struct Answer: Sendable, Equatable {
        var status: Int
        var ids: [String] = []
        var total: Int?
        var detail: String?
    }

    static let calls: [Call] = [
        Call(method: .GET, target: "/search?q=strike"),
        Call(method: .GET, target: "/search?q=valmora&limit=20&snippets=false"),
        Call(method: .GET, target: "/search?q=the&limit=5&offset=5"),
        Call(method: .GET, target: "/search?q=\(enc("\"port strike\""))&limit=50"),
        Call(method: .GET, target: "/search?q=&category=sport,science&sort=-date&limit=50"),
        Call(method: .GET, target: "/search?q=\(enc("strike OR floods"))&facets=category,month&limit=3"),
        Call(method: .GET, target: "/search?q=\(enc("comet*"))&sort=date"),
        Call(method: .GET, target: "/search?q=\(enc("title:comet OR author:lindell"))"),
        Call(method: .GET, target: "/search?q=\(enc("strike NOT port"))&collapse=true"),
        Call(method: .GET, target: "/search?q=strike&recency=30&limit=20"),
        Call(method: .GET, target: "/search?q=earthquak"),
        Call(method: .GET, target: "/search?q=&from=2024-01-01&to=2024-06-30&limit=100"),
        Call(method: .POST, target: "/search", body: #"{"q":"floods","limit":15,"sort":"-date"}"#),
        Call(method: .POST, target: "/search", body: #"{"q":"bank OR rates","category":["business"],"facets":["month"]}"#),
        Call(method: .POST, target: "/search", body: #"{"q":"port strike container","collapse":true}"#),
        Call(method: .GET, target: "/documents/news/world/002-port-strike-halts-container-traffic.txt"),
        Call(method: .GET, target: "/documents/wire-005"),
        Call(method: .GET, target: "/similar/wire-006?limit=5"),
        Call(method: .GET, target: "/similar/news/science/001-comet-tarrow-brightens-faster-than-expected.txt"),
        Call(method: .GET, target: "/search?q=AND&mode=syntax"),
        Call(method: .GET, target: "/search?q=strike&limit=-1"),
        Call(method: .GET, target: "/stats"),
    ]

    static func answer(_ call: Call, _ client: Client) async throws -> Answer {
        let result = try await client.send(call.method, call.target, body: call.body.map { Array($0.utf8) })
        guard result.status == 200 else {
            return Answer(status: result.status, detail: ErrorEnvelope.decode(result)?.code ?? result.text)
        }
        if call.target.hasPrefix("/documents/") {
            let article = try client.decode(StoredArticle.self, result)
            return Answer(status: 200, ids: [article.id], detail: article.text)
        }
        if call.target == "/stats" {
            let stats = try JSONSerialization.jsonObject(with: Data(result.body)) as? [String: Any]
            return Answer(status: 200, total: stats?["documents"] as? Int)
        }
        let response = try client.decode(SearchResponse.self, result)
        return Answer(status: 200, ids: response.hits.map(\.id), total: response.total.estimated,
                      detail: response.suggestion)
    }

    @Test func eightClientsGetTheSequentialAnswers() async throws {
        let clients = 8
        let callsPerClient = 50
        try await withDaemon { daemon in
            let socket = daemon.socketPath
            let reference = try await withClient(socket) { client in
                var answers: [Answer] = []
                for call in Self.calls { answers.append(try await Self.answer(call, client)) }
                return answers
            }
            #expect(reference.filter { $0.status == 200 }.count == Self.calls.count - 2)
            #expect(reference.allSatisfy { $0.status != 200 || !$0.ids.isEmpty || $0.total != nil })

            let problems = try await withThrowingTaskGroup(of: [String].self) { group in
                for index in 0..<clients {
                    group.addTask {
                        // Each client: its own keep-alive connection, its own order through the calls.
                        try await withClient(socket) { client in
                            var problems: [String] = []
                            for step in 0..<callsPerClient {
                                let position = (index * 7 + step * (index % 2 == 0 ? 3 : 5)) % Self.calls.count
                                let answer = try await Self.answer(Self.calls[position], client)
                                if answer != reference[position] {
                                    problems.append("client \(index) step \(step) \(Self.calls[position]): "
                                        + "\(answer) != \(reference[position])")
                                }
                            }
                            return problems
                        }
                    }
                }
                var all: [String] = []
                for try await problems in group { all += problems }
                return all
            }
            #expect(problems.isEmpty, "\(problems.count) answers differed:\n\(problems.prefix(10).joined(separator: "\n"))")

            // Pipelined requests on one connection are answered in order.
            let pipelined = [3, 0, 15, 12, 19, 1]
            let requests = pipelined.enumerated().map { offset, position -> String in
                let call = Self.calls[position]
                var lines = ["\(call.method.rawValue) \(call.target) HTTP/1.1", "Host: quarry"]
                if offset == pipelined.count - 1 { lines.append("Connection: close") }
                if let body = call.body { lines += ["Content-Type: application/json", "Content-Length: \(body.utf8.count)"] }
                return lines.joined(separator: "\r\n") + "\r\n\r\n" + (call.body ?? "")
            }.joined()
            let received = try await offloadThrowing { () -> [UInt8] in
                let raw = try UnixSocketClient(path: socket)
                raw.send(Array(requests.utf8))
                return raw.readUntilClosed().bytes
            }
            let responses = RawHTTPResponse.parseAll(received)
            #expect(responses.map(\.status) == pipelined.map { reference[$0].status })
            for (response, position) in zip(responses, pipelined) where response.status == 200 {
                if let response = try? JSONDecoder().decode(SearchResponse.self, from: Data(response.body)) {
                    #expect(response.hits.map(\.id) == reference[position].ids, "pipelined \(Self.calls[position])")
                } else if let article = try? JSONDecoder().decode(StoredArticle.self, from: Data(response.body)) {
                    #expect(article.text == reference[position].detail, "pipelined \(Self.calls[position])")
                } else {
                    Issue.record("pipelined \(Self.calls[position]): undecodable \(response.bodyText.prefix(200))")
                }
            }

            // Still serving normally afterwards.
            try await withClient(socket) { client in
                let again = try await Self.answer(Self.calls[0], client)
                #expect(again == reference[0])
            }
        }
    }

    #if os(Linux)
    /// top, ps and perf show which thread is searching: the kernel knows each worker by name.
    @Test func workerThreadsCarryTheirNames() async throws {
        try await withDaemon(workers: 2) { daemon in
            let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(daemon.pid)/task")
            let names = tasks.compactMap { try? String(contentsOfFile: "/proc/\(daemon.pid)/task/\($0)/comm", encoding: .utf8) }
                .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            #expect(names.contains("quarry-worker-0"), "threads: \(names)")
            #expect(names.contains("quarry-worker-1"), "threads: \(names)")
        }
    }
    #endif
}
