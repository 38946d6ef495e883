import Xapian

/// What an index's terms are made with: fixed when the index is created and stored in its metadata. Every later
/// run follows the stored values, as quarryd does when it parses queries, so all of an index's documents are
/// indexed the same way whatever a re-run's command line says.
public struct IndexSettings: Sendable, Equatable {
    public var language: String
    public var stemming: StemmingStrategy
    /// How many times a title word counts against a body word in free-text ranking.
    public var titleWeight: Int

    public static let defaults = IndexSettings(language: "english", stemming: .some, titleWeight: 2)

    public init(language: String, stemming: StemmingStrategy, titleWeight: Int) {
        self.language = language
        self.stemming = stemming
        self.titleWeight = titleWeight
    }

    /// The settings `database` was created with; for a new one, those `options` ask for, else the defaults. An
    /// existing index asked for another value is an error: applied to new documents only, it would index them
    /// unlike the rest (and unlike how quarryd parses queries).
    init(of database: WritableDatabase, requested options: IndexerOptions) throws(IndexerError) {
        let path = options.databasePath
        func stored(_ key: String) -> String? {
            let value = (try? database.metadata(key)) ?? ""
            return value.isEmpty ? nil : value
        }
        func resolve<Value: Equatable>(_ key: String, requested: Value?, default: Value, option: String,
                                       decode: (String) -> Value?, name: (Value) -> String) throws(IndexerError) -> Value
        {
            guard let value = stored(key).flatMap(decode) else { return requested ?? `default` }
            if let requested, requested != value {
                throw .settingMismatch(path: path, setting: option, stored: name(value), requested: name(requested))
            }
            return value
        }
        let defaults = Self.defaults
        language = try resolve(IndexSchema.Metadata.language, requested: options.language, default: defaults.language,
                               option: "language", decode: { $0 }, name: { $0 })
        stemming = try resolve(IndexSchema.Metadata.stemming, requested: options.stemming, default: defaults.stemming,
                               option: "stemming", decode: { Int32($0).flatMap(StemmingStrategy.init(rawValue:)) },
                               name: \.name)
        titleWeight = try resolve(IndexSchema.Metadata.titleWeight, requested: options.titleWeight,
                                  default: defaults.titleWeight, option: "title-weight", decode: { Int($0) },
                                  name: { String($0) })
    }

    /// Stores the settings in a new index's metadata (read back by `init(of:requested:)` and by quarryd).
    func write(to database: WritableDatabase) throws(XapianError) {
        try database.setMetadata(IndexSchema.Metadata.language, language)
        try database.setMetadata(IndexSchema.Metadata.stemming, String(stemming.rawValue))
        try database.setMetadata(IndexSchema.Metadata.titleWeight, String(titleWeight))
    }
}
