import CXapian

/// A Xapian exception, caught in the shim and carried here as a value.
///
/// `kind` keeps Xapian's error class so callers can react to each (retry on `.databaseModified`,
/// explain `.databaseLock`, show the parser's message for `.queryParser`, ...).
public struct XapianError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable {
        case assertion = "AssertionError"
        case invalidArgument = "InvalidArgumentError"
        case invalidOperation = "InvalidOperationError"
        case unimplemented = "UnimplementedError"
        case database = "DatabaseError"
        case databaseClosed = "DatabaseClosedError"
        case databaseCorrupt = "DatabaseCorruptError"
        case databaseCreate = "DatabaseCreateError"
        case databaseLock = "DatabaseLockError"
        case databaseModified = "DatabaseModifiedError"
        case databaseOpening = "DatabaseOpeningError"
        case databaseNotFound = "DatabaseNotFoundError"
        case databaseVersion = "DatabaseVersionError"
        case docNotFound = "DocNotFoundError"
        case featureUnavailable = "FeatureUnavailableError"
        case internalError = "InternalError"
        case network = "NetworkError"
        case networkTimeout = "NetworkTimeoutError"
        case queryParser = "QueryParserError"
        case serialisation = "SerialisationError"
        case range = "RangeError"
        case wildcard = "WildcardError"
        case logic = "LogicError"
        case runtime = "RuntimeError"
        case memory = "MemoryError"
        /// A std::exception that was not a Xapian::Error.
        case standardLibrary = "StdException"
        case unknown = "UnknownError"
    }

    public let kind: Kind
    /// Xapian's class name as reported (kept even when `kind` is `.unknown`).
    public let className: String
    public let message: String

    public init(kind: Kind, message: String) {
        self.kind = kind
        self.className = kind.rawValue
        self.message = message
    }

    init(className: String, message: String) {
        self.kind = Kind(rawValue: className) ?? .unknown
        self.className = className
        self.message = message
    }

    /// Takes ownership of a shim error and frees it.
    init(consuming error: OpaquePointer?) {
        guard let error else {
            self.init(className: "UnknownError", message: "the shim reported a failure without details")
            return
        }
        defer { qx_error_free(error) }
        self.init(className: String(cString: qx_error_class(error)), message: String(cString: qx_error_message(error)))
    }

    public var description: String { "\(className): \(message)" }

    /// True for the errors that mean "the database isn't there (yet)" as opposed to a broken one.
    public var isNotFound: Bool { kind == .databaseNotFound || kind == .databaseOpening }
}
