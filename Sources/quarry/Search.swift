import ArgumentParser
import Foundation
import QuarryClient
import QuarryCore

struct Search: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ranked, phrase, boolean and filtered search.",
        discussion: """
            QUERY uses Xapian's syntax: free words (ranked), "a phrase", NEAR and ADJ, AND / OR / NOT, \
            +required -excluded, title:word, author:name, category:world, wild*, date:20230101..20231231.
            """)

    @Argument(help: "The query (several words are joined with spaces).")
    var query: [String] = []

    @Option(help: "Hits per page (0-1000).") var limit = 10
    @Option(help: "Hits to skip (for paging).") var offset = 0
    @Option(help: "Only these categories (repeatable).") var category: [String] = []
    @Option(help: "Only articles dated on or after (YYYY-MM-DD).") var from: String?
    @Option(help: "Only articles dated on or before (YYYY-MM-DD).") var to: String?
    // Unconditional: "-date" is a value here, not a flag.
    @Option(parsing: .unconditional, help: "relevance, date (oldest first) or -date (newest first).")
    var sort = "relevance"
    @Option(help: "Facets to count, comma-separated: category, month.") var facets: String?
    @Flag(help: "One hit per story (same normalised title).") var collapse = false
    @Option(help: "Favour recent articles: half-life in days.") var recency: Double?
    @Flag(name: .customLong("no-snippets"), help: "Don't build snippets.") var noSnippets = false
    @Option(help: "Search this index in-process instead of asking quarryd.", completion: .directory)
    var db: String?
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let request = try makeRequest()
        if let db {
            do {
                let response = try Searcher(path: db).search(request)
                try Output.emit(response, json: connection.json)
            } catch let failure as SearchFailure {
                Output.fail(code: failure.code, message: failure.message)
            }
            return
        }
        let body = try JSONEncoder().encode(request)
        let result = try await Output.call(connection.socketPath) { try await $0.request(.POST, "/search", body: Array(body)) }
        try Output.emit(result, as: SearchResponse.self, json: connection.json) { try Output.emit($0, json: false) }
    }

    func makeRequest() throws -> SearchRequest {
        func date(_ text: String?, _ name: String) throws -> ArticleDate? {
            guard let text else { return nil }
            guard let date = ArticleDate(yyyymmdd: text) else {
                throw ValidationError("--\(name) must be a date as YYYY-MM-DD, not '\(text)'")
            }
            return date
        }
        guard let order = SortOrder(rawValue: sort) else {
            throw ValidationError("--sort must be relevance, date or -date")
        }
        var facetList: [Facet] = []
        for name in (facets ?? "").split(separator: ",") {
            guard let facet = Facet(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--facets takes category and month, not '\(name)'")
            }
            facetList.append(facet)
        }
        return SearchRequest(q: query.joined(separator: " "), limit: limit, offset: offset, categories: category,
                             from: try date(from, "from"), to: try date(to, "to"), sort: order, facets: facetList,
                             snippets: !noSnippets, collapse: collapse, recency: recency)
    }
}

struct Doc: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show a stored article by id.")
    @Argument(help: "The article id (a path relative to the corpus, or a JSON Lines id).") var id: String
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let result = try await Output.call(connection.socketPath) {
            try await $0.request(.GET, "/documents/" + Output.pathComponent(id))
        }
        try Output.emit(result, as: StoredArticle.self, json: connection.json) { Output.printArticle($0) }
    }
}

struct Similar: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Articles like the one with this id.")
    @Argument(help: "The article id.") var id: String
    @Option(help: "How many.") var limit = 10
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let result = try await Output.call(connection.socketPath) {
            try await $0.request(.GET, "/similar/" + Output.pathComponent(id) + "?limit=\(limit)")
        }
        try Output.emit(result, as: SearchResponse.self, json: connection.json) { try Output.emit($0, json: false) }
    }
}

struct Stats: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "What the daemon's index holds.")
    @OptionGroup var connection: ConnectionOptions

    /// GET /stats: the index's figures (IndexStats) plus the daemon's own, in one flat object.
    struct DaemonStats: Decodable {
        var index: IndexStats
        var uptimeSeconds: Double?
        var queriesServed: Int?

        enum Keys: String, CodingKey { case uptimeSeconds, queriesServed }

        init(from decoder: any Decoder) throws {
            index = try IndexStats(from: decoder)
            let container = try decoder.container(keyedBy: Keys.self)
            uptimeSeconds = try container.decodeIfPresent(Double.self, forKey: .uptimeSeconds)
            queriesServed = try container.decodeIfPresent(Int.self, forKey: .queriesServed)
        }
    }

    func run() async throws {
        let result = try await Output.call(connection.socketPath) { try await $0.request(.GET, "/stats") }
        try Output.emit(result, as: DaemonStats.self, json: connection.json) { daemon in
            let stats = daemon.index
            print("index       \(stats.path)")
            print("documents   \(stats.documents)")
            print("terms       \(stats.terms)")
            print("avg length  \(String(format: "%.1f", stats.averageLength)) terms")
            print("language    \(stats.language)")
            print("revision    \(stats.revision)" + (stats.lastModified.map { " (\($0))" } ?? ""))
            if let uptime = daemon.uptimeSeconds { print("uptime      \(Int(uptime)) s") }
            if let served = daemon.queriesServed { print("queries     \(served)") }
        }
    }
}

struct Health: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Is the daemon up and its index readable? Exit 0 if so.")
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let result = try await Output.call(connection.socketPath) { try await $0.request(.GET, "/health") }
        try Output.emitRaw(result)
    }
}
