/// What the API checks in `q` before the engine sees it. Works on UTF-8 bytes: it runs on every search.
public enum QuerySyntax {
    /// Spaces and the characters that delimit words in Xapian's query syntax.
    public static func isSeparator(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "\""): true
        default: false
        }
    }

    /// How many wildcards (`word*`) the text holds: a `*` right after a word character. Over-counts rather
    /// than under-counts (`a*b*` is two), which is the safe side for a limit.
    public static func wildcardCount(_ text: String) -> Int {
        var count = 0
        var previous: UInt8 = 0x20
        for byte in text.utf8 {
            if byte == UInt8(ascii: "*") && !isSeparator(previous) && previous != UInt8(ascii: "*") { count += 1 }
            previous = byte
        }
        return count
    }
}
