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

    /// What an index's metadata holds of the settings; nil where it holds nothing (a new index).
    struct Stored {
        var language: String?
        var stemming: StemmingStrategy?
        var titleWeight: Int?

        init() {}

        init(in database: Database) throws(XapianError) {
            func value(_ key: String) throws(XapianError) -> String? {
                let value = try database.metadata(key)
                return value.isEmpty ? nil : value
            }
            language = try value(IndexSchema.Metadata.language)
            stemming = try value(IndexSchema.Metadata.stemming).flatMap { Int32($0) }.flatMap(StemmingStrategy.init(rawValue:))
            titleWeight = try value(IndexSchema.Metadata.titleWeight).flatMap { Int($0) }
        }
    }

    /// The settings an index was created with, the defaults where its metadata holds none (quarryd's reading).
    init(_ stored: Stored) {
        let defaults = Self.defaults
        self.init(language: stored.language ?? defaults.language, stemming: stored.stemming ?? defaults.stemming,
                  titleWeight: stored.titleWeight ?? defaults.titleWeight)
    }

    /// The settings the index at `path` was created with (`stored`); for a new one, those `options` ask for, else
    /// the defaults. An existing index asked for another value is an error: applied to new documents only, it
    /// would index them unlike the rest (and unlike how quarryd parses queries).
    init(_ stored: Stored, requested options: IndexerOptions) throws(IndexerError) {
        func resolve<Value: Equatable>(_ value: Value?, requested: Value?, option: String,
                                       name: (Value) -> String) throws(IndexerError) -> Value?
        {
            guard let value else { return requested }
            if let requested, requested != value {
                throw .settingMismatch(path: options.databasePath, setting: option, stored: name(value),
                                       requested: name(requested))
            }
            return value
        }
        var settings = Stored()
        settings.language = try resolve(stored.language, requested: options.language, option: "language", name: { $0 })
        settings.stemming = try resolve(stored.stemming, requested: options.stemming, option: "stemming", name: \.name)
        settings.titleWeight = try resolve(stored.titleWeight, requested: options.titleWeight, option: "title-weight",
                                           name: { String($0) })
        self.init(settings)
    }

    /// Stores the settings in a new index's metadata (read back by `init(of:requested:)` and by quarryd).
    func write(to database: WritableDatabase) throws(XapianError) {
        try database.setMetadata(IndexSchema.Metadata.language, language)
        try database.setMetadata(IndexSchema.Metadata.stemming, String(stemming.rawValue))
        try database.setMetadata(IndexSchema.Metadata.titleWeight, String(titleWeight))
    }
}
