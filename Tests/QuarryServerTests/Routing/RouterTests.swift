import NIOHTTP1
import QuarryAPI
import Testing
@testable import QuarryServer

@Suite("Router")
struct RouterTests {
    /// A table with the same shapes as the real one; actions are irrelevant to routing.
    static let router = Router([
        Route(.GET, "/search", endpoint: "search", .onEventLoop(noop)),
        Route(.POST, "/search", endpoint: "search", .onEventLoop(noop)),
        Route(.GET, "/documents/{id...}", endpoint: "documents", .onEventLoop(noop)),
        Route(.GET, "/users/{name}/posts", endpoint: "posts", .onEventLoop(noop)),
        Route(.GET, "/stats", endpoint: "stats", .onEventLoop(noop)),
    ])

    static let noop: @Sendable (ServerRequest) -> ServerResponse = { _ in .error(.internal("unused")) }

    func resolve(_ method: HTTPMethod, _ path: String) -> Router.Resolution {
        Self.router.resolve(method: method, path: path[...])
    }

    @Test func literalPathMatchesItsMethod() throws {
        guard case .matched(let route, let parameters) = resolve(.POST, "/search") else {
            Issue.record("expected a match"); return
        }
        #expect(route.method == .POST)
        #expect(route.endpoint == "search")
        #expect(parameters.isEmpty)
    }

    @Test func trailingAndDoubleSlashesAreIgnored() {
        guard case .matched(let route, _) = resolve(.GET, "//stats/") else { Issue.record("expected a match"); return }
        #expect(route.endpoint == "stats")
    }

    @Test func remainderCaptureKeepsSlashes() {
        guard case .matched(_, let parameters) = resolve(.GET, "/documents/world/000_x.txt") else {
            Issue.record("expected a match"); return
        }
        #expect(parameters == ["id": "world/000_x.txt"])
    }

    /// Ids are opaque keys, never file paths: the capture keeps them exactly as sent, dot segments, empty
    /// segments and a leading slash included (nothing is normalised, so nothing can be "escaped" from).
    @Test(arguments: [
        ("/documents//etc/passwd", "/etc/passwd"),
        ("/documents/../x", "../x"),
        ("/documents/a/../../b", "a/../../b"),
        ("/documents/a//b/", "a//b/"),
        ("/documents/%2E%2E%2Fx", "../x"),
        ("//documents/./x", "./x"),
    ])
    func remainderCaptureIsTheRawID(path: String, id: String) {
        guard case .matched(_, let parameters) = resolve(.GET, path) else { Issue.record("expected a match"); return }
        #expect(parameters["id"] == id)
    }

    @Test(arguments: [
        ("/documents/world%2F000_x.txt", "world/000_x.txt"),
        ("/documents/caf%C3%A9%20news", "café news"),
        ("/documents/a+b", "a+b"),  // "+" is literal in paths
    ])
    func capturesArePercentDecoded(path: String, id: String) {
        guard case .matched(_, let parameters) = resolve(.GET, path) else { Issue.record("expected a match"); return }
        #expect(parameters["id"] == id)
    }

    @Test func singleSegmentCaptureInTheMiddle() {
        guard case .matched(let route, let parameters) = resolve(.GET, "/users/ann%20lee/posts") else {
            Issue.record("expected a match"); return
        }
        #expect(route.endpoint == "posts")
        #expect(parameters == ["name": "ann lee"])
        guard case .notFound = resolve(.GET, "/users/a/b/posts") else { Issue.record("one segment only"); return }
    }

    @Test(arguments: ["/", "/nope", "/search/extra", "/documents", "/documents/", "/documents/%zz", "/documents/%C3"])
    func unknownPathsAreNotFound(path: String) {
        guard case .notFound = resolve(.GET, path) else { Issue.record("\(path) should be 404"); return }
    }

    @Test func wrongMethodListsTheAllowedOnes() {
        guard case .methodNotAllowed(let allowed) = resolve(.DELETE, "/search") else {
            Issue.record("expected 405"); return
        }
        #expect(allowed == [.GET, .POST])
        guard case .methodNotAllowed(let onlyGet) = resolve(.PUT, "/documents/x") else {
            Issue.record("expected 405"); return
        }
        #expect(onlyGet == [.GET])
    }

    @Test func productionTableRoutesEveryEndpoint() {
        let router = QuarryRoutes.router(ServerContext(limits: SearchLimits(), metrics: ServerMetrics()))
        let expectations: [(HTTPMethod, String, String)] = [
            (.GET, "/search", "search"), (.POST, "/search", "search"),
            (.GET, "/documents/world/000_x.txt", "documents"), (.GET, "/similar/world/000_x.txt", "similar"),
            (.GET, "/stats", "stats"), (.GET, "/health", "health"), (.GET, "/metrics", "metrics"),
        ]
        for (method, path, endpoint) in expectations {
            guard case .matched(let route, _) = router.resolve(method: method, path: path[...]) else {
                Issue.record("\(method) \(path) did not match"); continue
            }
            #expect(route.endpoint == endpoint)
        }
        guard case .methodNotAllowed = router.resolve(method: .HEAD, path: "/search") else {
            Issue.record("HEAD is not routed"); return
        }
    }
}
