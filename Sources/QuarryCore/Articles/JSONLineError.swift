/// A `.jsonl` line that did not yield an article. `line` is 1-based; 0 means the file as a whole.
public struct JSONLineError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    /// `.malformedJSON`, `.missingField`, `.invalidUTF8`, `.invalidID`, `.binary` (NUL bytes), `.empty` (no title
    /// and no text), `.tooLarge` (a line over the limit), or `.unreadable` for the file as a whole.
    public var reason: SkipReason
    /// What was wrong, without the location, e.g. `missing field "id"`.
    public var detail: String

    public init(line: Int, reason: SkipReason, detail: String) {
        self.line = line
        self.reason = reason
        self.detail = detail
    }

    /// Human text that starts with the location, e.g. `line 17: missing field "id"`.
    public var message: String { line > 0 ? "line \(line): \(detail)" : detail }

    public var description: String { message }
}
