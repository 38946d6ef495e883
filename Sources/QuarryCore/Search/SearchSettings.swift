import Xapian

/// How queries are parsed and ranked. The daemon reads these from config/quarry.yaml; the defaults are
/// the ones documented there.
public struct SearchSettings: Sendable, Equatable {
    /// BM25 k1 and b. With English query stopwords, k1 1.5 / b 0.75 tied for the best mean nDCG@10 over the 7
    /// judged collections and had the best mean MAP@100 (docs/relevance.md); Xapian's are 1.0 / 0.5.
    public var k1 = 1.5
    public var b = 0.75
    /// The shortest normalised document length BM25 assumes (Xapian's min_normlen, default 0.5): very short
    /// documents (a title alone) are scored as if this long. BM25's k3 is not a setting: QueryParser gives
    /// each occurrence of a repeated word its own leaf with wqf 1, so k3 never changes a parsed query's score.
    public var minNormalisedLength = 0.5
    /// Above 0: BM25+ (Xapian::BM25PlusWeight) with this delta, a floor for every matching term.
    public var bm25PlusDelta = 0.0
    /// Words dropped from queries before matching (see QueryStopwords). Snowball's English list added 0.016
    /// mean nDCG@10 over the 7 judged collections and won on every one (docs/relevance.md).
    public var stopwords = QueryStopwords.english
    /// Lower-case query words (not the operators AND, OR, NOT, XOR, NEAR, ADJ) so that capitalised and
    /// all-capitals queries are stemmed too.
    public var lowercaseQuery = true
    /// Per-query matching budget in seconds (Xapian's Enquire::set_time_limit); 0 = none.
    public var timeLimit = 0.5
    /// Wildcards expand to at most this many terms (the most frequent are kept).
    public var maxWildcardExpansion = 500
    /// Characters of context in each hit's snippet.
    public var snippetLength = 240
    /// Let Xapian weigh every word of the text by its rarity when choosing the snippet's passage, and score
    /// every candidate passage. Both are Xapian's defaults and both are off here: on 2.5 KB news articles they
    /// cost about 1,450 µs per hit together, against 270 µs without (measured with Xapian 1.4.22).
    public var snippetBackgroundModel = false
    public var snippetExhaustive = false
    /// Term proximity (ProximityBoost): how much neighbouring query words found within `proximityWindow`
    /// positions of each other add, as a share of their own weight; 0 is off.
    public var proximityWeight = 0.0
    public var proximityWindow = 8
    /// Pseudo-relevance feedback (RelevanceFeedback): whether searches use it when they don't say (`feedback`),
    /// and the expansion terms' weight as a share of a query term's.
    public var feedbackByDefault = false
    public var feedbackWeight = 0.1
    /// Bytes of a long article's text Xapian builds the snippet from: the stretch around the query's words
    /// (SnippetWindow), not the whole article.
    public var snippetWindowBytes = 720
    /// How much a brand-new article may gain with `recency` on (BM25 scores are typically 2-20).
    public var recencyWeight = 2.0
    /// Suggest spelling corrections for query words the index doesn't know.
    public var spellingSuggestions = true
    /// How often (seconds) a reader checks for a newer revision committed by quarry-index.
    public var reopenInterval = 0.2
    /// How long a remote shard (a `remote` line of a stub database) may take per operation and to connect.
    public var remoteTimeouts = RemoteTimeouts(operation: 10, connect: 2)
    /// After a remote shard failed, how often (seconds) each reader tries to open the shards again; requests in
    /// between get a 503 at once. A try can take the connect timeout (a hung server accepts and says nothing).
    public var remoteRetryInterval = 5.0
    /// A local Quarry index whose spelling data "did you mean" uses instead of the searched index's: Xapian's
    /// remote protocol carries no spelling data, so an index of remote shards needs a local copy for it.
    public var spellingIndex: String? = nil

    /// Match counts are exact up to this many matches (Xapian's check_at_least); above it they are estimates.
    public static let exactCountThreshold = 1000

    public init() {}

    var bm25: Enquire.BM25 {
        Enquire.BM25(k1: k1, k2: 0, k3: 1, b: b, minNormalisedLength: minNormalisedLength, plusDelta: bm25PlusDelta)
    }
}
