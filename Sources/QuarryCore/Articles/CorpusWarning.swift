/// Something the scanner could not use, with the reason, for the indexing report.
public struct CorpusWarning: Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var reason: SkipReason
    public var message: String

    public init(path: String, reason: SkipReason, message: String) {
        self.path = path
        self.reason = reason
        self.message = message
    }

    public var description: String { ControlCharacters.escaping("\(path): \(message)") }
}
