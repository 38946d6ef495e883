/// What an index holds, as the engine reports it. (Not where it is: no answer holds a server path.)
public struct IndexStats: Sendable, Equatable, Codable {
    public var documents: Int
    public var terms: Int
    public var averageLength: Double
    public var revision: UInt64
    public var lastModified: String?
    public var language: String
    /// How the index was stemmed (quarry-index --stemming: some, all, all_z or none).
    public var stemming: String
    /// Articles with a date: date filters, date sorts, recency and the month facet use only these.
    public var datedDocuments: Int

    public init(documents: Int, terms: Int, averageLength: Double, revision: UInt64, lastModified: String?,
                language: String, stemming: String, datedDocuments: Int) {
        self.documents = documents; self.terms = terms; self.averageLength = averageLength
        self.revision = revision; self.lastModified = lastModified; self.language = language
        self.stemming = stemming; self.datedDocuments = datedDocuments
    }
}

/// `GET /stats`: the index's figures and, from a daemon, its own, in one flat JSON object
/// (`{"documents":…,"terms":…,…,"uptimeSeconds":…,"queriesServed":…}`). In-process there is no daemon:
/// `server` is nil and its fields are left out.
public struct StatsResponse: Sendable, Equatable, Codable {
    /// The serving process's own figures.
    public struct ServerFigures: Sendable, Equatable, Codable {
        public var uptimeSeconds: Int
        public var queriesServed: Int
        public init(uptimeSeconds: Int, queriesServed: Int) {
            self.uptimeSeconds = uptimeSeconds; self.queriesServed = queriesServed
        }
    }

    public var index: IndexStats
    public var server: ServerFigures?

    public init(index: IndexStats, server: ServerFigures? = nil) {
        self.index = index
        self.server = server
    }

    private enum ServerKeys: String, CodingKey { case uptimeSeconds }

    public init(from decoder: any Decoder) throws {
        index = try IndexStats(from: decoder)
        let hasServerFigures = try decoder.container(keyedBy: ServerKeys.self).contains(.uptimeSeconds)
        server = hasServerFigures ? try ServerFigures(from: decoder) : nil
    }

    public func encode(to encoder: any Encoder) throws {
        try index.encode(to: encoder)
        try server?.encode(to: encoder)
    }
}

/// `GET /health`: `{"status":"ok"}` when the index answers (a 503 error otherwise).
public struct HealthResponse: Sendable, Equatable, Codable {
    public var status: String
    public init(status: String = "ok") { self.status = status }
}
