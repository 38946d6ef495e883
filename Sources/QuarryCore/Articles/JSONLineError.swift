/// A `.jsonl` line that did not yield an article. `line` is 1-based; 0 means the file as a whole.
public struct JSONLineError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    /// `.malformedJSON`, `.missingField`, `.invalidUTF8`, `.invalidID`, `.binary` (NUL bytes), `.empty` (no title
    /// and no text), `.tooLarge` (a line over the limit), or `.unreadable` for the file as a whole.
    public var reason: SkipReason
    /// Human text that starts with the location, e.g. `line 17: missing field "id"`.
    public var message: String

    public init(line: Int, reason: SkipReason, message: String) {
        self.line = line
        self.reason = reason
        self.message = message
    }

    init(line: Int, reason: SkipReason, detail: String) {
        self.init(line: line, reason: reason, message: line > 0 ? "line \(line): \(detail)" : detail)
    }

    public var description: String { message }
}
