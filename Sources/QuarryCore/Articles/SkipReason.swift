/// Why an input file or line was not turned into an article. An Error so it can be a Result failure.
public enum SkipReason: String, Error, Sendable, Codable, CaseIterable {
    case empty
    case binary
    case invalidUTF8
    case tooLarge
    case unreadable
    case malformedJSON
    case missingField
    case symlinkLoop
    case unsupported
    /// An id that cannot be used (see ArticleID): empty, too long, or with control characters.
    case invalidID

    /// Short human text for logs and reports.
    public var summary: String {
        switch self {
        case .empty: "empty"
        case .binary: "binary content"
        case .invalidUTF8: "invalid UTF-8"
        case .tooLarge: "too large"
        case .unreadable: "unreadable"
        case .malformedJSON: "malformed JSON"
        case .missingField: "missing field"
        case .symlinkLoop: "symlink loop"
        case .unsupported: "unsupported file type"
        case .invalidID: "invalid id"
        }
    }
}
