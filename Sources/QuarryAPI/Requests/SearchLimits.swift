/// The bounds a request is validated against: the daemon's are configurable (config/quarry.yaml), the
/// in-process path uses the defaults.
public struct SearchLimits: Sendable, Equatable {
    public static let defaultMaxLimit = 1000
    public static let defaultQueryMaxBytes = 8192
    public static let defaultQueryMaxWildcards = 16
    public static let maxOffset = 100_000

    public private(set) var defaultLimit = 10
    public var maxLimit: Int
    public var maxOffset = SearchLimits.maxOffset
    public var queryMaxBytes: Int
    public var queryMaxWildcards: Int

    public init(maxLimit: Int = SearchLimits.defaultMaxLimit, queryMaxBytes: Int = SearchLimits.defaultQueryMaxBytes,
                queryMaxWildcards: Int = SearchLimits.defaultQueryMaxWildcards) {
        self.maxLimit = maxLimit
        self.queryMaxBytes = queryMaxBytes
        self.queryMaxWildcards = queryMaxWildcards
        // A max_limit below the usual default lowers the default too, or every plain search would be a 400.
        self.defaultLimit = min(defaultLimit, maxLimit)
    }

    public var limitRange: ClosedRange<Int> { 0...maxLimit }
    public var offsetRange: ClosedRange<Int> { 0...maxOffset }
}
