import ArgumentParser
import QuarryAPI

struct Search: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ranked, phrase, boolean and filtered search.",
        discussion: """
            QUERY uses Xapian's syntax: free words (ranked), "a phrase", NEAR and ADJ, AND / OR / NOT, \
            +required -excluded, title:word, author:name, category:world, wild*, date:20230101..20231231.
            The options are checked by the same rules as quarryd's (an empty query needs a filter, dates are \
            YYYY-MM-DD, --limit is at most 1000); a bad one is one line on stderr and exit 1.
            """)

    @Argument(help: "The query (several words are joined with spaces).")
    var query: [String] = []

    // Unconditional, here and below: a negative number is the option's value (for the API to refuse with a
    // reason), not an unknown flag.
    @Option(parsing: .unconditional, help: "Hits per page (0-1000).") var limit: Int?
    @Option(parsing: .unconditional, help: "Hits to skip (for paging).") var offset: Int?
    @Option(help: "Only these categories (repeatable).") var category: [String] = []
    @Option(help: "Only articles dated on or after (YYYY-MM-DD).") var from: String?
    @Option(help: "Only articles dated on or before (YYYY-MM-DD).") var to: String?
    // "-date" is a value here, not a flag.
    @Option(parsing: .unconditional, help: "relevance, date (oldest first) or -date (newest first).")
    var sort: String?
    @Option(help: "Facets to count, comma-separated: category, month.") var facets: String?
    @Flag(help: "One hit per story (same normalised title).") var collapse = false
    @Option(parsing: .unconditional, help: "Favour recent articles: half-life in days.") var recency: Double?
    @Flag(name: .customLong("no-snippets"), help: "Don't build snippets.") var noSnippets = false
    @Option(help: ArgumentHelp(
        "How to read the query: auto (default), words or syntax.",
        discussion: "words: every word counts (AND, quotes, hyphens are plain text); syntax: Xapian's syntax (AND/OR/NOT, \"phrases\", -word, word*, title:); auto: syntax only when the query uses it on purpose."))
    var mode: String?
    @Flag(inversion: .prefixedNo, help: "Pseudo-relevance feedback: add the top articles' best terms (default: the server's).")
    var feedback: Bool?
    @OptionGroup var connection: ConnectionOptions

    /// The flags as the API spells a search; validation is the API's, wherever the search runs.
    var parameters: SearchParameters {
        SearchParameters(
            q: query.joined(separator: " "), limit: limit, offset: offset, categories: category, from: from, to: to,
            sort: sort, facets: facets.map { [$0] } ?? [], snippets: noSnippets ? false : nil,
            collapse: collapse ? true : nil, recency: recency, mode: mode, feedback: feedback)
    }

    func run() async throws {
        let parameters = self.parameters
        await connection.run({ try await $0.search(parameters) }, render: Output.printSearch)
    }
}

struct Doc: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show a stored article by id.")
    @Argument(help: "The article id (a path relative to the corpus, or a JSON Lines id).") var id: String
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let id = self.id
        await connection.run({ try await $0.document(id: id) }, render: Output.printArticle)
    }
}

struct Similar: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Articles like the one with this id.")
    @Argument(help: "The article id.") var id: String
    @Option(parsing: .unconditional, help: "How many (0-1000; default 10).") var limit: Int?
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let (id, limit) = (self.id, self.limit)
        await connection.run({ try await $0.similar(id: id, limit: limit) }, render: Output.printSearch)
    }
}

struct Stats: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "What the index holds (and the daemon's own figures).")
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        await connection.run({ try await $0.stats() }, render: Output.printStats)
    }
}

struct Health: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Is the index readable (and the daemon up)? Prints ok and exits 0 if so, else exits 1.")
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        await connection.run({ try await $0.health() }, render: { print($0.status) })
    }
}

struct SocketPath: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "socket-path",
        abstract: "Print the socket quarry would use: --socket, else $QUARRY_SOCKET, else the default path.",
        discussion: "For other HTTP clients: curl --unix-socket \"$(quarry socket-path)\" 'http://quarry/search?q=comet'")
    @Option(help: "A socket path (printed as given).") var socket: String?

    func run() {
        print(socket ?? ConnectionOptions.environmentSocketPath)
    }
}
