import Foundation

/// A small recursive-descent JSON parser over raw bytes, producing JSONValue directly.
/// Why not JSONSerialization: on Linux it returns NSNumber for booleans and numbers alike,
/// its errors do not say where a line went wrong, and it is slower for this one job.
/// Strings are validated as UTF-8, never repaired.
struct JSONByteParser {
    private let bytes: UnsafeRawBufferPointer
    private var index = 0
    private var depth = 0
    /// Scratch space for strings with escapes, reused across strings.
    private var scratch: [UInt8] = []

    /// Deep nesting would exhaust the stack; no article needs more than a few levels.
    static let maxDepth = 256

    private init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// Parses a complete document: one value surrounded only by whitespace.
    static func parseDocument(_ bytes: UnsafeRawBufferPointer) throws(JSONParseError) -> JSONValue {
        var parser = JSONByteParser(bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.syntax("unexpected data after the JSON value") }
        return value
    }

    /// Parses a flat object whose values are strings or null, handing each string field to `field` in
    /// document order, without building a JSONValue: hit summaries are decoded ten times per search.
    /// Anything else (nested values, numbers) is a syntax error.
    /// With `skippingOtherValues`, nested values and numbers are parsed and dropped instead (a hit reads a
    /// document's string fields without building its `extra`).
    static func parseStringFields(
        _ bytes: UnsafeRawBufferPointer, skippingOtherValues: Bool = false, _ field: (String, String) -> Void
    ) throws(JSONParseError) {
        var parser = JSONByteParser(bytes)
        parser.skipWhitespace()
        guard parser.index < bytes.count, bytes[parser.index] == UInt8(ascii: "{") else {
            throw parser.syntax("expected an object")
        }
        parser.index += 1
        parser.skipWhitespace()
        if parser.index < bytes.count, bytes[parser.index] == UInt8(ascii: "}") {
            parser.index += 1
        } else {
            while true {
                parser.skipWhitespace()
                guard parser.index < bytes.count, bytes[parser.index] == 0x22 else { throw parser.syntax("expected a field name") }
                let key = try parser.parseString()
                parser.skipWhitespace()
                guard parser.index < bytes.count, bytes[parser.index] == 0x3A else { throw parser.syntax("expected ':'") }
                parser.index += 1
                parser.skipWhitespace()
                guard parser.index < bytes.count else { throw parser.syntax("unexpected end of input") }
                if bytes[parser.index] == 0x22 {
                    field(key, try parser.parseString())
                } else if skippingOtherValues {
                    try parser.skipValue()
                } else {
                    try parser.expectLiteral("null")
                }
                parser.skipWhitespace()
                guard parser.index < bytes.count else { throw parser.syntax("unexpected end of input in an object") }
                if bytes[parser.index] == 0x7D { parser.index += 1; break } // '}'
                guard bytes[parser.index] == 0x2C else { throw parser.syntax("expected ',' or '}'") }
                parser.index += 1
            }
        }
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.syntax("unexpected data after the JSON value") }
    }

    /// Steps over one value without building it (strings are not validated or unescaped): for the fields a
    /// caller skips, such as a stored article's `extra`.
    private mutating func skipValue() throws(JSONParseError) {
        guard let base = bytes.baseAddress else { throw syntax("unexpected end of input") }
        var nesting = 0
        repeat {
            guard index < bytes.count else { throw syntax("unexpected end of input") }
            switch bytes[index] {
            case 0x22: // '"': to the closing quote, past escaped ones
                index += 1
                while true {
                    guard index < bytes.count, let quote = memchr(base + index, 0x22, bytes.count - index) else {
                        throw syntax("unterminated string")
                    }
                    let end = base.distance(to: UnsafeRawPointer(quote))
                    var backslashes = 0
                    while end - backslashes - 1 >= index, bytes[end - backslashes - 1] == 0x5C { backslashes += 1 }
                    index = end + 1
                    if backslashes % 2 == 0 { break }
                }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                nesting += 1
                guard nesting <= Self.maxDepth else { throw syntax("nesting deeper than \(Self.maxDepth)") }
                index += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard nesting > 0 else { throw syntax("unexpected close") }
                nesting -= 1
                index += 1
            default: // numbers, literals, ',', ':', whitespace
                index += 1
            }
        } while nesting > 0 || (index < bytes.count && !Self.endsValue(bytes[index]) && bytes[index - 1] != 0x22
                                && bytes[index - 1] != 0x7D && bytes[index - 1] != 0x5D)
    }

    private static func endsValue(_ byte: UInt8) -> Bool {
        byte == 0x2C || byte == 0x7D || byte == 0x5D || byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
    }

    private func syntax(_ message: String) -> JSONParseError {
        JSONParseError(kind: .syntax, offset: index, message: message)
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard index < bytes.count else { throw syntax("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw syntax("unexpected character '\(Self.printable(bytes[index]))'")
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw syntax("invalid literal") }
        let start = literal.utf8Start
        for offset in 0..<count where bytes[index + offset] != start[offset] {
            throw syntax("invalid literal")
        }
        index += count
    }

    private mutating func enter() throws(JSONParseError) {
        depth += 1
        guard depth <= Self.maxDepth else { throw syntax("nesting deeper than \(Self.maxDepth)") }
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        index += 1 // {
        var object: [String: JSONValue] = [:]
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(object)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == 0x22 else { throw syntax("expected a field name") }
            let key = try parseString()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == 0x3A else { throw syntax("expected ':'") }
            index += 1
            skipWhitespace()
            object[key] = try parseValue() // a repeated key keeps the last value, like most parsers
            skipWhitespace()
            guard index < bytes.count else { throw syntax("unexpected end of input in an object") }
            switch bytes[index] {
            case 0x2C: index += 1 // ','
            case 0x7D: index += 1; return .object(object) // '}'
            default: throw syntax("expected ',' or '}'")
            }
        }
    }

    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        index += 1 // [
        var array: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(array)
        }
        while true {
            skipWhitespace()
            array.append(try parseValue())
            skipWhitespace()
            guard index < bytes.count else { throw syntax("unexpected end of input in an array") }
            switch bytes[index] {
            case 0x2C: index += 1 // ','
            case 0x5D: index += 1; return .array(array) // ']'
            default: throw syntax("expected ',' or ']'")
            }
        }
    }

    /// Parses a string starting at its opening quote. Runs between escapes are found with
    /// memchr and copied in bulk, which keeps even debug builds fast on escape-heavy text.
    private mutating func parseString() throws(JSONParseError) -> String {
        let openQuote = index
        index += 1
        let start = index
        var usesScratch = false
        while true {
            guard let base = bytes.baseAddress, index < bytes.count,
                  let quote = memchr(base + index, 0x22, bytes.count - index) // '"'
            else {
                index = openQuote
                throw syntax("unterminated string")
            }
            let quoteOffset = base.distance(to: UnsafeRawPointer(quote))
            let backslash = memchr(base + index, 0x5C, quoteOffset - index) // '\\'
            let runEnd = backslash.map { base.distance(to: UnsafeRawPointer($0)) } ?? quoteOffset
            if backslash == nil, !usesScratch {
                // No escapes at all: the bytes between the quotes are the string.
                index = quoteOffset + 1
                return try makeString(UnsafeRawBufferPointer(rebasing: bytes[start..<quoteOffset]), at: start)
            }
            if !usesScratch {
                scratch.removeAll(keepingCapacity: true)
                usesScratch = true
            }
            scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[index..<runEnd])
                .assumingMemoryBound(to: UInt8.self))
            index = runEnd
            if backslash == nil {
                index += 1 // closing quote
                let result = scratch.withUnsafeBytes { raw in
                    Result { () throws(JSONParseError) in try makeString(raw, at: start) }
                }
                return try result.get()
            }
            try parseEscape()
        }
    }

    private func makeString(_ raw: UnsafeRawBufferPointer, at offset: Int) throws(JSONParseError) -> String {
        guard let string = String(validating: raw.bindMemory(to: UInt8.self), as: UTF8.self) else {
            throw JSONParseError(kind: .invalidUTF8, offset: offset, message: "invalid UTF-8 in a string")
        }
        return string
    }

    private mutating func parseEscape() throws(JSONParseError) {
        index += 1 // backslash
        guard index < bytes.count else { throw syntax("unterminated escape") }
        let code = bytes[index]
        index += 1
        switch code {
        case UInt8(ascii: "\""): scratch.append(0x22)
        case UInt8(ascii: "\\"): scratch.append(0x5C)
        case UInt8(ascii: "/"): scratch.append(0x2F)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try parseHex4()
            if (0xD800...0xDBFF).contains(scalar) {
                // A high surrogate must be followed by "\uDC00"-"\uDFFF" to form one scalar.
                if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                    let save = index
                    index += 2
                    let low = try parseHex4()
                    if (0xDC00...0xDFFF).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        index = save
                        scalar = 0xFFFD
                    }
                } else {
                    scalar = 0xFFFD
                }
            } else if (0xDC00...0xDFFF).contains(scalar) {
                scalar = 0xFFFD // a lone low surrogate cannot be represented in a String
            }
            appendUTF8(scalar)
        default:
            index -= 1
            throw syntax("invalid escape '\\\(Self.printable(code))'")
        }
    }

    private mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw syntax("short \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw syntax("invalid \\u escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    private mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case 0..<0x80:
            scratch.append(UInt8(scalar))
        case 0x80..<0x800:
            scratch.append(UInt8(0xC0 | scalar >> 6))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | scalar >> 12))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        default:
            scratch.append(UInt8(0xF0 | scalar >> 18))
            scratch.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// Validates the RFC 8259 number grammar, then converts. Small integers skip strtod.
    private mutating func parseNumber() throws(JSONParseError) -> Double {
        let start = index
        var negative = false
        if bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        let integerStart = index
        var integerValue: Int64 = 0
        while index < bytes.count, Self.isDigit(bytes[index]) {
            if index - integerStart < 18 { integerValue = integerValue * 10 + Int64(bytes[index] - 0x30) }
            index += 1
        }
        let integerDigits = index - integerStart
        guard integerDigits > 0 else { throw syntax("invalid number") }
        guard !(integerDigits > 1 && bytes[integerStart] == UInt8(ascii: "0")) else {
            index = start
            throw syntax("invalid number (leading zero)")
        }
        var isInteger = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            let fractionStart = index
            while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
            guard index > fractionStart else { throw syntax("invalid number (no digits after '.')") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            let exponentStart = index
            while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
            guard index > exponentStart else { throw syntax("invalid number (no exponent digits)") }
        }
        if isInteger, integerDigits <= 15 {
            return negative ? -Double(integerValue) : Double(integerValue)
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        // 1e999 would become infinity, which JSON (and JSONEncoder) cannot represent.
        guard let value = Double(text), value.isFinite else {
            index = start
            throw syntax("number out of range")
        }
        return value
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private static func printable(_ byte: UInt8) -> String {
        (0x20..<0x7F).contains(byte) ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16)
    }
}
