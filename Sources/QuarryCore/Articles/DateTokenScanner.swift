/// Tokenises a short date string into words, numbers and punctuation and matches
/// the date grammars DateLineParser accepts. Internal helper; works on a byte copy.
struct DateTokenScanner {
    enum Kind: Equatable {
        case word
        case number
        case punct
    }

    struct Token {
        var kind: Kind
        /// Numbers: their value (capped). Words: letters packed 5 bits each (0 when longer than 12).
        var value: Int
        /// Letters or digits in the token; punctuation: 1.
        var length: Int
        /// Punctuation: the byte itself (non-ASCII bytes are reported as 0x80).
        var byte: UInt8
        /// Words: every letter is a capital (time zone abbreviations are).
        var isUppercase = false
    }

    private var tokens: [Token] = []
    private var position = 0

    init(_ bytes: [UInt8]) {
        tokens = Self.tokenize(bytes)
    }

    static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// Packs a lowercase ASCII word into an Int so month and weekday lookups need no String.
    static func pack(_ word: String) -> Int {
        var value = 0
        for byte in word.utf8 { value = value << 5 | Int((byte | 0x20) &- 0x60) }
        return value
    }

    private static func tokenize(_ bytes: [UInt8]) -> [Token] {
        var tokens: [Token] = []
        tokens.reserveCapacity(16)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if isLetter(byte) {
                var packed = 0
                var length = 0
                var isUppercase = true
                while index < bytes.count, isLetter(bytes[index]) {
                    if length < 12 { packed = packed << 5 | Int((bytes[index] | 0x20) &- 0x60) }
                    if bytes[index] >= 0x61 { isUppercase = false }
                    length += 1
                    index += 1
                }
                tokens.append(Token(kind: .word, value: length <= 12 ? packed : 0, length: length, byte: 0,
                                    isUppercase: isUppercase))
            } else if isDigit(byte) {
                var value = 0
                var length = 0
                while index < bytes.count, isDigit(bytes[index]) {
                    if value < 1_000_000_000 { value = value * 10 + Int(bytes[index] &- 0x30) }
                    length += 1
                    index += 1
                }
                tokens.append(Token(kind: .number, value: value, length: length, byte: 0))
            } else if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                index += 1
            } else if byte == 0xC2, index + 1 < bytes.count, bytes[index + 1] == 0xA0 {
                index += 2 // no-break space
            } else if byte >= 0x80 {
                // Any other non-ASCII scalar (dashes, bullets, letters) counts as one punctuation mark.
                index += 1
                while index < bytes.count, bytes[index] & 0xC0 == 0x80 { index += 1 }
                tokens.append(Token(kind: .punct, value: 0, length: 1, byte: 0x80))
            } else {
                tokens.append(Token(kind: .punct, value: 0, length: 1, byte: byte))
                index += 1
            }
        }
        return tokens
    }

    // MARK: - Vocabulary

    private static let months: [Int: Int] = {
        let names: [(String, Int)] = [
            ("january", 1), ("jan", 1), ("february", 2), ("feb", 2), ("march", 3), ("mar", 3),
            ("april", 4), ("apr", 4), ("may", 5), ("june", 6), ("jun", 6), ("july", 7), ("jul", 7),
            ("august", 8), ("aug", 8), ("september", 9), ("sept", 9), ("sep", 9),
            ("october", 10), ("oct", 10), ("november", 11), ("nov", 11), ("december", 12), ("dec", 12),
        ]
        var table: [Int: Int] = [:]
        for (name, month) in names { table[pack(name)] = month }
        return table
    }()

    private static let weekdays: Set<Int> = Set([
        "monday", "mon", "tuesday", "tue", "tues", "wednesday", "wed", "weds", "thursday", "thu", "thur",
        "thurs", "friday", "fri", "saturday", "sat", "sunday", "sun",
    ].map(pack))

    /// Words allowed after the date besides capitalised zone abbreviations ("BST", "GMT").
    private static let timeWords: Set<Int> = Set([
        "am", "pm", "a", "p", "m", "t", "z", "at", "utc", "gmt", "local", "time", "hrs", "h",
    ].map(pack))

    private static let ordinalSuffixes: Set<Int> = Set(["st", "nd", "rd", "th"].map(pack))
    private static let packedOf = pack("of")

    // MARK: - Grammar

    mutating func parse() -> ArticleDate? {
        position = 0
        skipWeekday()
        guard let date = parseNumericISO() ?? parseMonthFirst() ?? parseDayFirst() ?? parseNumericDayMonth()
        else { return nil }
        return trailerIsTimeLike() ? date : nil
    }

    private func peek(_ offset: Int = 0) -> Token? {
        let index = position + offset
        return index < tokens.count ? tokens[index] : nil
    }

    private func isPunct(_ token: Token?, _ byte: UInt8) -> Bool {
        token?.kind == .punct && token?.byte == byte
    }

    private mutating func skipPunct(_ byte: UInt8) {
        if isPunct(peek(), byte) { position += 1 }
    }

    /// "Tuesday," / "Tue." / "Tue" before the date.
    private mutating func skipWeekday() {
        guard let token = peek(), token.kind == .word, Self.weekdays.contains(token.value) else { return }
        position += 1
        if isPunct(peek(), UInt8(ascii: ",")) || isPunct(peek(), UInt8(ascii: ".")) { position += 1 }
    }

    private func monthValue(_ token: Token?) -> Int? {
        guard let token, token.kind == .word else { return nil }
        return Self.months[token.value]
    }

    private func isDayNumber(_ token: Token?) -> Bool {
        guard let token, token.kind == .number else { return false }
        return token.length <= 2 && token.value >= 1
    }

    private func isYearNumber(_ token: Token?) -> Bool {
        guard let token, token.kind == .number else { return false }
        return token.length == 4
    }

    /// "2023-10-24", "2023/10/24", "2023.10.24" (optionally followed by "T07:13"), or "20231024".
    private mutating func parseNumericISO() -> ArticleDate? {
        guard let first = peek(), first.kind == .number else { return nil }
        if first.length == 8 {
            let date = ArticleDate(year: first.value / 10_000, month: first.value / 100 % 100, day: first.value % 100)
            if date != nil { position += 1 }
            return date
        }
        guard first.length == 4, let separator = peek(1), separator.kind == .punct,
              separator.byte == UInt8(ascii: "-") || separator.byte == UInt8(ascii: "/")
                  || separator.byte == UInt8(ascii: "."),
              let month = peek(2), month.kind == .number, month.length <= 2,
              isPunct(peek(3), separator.byte),
              let day = peek(4), day.kind == .number, day.length <= 2,
              let date = ArticleDate(year: first.value, month: month.value, day: day.value)
        else { return nil }
        position += 5
        return date
    }

    /// "October 24, 2023", "Oct. 24, 2023", "Sept 5th, 2021".
    private mutating func parseMonthFirst() -> ArticleDate? {
        let start = position
        guard let month = monthValue(peek()) else { return nil }
        position += 1
        skipPunct(UInt8(ascii: "."))
        guard isDayNumber(peek()), let day = peek()?.value else { position = start; return nil }
        position += 1
        skipOrdinalSuffix()
        skipPunct(UInt8(ascii: ","))
        guard isYearNumber(peek()), let year = peek()?.value,
              let date = ArticleDate(year: year, month: month, day: day)
        else { position = start; return nil }
        position += 1
        return date
    }

    /// "24 October 2023", "24th of Oct. 2023", "24 Oct, 2023".
    private mutating func parseDayFirst() -> ArticleDate? {
        let start = position
        guard isDayNumber(peek()), let day = peek()?.value else { return nil }
        position += 1
        skipOrdinalSuffix()
        if let token = peek(), token.kind == .word, token.value == Self.packedOf { position += 1 }
        guard let month = monthValue(peek()) else { position = start; return nil }
        position += 1
        skipPunct(UInt8(ascii: "."))
        skipPunct(UInt8(ascii: ","))
        guard isYearNumber(peek()), let year = peek()?.value,
              let date = ArticleDate(year: year, month: month, day: day)
        else { position = start; return nil }
        position += 1
        return date
    }

    /// "10/24/2023" or "24/10/2023": only when the order is unambiguous
    /// (one part above 12, or both parts equal).
    private mutating func parseNumericDayMonth() -> ArticleDate? {
        guard let first = peek(), first.kind == .number, first.length <= 2,
              let separator = peek(1), separator.kind == .punct,
              separator.byte == UInt8(ascii: "/") || separator.byte == UInt8(ascii: ".")
                  || separator.byte == UInt8(ascii: "-"),
              let second = peek(2), second.kind == .number, second.length <= 2,
              isPunct(peek(3), separator.byte),
              isYearNumber(peek(4)), let year = peek(4)?.value
        else { return nil }
        let (a, b) = (first.value, second.value)
        let date: ArticleDate?
        if a == b || b > 12 {
            date = ArticleDate(year: year, month: a, day: b)
        } else if a > 12 {
            date = ArticleDate(year: year, month: b, day: a)
        } else {
            return nil // both readings are possible
        }
        if date != nil { position += 5 }
        return date
    }

    private mutating func skipOrdinalSuffix() {
        if let token = peek(), token.kind == .word, Self.ordinalSuffixes.contains(token.value) { position += 1 }
    }

    /// After the date only a time, a zone or connecting punctuation may follow
    /// ("7:13 AM", "T07:13:00Z", "10:00 BST", "| 12:00 GMT+4"); other words mean prose.
    private func trailerIsTimeLike() -> Bool {
        for token in tokens[position...] where token.kind == .word {
            let isZone = token.isUppercase && token.length <= 5
            guard isZone || Self.timeWords.contains(token.value) else { return false }
        }
        return true
    }
}
