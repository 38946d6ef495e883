import CXapian

/// A Snowball stemmer ("english", "french", "none", ...).
public final class Stem {
    let handle: OpaquePointer
    public let language: String

    public init(language: String) throws(XapianError) {
        var out: OpaquePointer?
        try shimCall { err in withBytes(language) { qx_stem_new($0, $1, &out, err) } }
        self.handle = out!
        self.language = language
    }

    deinit { qx_stem_free(handle) }

    public func callAsFunction(_ word: String) throws(XapianError) -> String {
        try stringResult { out, err in withBytes(word) { qx_stem_apply(handle, $0, $1, out, err) } }
    }

    /// The languages Xapian can stem.
    public static var availableLanguages: [String] {
        var list = qx_stem_languages()
        return list.takeString().split(separator: " ").map(String.init)
    }
}

/// A list of words to ignore (stopwords).
public final class Stopper {
    let handle: OpaquePointer

    public init<Words: Sequence<String>>(words: Words) {
        guard let handle = qx_stopper_new() else { fatalError("out of memory allocating a Xapian stopper") }
        self.handle = handle
        for word in words { withBytes(word) { qx_stopper_add(handle, $0, $1) } }
    }

    deinit { qx_stopper_free(handle) }
}

/// How generators and parsers stem (Xapian's stem_strategy).
public enum StemmingStrategy: Int32, Sendable, CaseIterable {
    case none = 0
    /// Stemmed terms get the Z prefix and no positions; capitalised words stay unstemmed (Xapian's default).
    case some = 1
    case all = 2
    case allZ = 3
    case someFullPositions = 4

    public init?(name: String) {
        switch name.lowercased() {
        case "none": self = .none
        case "some": self = .some
        case "all": self = .all
        case "all_z", "allz": self = .allZ
        case "some_full_pos", "somefullpositions": self = .someFullPositions
        default: return nil
        }
    }

    /// The name `init(name:)` reads.
    public var name: String {
        switch self {
        case .none: "none"
        case .some: "some"
        case .all: "all"
        case .allZ: "all_z"
        case .someFullPositions: "some_full_pos"
        }
    }

    /// Whether the generator keeps each word as written, as an unprefixed term, beside any stem; `all` and
    /// `all_z` keep only the stems.
    public var keepsWordsAsWritten: Bool { self != .all && self != .allZ }
}
