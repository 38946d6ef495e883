import Dispatch
import NIOConcurrencyHelpers
import QuarryAPI
import QuarryServer

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the fake backends saw, shared by every backend one factory makes.
final class FakeRecorder: Sendable {
    private struct State {
        var searches: [SearchRequest] = []
        var backendsCreated = 0
        var creationFailuresLeft = 0
        var wrongThreadCalls = 0
        var statsFail = false
    }

    // NIOLockedValueBox (a pthread mutex) rather than Synchronization.Mutex, for ThreadSanitizer: see the
    // CONTRIBUTING.md's "Sanitizers" (a contended Mutex hands over inside the uninstrumented stdlib).
    private let state = NIOLockedValueBox(State())

    init(creationFailures: Int = 0) {
        state.withLockedValue { $0.creationFailuresLeft = creationFailures }
    }

    var searches: [SearchRequest] { state.withLockedValue { $0.searches } }
    var backendsCreated: Int { state.withLockedValue { $0.backendsCreated } }
    var wrongThreadCalls: Int { state.withLockedValue { $0.wrongThreadCalls } }

    func failStats(_ fail: Bool) { state.withLockedValue { $0.statsFail = fail } }
    var statsFail: Bool { state.withLockedValue { $0.statsFail } }

    func record(_ request: SearchRequest) { state.withLockedValue { $0.searches.append(request) } }
    func recordWrongThread() { state.withLockedValue { $0.wrongThreadCalls += 1 } }

    /// False while configured creation failures remain.
    func tryCreate() -> Bool {
        state.withLockedValue { state in
            if state.creationFailuresLeft > 0 {
                state.creationFailuresLeft -= 1
                return false
            }
            state.backendsCreated += 1
            return true
        }
    }
}

/// Blocks searches for `q == "wait"` until released: lets tests hold a request in flight.
final class SearchGate: Sendable {
    let entered = DispatchSemaphore(value: 0)
    let released = DispatchSemaphore(value: 0)
}

/// A canned engine. Records which thread created it and flags calls from any other thread,
/// which would be a bug in the server's per-thread backends.
struct FakeBackend: SearchBackend {
    static let articleID = "world/000_x.txt"

    let recorder: FakeRecorder
    let gate: SearchGate?
    private let owner = pthread_self()

    init(recorder: FakeRecorder, gate: SearchGate? = nil) {
        self.recorder = recorder
        self.gate = gate
    }

    static func factory(_ recorder: FakeRecorder, gate: SearchGate? = nil) -> BackendFactory {
        { () throws(SearchFailure) -> any SearchBackend in
            guard recorder.tryCreate() else { throw .indexUnavailable("no index yet") }
            return FakeBackend(recorder: recorder, gate: gate)
        }
    }

    private func checkThread() {
        if pthread_equal(owner, pthread_self()) == 0 { recorder.recordWrongThread() }
    }

    static func hit(_ rank: Int, _ q: String) -> SearchHit {
        SearchHit(rank: rank, id: rank == 1 ? articleID : "world/00\(rank)_y.txt", score: 2.0 / Double(rank),
                  percent: 100 / rank, title: "Story \(rank) about \(q)", date: ArticleDate(yyyymmdd: "20231024"),
                  category: "world", url: nil, snippet: "<b>\(q)</b>")
    }

    func search(_ request: SearchRequest) throws(SearchFailure) -> SearchResponse {
        checkThread()
        recorder.record(request)
        if request.q == "reject" { throw .queryRejected("unbalanced quotes") }
        if request.q == "wait", let gate {
            gate.entered.signal()
            gate.released.wait()
        }
        let hits = [Self.hit(1, request.q), Self.hit(2, request.q)].prefix(request.limit)
        return SearchResponse(query: request.q, total: MatchCount(estimated: 2, lower: 2, upper: 2),
                              hits: Array(hits), tookMicroseconds: 7)
    }

    func document(id: String) throws(SearchFailure) -> StoredArticle {
        checkThread()
        guard id == Self.articleID else { throw .notFound("no document \(id)") }
        return StoredArticle(id: id, title: "Story", body: "Full text.", date: ArticleDate(yyyymmdd: "2023-10-24"),
                             category: "world", url: "https://example.com/x", author: "A. Writer")
    }

    func similar(id: String, limit: Int) throws(SearchFailure) -> SearchResponse {
        checkThread()
        guard id == Self.articleID else { throw .notFound("no document \(id)") }
        return SearchResponse(query: id, total: MatchCount(estimated: 1, lower: 1, upper: 1),
                              hits: Array([Self.hit(2, "similar")].prefix(limit)), tookMicroseconds: 3)
    }

    func stats() throws(SearchFailure) -> IndexStats {
        checkThread()
        if recorder.statsFail { throw .indexUnavailable("index is being replaced") }
        return IndexStats(documents: 42, terms: 1000, averageLength: 250.5, revision: 7, lastModified: nil,
                          language: "en", stemming: "some", datedDocuments: 40)
    }
}
