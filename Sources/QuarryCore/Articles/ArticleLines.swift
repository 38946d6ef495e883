/// Line-level helpers shared by the text parser: splitting, trimming and the
/// boilerplate / caption tests. All ASCII-case-insensitive byte comparisons.
enum ArticleLines {
    /// Splits on "\n", "\r\n" and lone "\r"; lines are returned untrimmed.
    static func split(_ text: Substring) -> [Substring] {
        let utf8 = text.utf8
        // Line ends are found on contiguous bytes (fast even in debug builds), then mapped to
        // indices; offsetting a native UTF-8 string's index is constant time.
        let ends: [(lineEnd: Int, next: Int)]? = utf8.withContiguousStorageIfAvailable { bytes in
            var ends: [(lineEnd: Int, next: Int)] = []
            var index = 0
            let count = bytes.count
            while index < count {
                let byte = bytes[index]
                if byte == 0x0A {
                    ends.append((index, index + 1))
                } else if byte == 0x0D {
                    let next = index + 1 < count && bytes[index + 1] == 0x0A ? index + 2 : index + 1
                    ends.append((index, next))
                    index = next
                    continue
                }
                index += 1
            }
            return ends
        }
        guard let ends else { return splitSlowly(text) }
        var lines: [Substring] = []
        lines.reserveCapacity(ends.count + 1)
        var lineStart = utf8.startIndex
        for end in ends {
            let lineEnd = utf8.index(utf8.startIndex, offsetBy: end.lineEnd)
            lines.append(text[lineStart..<lineEnd])
            lineStart = utf8.index(utf8.startIndex, offsetBy: end.next)
        }
        if lineStart != utf8.endIndex { lines.append(text[lineStart..<utf8.endIndex]) }
        return lines
    }

    /// The same split for strings without contiguous UTF-8 storage (bridged or foreign strings).
    private static func splitSlowly(_ text: Substring) -> [Substring] {
        var lines: [Substring] = []
        let utf8 = text.utf8
        var lineStart = utf8.startIndex
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte == 0x0A || byte == 0x0D {
                lines.append(text[lineStart..<index])
                var next = utf8.index(after: index)
                if byte == 0x0D, next != utf8.endIndex, utf8[next] == 0x0A { next = utf8.index(after: next) }
                index = next
                lineStart = next
            } else {
                utf8.formIndex(after: &index)
            }
        }
        if lineStart != utf8.endIndex { lines.append(text[lineStart..<utf8.endIndex]) }
        return lines
    }

    /// Trims Unicode whitespace (including no-break spaces) from both ends.
    static func trim(_ line: Substring) -> Substring {
        let scalars = line.unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start != end, scalars[start].properties.isWhitespace { scalars.formIndex(after: &start) }
        while end != start {
            let before = scalars.index(before: end)
            guard scalars[before].properties.isWhitespace else { break }
            end = before
        }
        return line[start..<end]
    }

    static func hasPrefix(_ line: Substring, _ lowercasePrefix: [UInt8]) -> Bool {
        let utf8 = line.utf8
        var index = utf8.startIndex
        for expected in lowercasePrefix {
            guard index != utf8.endIndex, lowered(utf8[index]) == expected else { return false }
            utf8.formIndex(after: &index)
        }
        return true
    }

    static func hasSuffix(_ line: Substring, _ lowercaseSuffix: [UInt8]) -> Bool {
        let utf8 = line.utf8
        var index = utf8.endIndex
        for expected in lowercaseSuffix.reversed() {
            guard index != utf8.startIndex else { return false }
            utf8.formIndex(before: &index)
            guard lowered(utf8[index]) == expected else { return false }
        }
        return true
    }

    static func equals(_ line: Substring, _ lowercaseText: [UInt8]) -> Bool {
        line.utf8.count == lowercaseText.count && hasPrefix(line, lowercaseText)
    }

    private static func lowered(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }

    private static func bytes(_ text: String) -> [UInt8] { Array(text.lowercased().utf8) }

    // MARK: - Boilerplate

    /// Site furniture that is not part of the story.
    private static let boilerplateLines: [[UInt8]] = ["powered by automated translation"].map(bytes)
    private static let boilerplatePrefixes: [[UInt8]] = [
        "live updates:", "read more:", "sign up", "follow the latest",
    ].map(bytes)
    /// Gallery links: "The latest from the Israel-Gaza war – in pictures" (en dash, em dash or hyphen).
    private static let gallerySuffixes: [[UInt8]] = [" – in pictures", " — in pictures", " - in pictures"].map(bytes)
    static let maxGalleryLineLength = 160

    /// `line` must already be trimmed.
    static func isBoilerplate(_ line: Substring) -> Bool {
        guard let first = line.utf8.first else { return false }
        // Cheap gate: every rule's line starts with one of these letters or ends with "s".
        let lead = lowered(first)
        if lead == UInt8(ascii: "p") || lead == UInt8(ascii: "l") || lead == UInt8(ascii: "r")
            || lead == UInt8(ascii: "s") || lead == UInt8(ascii: "f") {
            for text in boilerplateLines where equals(line, text) { return true }
            for prefix in boilerplatePrefixes where hasPrefix(line, prefix) { return true }
        }
        if line.utf8.count <= maxGalleryLineLength * 4, line.utf8.last.map(lowered) == UInt8(ascii: "s") {
            for suffix in gallerySuffixes where hasSuffix(line, suffix) {
                return line.unicodeScalars.count <= maxGalleryLineLength
            }
        }
        return false
    }

    // MARK: - Photo captions

    /// Agencies whose credit ends a photo caption ("... Gaza city. EPA").
    private static let captionCredits: [[UInt8]] = [
        "epa", "afp", "reuters", "ap", "getty images", "getty", "pa", "bloomberg", "alamy", "shutterstock",
        "afp via getty images", "epa-efe", "anadolu", "ap photo", "wam", "the national",
    ].map { bytes(". " + $0) }
    static let maxCaptionLength = 300

    /// A short line ending in an agency credit. Captions stay in the body (they are real text)
    /// but are never taken as the standfirst.
    static func isPhotoCaption(_ line: Substring) -> Bool {
        var trimmed = line
        if trimmed.utf8.last == UInt8(ascii: ".") { trimmed = trimmed.dropLast() }
        guard trimmed.utf8.count <= maxCaptionLength * 4 else { return false }
        for credit in captionCredits where hasSuffix(trimmed, credit) {
            return line.unicodeScalars.count <= maxCaptionLength
        }
        return false
    }
}
