import Foundation

/// Reads a `.jsonl` file (one article object per line) in chunks, so memory stays bounded by
/// `maxLineBytes` (plus one chunk) whatever the file's size: a longer line is reported as `.tooLarge`
/// with its line number and skipped without being held in memory.
///
/// Each line: required `id` (string, or number → string) and `title` and/or `text`
/// (an empty title is replaced by the first line of the text); optional `date`,
/// `category`, `url`, `author`; every other field is kept in `Article.extra`.
public struct JSONLinesReader: Sendable {
    public var url: URL
    /// Bytes read per system call.
    public var chunkSize = 1 << 20
    /// A line (one article) longer than this is skipped; quarry-index sets it to `--max-file-size`.
    public var maxLineBytes = JSONLinesReader.defaultMaxLineBytes
    /// The same as quarry-index's default `--max-file-size`: one article, whichever format it comes in.
    public static let defaultMaxLineBytes = 20 * 1024 * 1024
    /// A title taken from the text is cut (at a word boundary) to this many characters.
    public static let maxDerivedTitleLength = 200

    public init(url: URL) {
        self.url = url
    }

    /// Calls `body` for every non-blank line, in order, with its 1-based line number.
    /// A bad line is reported and reading continues; only a file that cannot be opened
    /// or read throws (with `line` 0, or the line being read when the error happened).
    public func read(
        _ body: (_ lineNumber: Int, _ result: Result<Article, JSONLineError>) -> Void
    ) throws(JSONLineError) {
        _ = try read(from: nil) { line in
            if let result = line.result { body(line.number, result) }
            return true
        }
    }

    /// Reads from `start` (the beginning when nil) and calls `body` for every line, blank ones included, in
    /// order; `body` returns false to stop there (after that line). With a `start`, the file's first
    /// `start.offset` bytes are hashed first and must match `start.fingerprint`: when they don't (the file was
    /// edited, truncated or replaced since), nothing is read and the answer is `.prefixChanged`.
    /// A bad line is reported and reading continues; only a file that cannot be opened or read throws.
    public func read(
        from start: JSONLinesPosition?,
        _ body: (JSONLine) -> Bool
    ) throws(JSONLineError) -> JSONLinesReadOutcome {
        let path = url.path
        guard let file = ArticleFileHandle(path: path) else {
            throw JSONLineError(line: 0, reason: .unreadable, detail: "cannot open \(path): " + Self.errorText())
        }
        let chunkCapacity = max(chunkSize, 1)
        let chunk = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: chunkCapacity)
        defer { chunk.deallocate() }
        var fingerprint = PrefixFingerprint()
        var lineNumber = 0
        // The file offset of buffer[0] (of the next byte read, while a long line is being dropped).
        var bufferOffset = 0

        if let start, start.offset > 0 {
            var remaining = start.offset
            while remaining > 0 {
                let wanted = UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(chunk)[..<min(remaining, chunkCapacity)])
                guard let count = file.read(into: wanted) else {
                    throw JSONLineError(line: start.lines, reason: .unreadable,
                                        detail: "read error in \(path): " + Self.errorText())
                }
                if count == 0 { return .prefixChanged }  // shorter than what was read before: truncated
                fingerprint.update(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(chunk)[..<count]))
                remaining -= count
            }
            guard fingerprint.digest == start.fingerprint else { return .prefixChanged }
            lineNumber = start.lines
            bufferOffset = start.offset
        }

        var buffer: [UInt8] = []
        buffer.reserveCapacity(chunkCapacity * 2)
        var lineStart = 0
        var searchFrom = 0
        var atEnd = false
        var isFirstLine = bufferOffset == 0
        // Inside a line over the limit: its bytes are dropped, not buffered, until its newline; it is reported
        // there (or at the end of the file), as line `droppedLine`.
        var discarding = false
        var droppedLine = 0
        let maxLineBytes = max(self.maxLineBytes, 1)
        func tooLarge(_ number: Int) -> Result<Article, JSONLineError> {
            .failure(JSONLineError(line: number, reason: .tooLarge, detail: "line longer than \(maxLineBytes) bytes"))
        }

        while !atEnd {
            guard let count = file.read(into: UnsafeMutableRawBufferPointer(chunk)) else {
                throw JSONLineError(line: lineNumber, reason: .unreadable,
                                    detail: "read error in \(path): " + Self.errorText())
            }
            atEnd = count == 0
            var incoming = UnsafeBufferPointer(rebasing: chunk[..<count])
            if discarding {
                guard let base = incoming.baseAddress, let newline = memchr(base, 0x0A, incoming.count) else {
                    fingerprint.update(UnsafeRawBufferPointer(incoming))
                    bufferOffset += incoming.count
                    // The file ends inside the long line: no newline, so no checkpoint after it.
                    if atEnd, !body(JSONLine(number: droppedLine, result: tooLarge(droppedLine), checkpoint: nil)) {
                        return .stopped
                    }
                    continue
                }
                let consumed = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(newline)) + 1
                fingerprint.update(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: incoming[..<consumed])))
                bufferOffset += consumed
                incoming = UnsafeBufferPointer(rebasing: incoming[consumed...])
                discarding = false
                let after = JSONLinesCheckpoint(offset: bufferOffset, lines: droppedLine, fingerprint: fingerprint)
                if !body(JSONLine(number: droppedLine, result: tooLarge(droppedLine), checkpoint: after)) {
                    return .stopped
                }
            }
            buffer.append(contentsOf: incoming)
            while true {
                let newline: Int? = buffer.withUnsafeBytes { raw in
                    guard searchFrom < raw.count, let base = raw.baseAddress,
                          let found = memchr(base + searchFrom, 0x0A, raw.count - searchFrom)
                    else { return nil }
                    return base.distance(to: UnsafeRawPointer(found))
                }
                let lineEnd: Int
                if let newline {
                    lineEnd = newline
                } else if atEnd, lineStart < buffer.count {
                    lineEnd = buffer.count // last line without a final newline
                } else {
                    searchFrom = buffer.count
                    break
                }
                lineNumber += 1
                let number = lineNumber
                let result: Result<Article, JSONLineError>? = buffer.withUnsafeBytes { raw in
                    var line = UnsafeRawBufferPointer(rebasing: raw[lineStart..<lineEnd])
                    if isFirstLine, line.count >= 3, line[0] == 0xEF, line[1] == 0xBB, line[2] == 0xBF {
                        line = UnsafeRawBufferPointer(rebasing: line[3...])
                    }
                    if line.count > maxLineBytes { return tooLarge(number) }
                    if let base = line.baseAddress, memchr(base, 0, line.count) != nil {
                        // Raw NUL bytes: binary data, not JSON text (as for a .txt file).
                        return .failure(JSONLineError(line: number, reason: .binary, detail: "binary content (NUL bytes)"))
                    }
                    return Self.isBlank(line) ? nil : Self.parseLine(line, lineNumber: number)
                }
                isFirstLine = false
                // Only a line with its newline is known to be whole: a checkpoint goes after it, never inside one.
                var after: JSONLinesCheckpoint?
                if newline != nil {
                    buffer.withUnsafeBytes { fingerprint.update(UnsafeRawBufferPointer(rebasing: $0[lineStart...lineEnd])) }
                    after = JSONLinesCheckpoint(offset: bufferOffset + lineEnd + 1, lines: number, fingerprint: fingerprint)
                }
                if !body(JSONLine(number: number, result: result, checkpoint: after)) { return .stopped }
                lineStart = min(lineEnd + 1, buffer.count)
                searchFrom = lineStart
            }
            // Drop the lines already handled; keep the partial one for the next chunk.
            if lineStart > 0 {
                buffer.removeSubrange(0..<lineStart)
                bufferOffset += lineStart
                searchFrom -= lineStart
                lineStart = 0
            }
            // What is left has no newline yet: past the limit, the rest of the line is dropped as it arrives.
            if buffer.count > maxLineBytes {
                lineNumber += 1
                droppedLine = lineNumber
                fingerprint.update(buffer)
                bufferOffset += buffer.count
                buffer = []
                buffer.reserveCapacity(chunkCapacity * 2)
                searchFrom = 0
                isFirstLine = false
                discarding = true
            }
        }
        return .finished
    }

    /// Parses one line's bytes (without its newline) into an article.
    public static func parseLine(_ line: UnsafeRawBufferPointer, lineNumber: Int) -> Result<Article, JSONLineError> {
        let value: JSONValue
        do {
            value = try JSONByteParser.parseDocument(line)
        } catch {
            let column = error.offset + 1
            switch error.kind {
            case .invalidUTF8:
                return .failure(JSONLineError(line: lineNumber, reason: .invalidUTF8,
                                              detail: "invalid UTF-8 at column \(column)"))
            case .syntax:
                return .failure(JSONLineError(line: lineNumber, reason: .malformedJSON,
                                              detail: "malformed JSON: \(error.message) at column \(column)"))
            }
        }
        guard case .object(let fields) = value else {
            return .failure(JSONLineError(line: lineNumber, reason: .malformedJSON, detail: "not a JSON object"))
        }
        return article(from: fields, lineNumber: lineNumber)
    }

    public static func parseLine(_ line: String, lineNumber: Int = 1) -> Result<Article, JSONLineError> {
        var copy = line
        return copy.withUTF8 { parseLine(UnsafeRawBufferPointer($0), lineNumber: lineNumber) }
    }

    /// Maps a decoded object onto Article (see the type's documentation for the rules).
    public static func article(from object: [String: JSONValue], lineNumber: Int) -> Result<Article, JSONLineError> {
        func failure(_ reason: SkipReason, _ detail: String) -> Result<Article, JSONLineError> {
            .failure(JSONLineError(line: lineNumber, reason: reason, detail: detail))
        }
        var extra = object

        let id: String
        switch extra.removeValue(forKey: "id") {
        case .string(let value) where !value.isEmpty: id = value
        case .number(let value) where value.isFinite: id = integralText(value) ?? String(value)
        case nil, .null?: return failure(.missingField, "missing field \"id\"")
        case .string?: return failure(.missingField, "field \"id\" is empty")
        default: return failure(.missingField, "field \"id\" must be a string or a number")
        }
        if let problem = ArticleID.problem(with: id) { return failure(.invalidID, "field \"id\": " + problem) }

        let titleValue = extra.removeValue(forKey: "title")
        let textValue = extra.removeValue(forKey: "text")
        if (titleValue == nil || titleValue == .null), (textValue == nil || textValue == .null) {
            return failure(.missingField, "missing field \"title\"")
        }
        guard let rawTitle = optionalString(titleValue) else {
            return failure(.missingField, "field \"title\" must be a string")
        }
        guard let text = optionalString(textValue) else {
            return failure(.missingField, "field \"text\" must be a string")
        }
        var title = String(ArticleLines.trim(rawTitle[...]))
        if title.isEmpty {
            title = derivedTitle(from: text)
            if title.isEmpty { return failure(.empty, "empty article: no title and no text") }
        }

        var date: ArticleDate?
        if let raw = extra.removeValue(forKey: "date") {
            date = parseDate(raw)
            // An unparsable date is not an error, but its value is kept rather than lost.
            if date == nil, raw != .null { extra["date"] = raw }
        }

        return .success(Article(
            id: id,
            title: title,
            standfirst: nil,
            body: text,
            date: date,
            category: takeText("category", from: &extra),
            url: takeText("url", from: &extra),
            author: takeText("author", from: &extra),
            extra: extra
        ))
    }

    // MARK: - Field helpers

    /// "" for absent or null, the string for a string, nil for any other type.
    private static func optionalString(_ value: JSONValue?) -> String? {
        switch value {
        case nil, .null?: ""
        case .string(let text)?: text
        default: nil
        }
    }

    /// Removes and returns a non-empty string field; a field of another type stays in `extra`.
    private static func takeText(_ key: String, from extra: inout [String: JSONValue]) -> String? {
        switch extra[key] {
        case .string(let text)?:
            extra[key] = nil
            let trimmed = ArticleLines.trim(text[...])
            return trimmed.isEmpty ? nil : String(trimmed)
        case .null?:
            extra[key] = nil
            return nil
        default:
            return nil
        }
    }

    private static func parseDate(_ value: JSONValue) -> ArticleDate? {
        switch value {
        case .string(let text): ArticleDate(yyyymmdd: text) ?? DateLineParser.parseDate(text)
        case .number(let number): integralText(number).flatMap { ArticleDate(yyyymmdd: $0) }
        default: nil
        }
    }

    /// "123" for 123.0 (ids and yyyymmdd numbers), nil when not a whole number in Int64 range.
    private static func integralText(_ value: Double) -> String? {
        guard value.rounded() == value, abs(value) < 9.0e15 else { return nil }
        return String(Int64(value))
    }

    /// First non-blank line of the text, cut at a word boundary so a one-line abstract does not become the title.
    static func derivedTitle(from text: String) -> String {
        guard let line = ArticleLines.split(text[...]).lazy.map(ArticleLines.trim).first(where: { !$0.isEmpty })
        else { return "" }
        guard line.unicodeScalars.count > maxDerivedTitleLength else { return String(line) }
        let scalars = line.unicodeScalars
        let limit = scalars.index(scalars.startIndex, offsetBy: maxDerivedTitleLength)
        var cut = limit
        var index = limit
        while index > scalars.startIndex {
            scalars.formIndex(before: &index)
            if scalars[index].properties.isWhitespace { cut = index; break }
        }
        return String(ArticleLines.trim(line[..<cut]))
    }

    private static func isBlank(_ line: UnsafeRawBufferPointer) -> Bool {
        line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }
}

/// One line of a JSON Lines file, as `JSONLinesReader.read(from:_:)` hands it over.
public struct JSONLine {
    /// 1-based.
    public var number: Int
    /// The article or why the line was skipped; nil for a blank line.
    public var result: Result<Article, JSONLineError>?
    /// Where reading stands after this line; nil when the line has no newline (the file's last line, which a
    /// writer may still be writing: a later read must start before it).
    public var checkpoint: JSONLinesCheckpoint?
}

/// A point between two lines, just after a newline, with the fingerprint of every byte before it.
public struct JSONLinesCheckpoint: Sendable, Equatable {
    public var offset: Int
    /// Lines before `offset`.
    public var lines: Int
    public var fingerprint: PrefixFingerprint

    /// What to store, to resume from here later.
    public var position: JSONLinesPosition {
        JSONLinesPosition(offset: offset, lines: lines, fingerprint: fingerprint.digest)
    }
}

/// A stored checkpoint: where a later read resumes, if the file's first `offset` bytes still hash to
/// `fingerprint` (a `PrefixFingerprint` digest).
public struct JSONLinesPosition: Sendable, Equatable, Codable {
    public var offset: Int
    public var lines: Int
    public var fingerprint: String

    public init(offset: Int, lines: Int, fingerprint: String) {
        self.offset = offset
        self.lines = lines
        self.fingerprint = fingerprint
    }

    public static let start = JSONLinesPosition(offset: 0, lines: 0, fingerprint: PrefixFingerprint().digest)
}

public enum JSONLinesReadOutcome: Sendable, Equatable {
    /// Read to the end of the file.
    case finished
    /// `body` asked to stop.
    case stopped
    /// The bytes before the start position are not the ones read before: nothing was read.
    case prefixChanged
}
