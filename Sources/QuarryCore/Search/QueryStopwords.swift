/// Words dropped from free-text queries before matching (Xapian::QueryParser with a Stopper). They still
/// match inside phrases ("the who") and a query made only of stopwords is kept whole by Xapian.
public enum QueryStopwords: String, Sendable, CaseIterable {
    /// Keep every word (Xapian's default).
    case none
    /// Snowball's English stop list (174 words, the list Xapian's own tools document).
    case english
    /// Lucene's short English stop set (33 words), the one bm25s and Elasticsearch's `_english_` use.
    case englishShort = "english_short"

    public init?(name: String) {
        self.init(rawValue: name.lowercased().replacingOccurrences(of: "-", with: "_"))
    }

    /// The Snowball language the list is for: a list is only used on an index of that language.
    public var language: String? { self == .none ? nil : "english" }

    /// `words` as a set, built once per list.
    public var wordSet: Set<String> { Self.sets[self] ?? [] }

    private static let sets: [QueryStopwords: Set<String>] = Dictionary(
        uniqueKeysWithValues: allCases.map { ($0, Set($0.words)) })

    public var words: [String] {
        switch self {
        case .none: []
        case .english: Self.snowballEnglish
        case .englishShort: Self.luceneEnglish
        }
    }

    /// https://snowballstem.org/algorithms/english/stop.txt (BSD licence).
    static let snowballEnglish: [String] = """
        i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers \
        herself it its itself they them their theirs themselves what which who whom this that these those am is \
        are was were be been being have has had having do does did doing would should could ought i'm you're \
        he's she's it's we're they're i've you've we've they've i'd you'd he'd she'd we'd they'd i'll you'll \
        he'll she'll we'll they'll isn't aren't wasn't weren't hasn't haven't hadn't doesn't don't didn't won't \
        wouldn't shan't shouldn't can't cannot couldn't mustn't let's that's who's what's here's there's when's \
        where's why's how's a an the and but if or because as until while of at by for with about against \
        between into through during before after above below to from up down in out on off over under again \
        further then once here there when where why how all any both each few more most other some such no nor \
        not only own same so than too very
        """.split(separator: " ").map(String.init)

    /// Lucene's EnglishAnalyzer.ENGLISH_STOP_WORDS_SET (Apache licence 2.0).
    static let luceneEnglish: [String] = """
        a an and are as at be but by for if in into is it no not of on or such that the their then there these \
        they this to was will with
        """.split(separator: " ").map(String.init)
}
