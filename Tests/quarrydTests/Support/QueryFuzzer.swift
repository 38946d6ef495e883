import Foundation
import QuarryTestSupport

/// One generated request: the exact bytes to send, and a short description for failure messages.
struct FuzzRequest: Sendable {
    var kind: String
    var bytes: [UInt8]
    /// The request line (or its first 160 bytes), printable.
    var summary: String
}

/// Generates hostile requests for quarryd: query syntax soup, every Unicode plane, control characters, invalid
/// percent-encoding and UTF-8, absurd parameters, malformed JSON, 1 MB queries. Case `n` of seed `s` is always
/// the same request, whichever thread makes it.
struct QueryFuzzer: Sendable {
    let seed: UInt64
    /// Real words of the indexed articles, so that some queries match and run the whole search path.
    let vocabulary: [String]

    func request(_ number: Int) -> FuzzRequest {
        var random = SeededRandom(seed: seed ^ (UInt64(number) &* 0xD6E8_FEB8_6659_FD93))
        _ = random.next()
        let roll = Double.random(in: 0..<1, using: &random)
        switch roll {
        case ..<0.003: return hugeQuery(&random)
        case ..<0.45: return getSearch(&random)
        case ..<0.70: return postSearch(&random)
        case ..<0.78: return malformedBody(&random)
        case ..<0.88: return brokenURL(&random)
        case ..<0.95: return documentLookup(&random)
        default: return otherMethod(&random)
        }
    }

    // MARK: - Request forms

    private func getSearch(_ random: inout SeededRandom) -> FuzzRequest {
        var pairs = [("q", query(&random))]
        if random.chance(0.1) { pairs.removeAll() }
        pairs += parameters(&random)
        pairs.shuffle(using: &random)
        let target = "/search?" + pairs.map { "\(enc($0.0))=\(enc($0.1))" }.joined(separator: "&")
        return raw("get", "GET", target)
    }

    private func postSearch(_ random: inout SeededRandom) -> FuzzRequest {
        var fields: [String] = []
        if !random.chance(0.05) { fields.append("\"q\":" + jsonValue(&random, preferring: .string(query(&random)))) }
        for (name, value) in parameters(&random) {
            fields.append(jsonString(name) + ":" + jsonValue(&random, preferring: typedValue(name, value)))
        }
        fields.shuffle(using: &random)
        return raw("post", "POST", "/search", body: Array(("{" + fields.joined(separator: ",") + "}").utf8))
    }

    private func malformedBody(_ random: inout SeededRandom) -> FuzzRequest {
        let valid = #"{"q":"port strike","limit":5,"category":["world"],"from":"2023-01-01"}"#
        let body: [UInt8]
        switch Int.random(in: 0..<8, using: &random) {
        case 0: body = Array(valid.utf8.prefix(Int.random(in: 0..<valid.utf8.count, using: &random)))
        case 1: body = (0..<Int.random(in: 1..<400, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
        case 2: body = Array(String(repeating: "[", count: Int.random(in: 1..<5000, using: &random)).utf8)
        case 3: body = Array(("{\"q\":" + String(repeating: "{\"a\":", count: 3000)).utf8)
        case 4: body = [0xEF, 0xBB, 0xBF] + Array(valid.utf8)  // a byte order mark
        case 5: body = Array(#"{"q":""#.utf8) + [0xFF, 0xFE, 0xC0, 0xAF, 0xED, 0xA0, 0x80] + Array(#""}"#.utf8)
        case 6: body = Array(#"{"q":"a","q":"b","limit":1e400,"offset":-0.0}"#.utf8)
        default: body = Array(random.pick(["null", "true", "42", "\"q\"", "[]", "{}", "{\"q\":null}",
                                            "{\"q\":\"\\ud800\"}", "{\"q\":\"\\u0000\"}", "{'q':'x'}"]).utf8)
        }
        return raw("bad-json", "POST", "/search", body: body)
    }

    /// Percent-escapes that are broken or decode to invalid UTF-8, raw bytes over 0x7F, raw control characters.
    private func brokenURL(_ random: inout SeededRandom) -> FuzzRequest {
        let escapes = ["%", "%G0", "%0", "%FF", "%C3%28", "%ED%A0%80", "%F4%90%80%80", "%C0%AF", "%E2%82", "%00",
                       "%0D%0A", "%25", "%%", "%u0041", "%F0%9F%98", "%80", "%FE%FF"]
        let word = random.pick(vocabulary)
        var target = [UInt8]("/search?".utf8)
        switch Int.random(in: 0..<4, using: &random) {
        case 0: target += Array("q=\(word)\(random.pick(escapes))\(word)".utf8)
        case 1: target += Array("\(random.pick(escapes))=1&q=\(word)".utf8)
        case 2: target += Array("q=".utf8) + [UInt8.random(in: 0x80...0xFF, using: &random)] + Array(word.utf8)
        default: target += Array("q=\(word)".utf8) + [UInt8.random(in: 0...0x1F, using: &random)] + Array("x".utf8)
        }
        if random.chance(0.3) { target = Array("/documents/".utf8) + target.dropFirst("/search?q=".utf8.count) }
        var bytes = Array("GET ".utf8) + target + Array(" HTTP/1.1\r\nHost: quarry\r\n\r\n".utf8)
        if random.chance(0.1) { bytes = Array("GET /search?q=\(word) HTTP/1.1\r\nHost: qu".utf8) + [0x00] + Array("arry\r\n\r\n".utf8) }
        return FuzzRequest(kind: "broken-url", bytes: bytes, summary: printable(bytes))
    }

    private func documentLookup(_ random: inout SeededRandom) -> FuzzRequest {
        let ids = ["..%2F..%2Fetc%2Fpasswd", "../../etc/passwd", "%2Fetc%2Fpasswd", "/etc/passwd", "..", ".",
                   "world/../../../../etc/shadow", "%00", "a%00b", "C:%5Cwindows", "~root", "$(id)", "%2e%2e%2f",
                   enc(query(&random)), String(repeating: "x/", count: 500), enc(random.pick(vocabulary))]
        let endpoint = random.chance(0.5) ? "/documents/" : "/similar/"
        var target = endpoint + random.pick(ids)
        if endpoint == "/similar/" && random.chance(0.5) { target += "?limit=" + enc(random.pick(Self.integers)) }
        return raw("document", "GET", target)
    }

    private func otherMethod(_ random: inout SeededRandom) -> FuzzRequest {
        let method = random.pick(["PUT", "DELETE", "PATCH", "OPTIONS", "POST", "GET", "TRACE"])
        let path = random.pick(["/search", "/stats", "/health", "/metrics", "/", "/search/", "//search", "/nope",
                                "/documents", "/documents/", "/similar", "/search?q=a#frag", "*"])
        return raw("method", method, path, body: method == "GET" ? nil : Array("{}".utf8))
    }

    /// A query far over `query_max_bytes`: in the URL it also exceeds `max_header_bytes`.
    private func hugeQuery(_ random: inout SeededRandom) -> FuzzRequest {
        var text = ""
        while text.utf8.count < 1 << 20 { text += random.pick(vocabulary) + " " }
        if random.chance(0.5) {
            return raw("huge-get", "GET", "/search?q=" + enc(text))
        }
        return raw("huge-post", "POST", "/search", body: Array(("{\"q\":" + jsonString(text) + "}").utf8))
    }

    // MARK: - Query text

    private static let operators = [
        "AND", "OR", "NOT", "XOR", "NEAR", "ADJ", "NEAR/3", "ADJ/12", "NEAR/0", "NEAR/99999999999", "+", "-",
        "title:", "author:", "category:", "year:", "month:", "id:", "date:", "date:20230101..20231231",
        "date:..", "date:2023..", "..", "*", "\"", "(", ")", "[", "]", "{", "}", ":", "/", "\\", "'", "&", "|",
        "!", "~", "^", "@", "#", "%", "=", "?", ",", ";", "<b>", "</b>", "AND NOT", "OR (", ") AND", "title:(",
        "Q", "XC", "ZX", "and", "or", "not",
    ]

    func query(_ random: inout SeededRandom) -> String {
        var parts: [String] = []
        for _ in 0..<Int.random(in: 1...12, using: &random) {
            parts.append(fragment(&random))
        }
        return parts.joined(separator: random.pick([" ", " ", " ", "", "  ", "\t", "\n", "\u{3000}"]))
    }

    private func fragment(_ random: inout SeededRandom) -> String {
        switch Int.random(in: 0..<20, using: &random) {
        case 0...5: return casing(random.pick(vocabulary), &random)
        case 6...9: return random.pick(Self.operators)
        case 10: return String(random.pick(vocabulary).prefix(Int.random(in: 0...3, using: &random))) + "*"
        case 11, 12: return unicode(&random, count: Int.random(in: 1...8, using: &random))
        case 13: return control(&random)
        case 14:
            let depth = Int.random(in: 1...3000, using: &random)
            let open = random.pick(["(", "[", "{", "\""])
            let close = random.chance(0.7) ? [")", "]", "}", "\""][["(", "[", "{", "\""].firstIndex(of: open)!] : ""
            return String(repeating: open, count: depth) + random.pick(vocabulary) + String(repeating: close, count: depth)
        case 15: return String(repeating: "\"", count: Int.random(in: 1...9, using: &random))
        case 16: return random.pick(Self.integers)
        case 17: return String((0..<Int.random(in: 64...400, using: &random)).map { _ in random.pick(Array("abcdefg")) })
        case 18:
            if random.chance(0.2) {  // a wildcard storm: many short prefixes, each expanding to many terms
                let count = random.chance(0.5) ? Int.random(in: 2...20, using: &random) : Int.random(in: 20...2000, using: &random)
                return (0..<count).map { _ in
                    String(random.pick(vocabulary).prefix(Int.random(in: 1...2, using: &random))) + "*"
                }.joined(separator: " ")
            }
            return random.pick(vocabulary) + random.pick(["'s", "’s", "-", "_", ".", "@", "#1", "..", "*", ":x"])
        default: return random.pick(Self.operators) + random.pick(vocabulary)
        }
    }

    private func casing(_ word: String, _ random: inout SeededRandom) -> String {
        switch Int.random(in: 0..<4, using: &random) {
        case 0: word.uppercased()
        case 1: word.capitalized
        default: word
        }
    }

    /// Scalars from every plane: the BMP (scripts, combining marks, right-to-left, zero-width, noncharacters),
    /// emoji, CJK extensions, tags and private use.
    private func unicode(_ random: inout SeededRandom, count: Int) -> String {
        let ranges: [ClosedRange<UInt32>] = [
            0x00A0...0x00FF, 0x0300...0x036F, 0x0590...0x06FF, 0x0900...0x097F, 0x0E00...0x0E7F, 0x1100...0x11FF,
            0x200B...0x200F, 0x202A...0x202E, 0x2060...0x206F, 0x3040...0x30FF, 0x4E00...0x9FFF, 0xAC00...0xD7A3,
            0xE000...0xF8FF, 0xFDD0...0xFDEF, 0xFE00...0xFE0F, 0xFEFF...0xFEFF, 0xFFF0...0xFFFF,
            0x1_0000...0x1_FFFF, 0x1_F300...0x1_FAFF, 0x2_0000...0x2_FFFF, 0x3_0000...0x3_134F,
            0xE_0000...0xE_01EF, 0xF_0000...0xF_FFFF, 0x10_0000...0x10_FFFF,
        ]
        var text = ""
        for _ in 0..<count {
            let value = UInt32.random(in: random.pick(ranges), using: &random)
            if let scalar = Unicode.Scalar(value) { text.unicodeScalars.append(scalar) }
        }
        return text
    }

    private func control(_ random: inout SeededRandom) -> String {
        let value = random.chance(0.7) ? UInt32.random(in: 0...0x1F, using: &random)
            : random.pick([0x7F, 0x80, 0x85, 0x9B, 0x9F, 0x2028, 0x2029])
        return String(Unicode.Scalar(value)!)
    }

    // MARK: - Parameters

    private static let integers = [
        "0", "1", "10", "1000", "1001", "100000", "100001", "-1", "-0", "+5", " 5", "5 ", "", "abc", "NaN", "3.5",
        "1e3", "0x10", "99999999999999999999", "9223372036854775807", "-9223372036854775808", "٣", "１０", "5,5",
    ]

    private static let dates = [
        "2023-10-24", "20231024", "2023-02-29", "2024-02-29", "2023-02-30", "2023-13-01", "0000-00-00",
        "9999-12-31", "0001-01-01", "-2023-01-01", "2023-1-1", "２０２３-０１-０１", "", "yesterday",
        "99999999999999999999", "2023-10-24T10:00:00Z", "2023/10/24", "1e9", "20231301",
    ]

    /// Up to five parameters (none half the time, so that most queries reach the engine): known ones with good
    /// and bad values, repeats and unknown names.
    private func parameters(_ random: inout SeededRandom) -> [(String, String)] {
        var pairs: [(String, String)] = []
        guard random.chance(0.5) else { return pairs }
        for _ in 0..<Int.random(in: 1...5, using: &random) {
            switch Int.random(in: 0..<12, using: &random) {
            case 0: pairs.append(("limit", random.pick(Self.integers)))
            case 1: pairs.append(("offset", random.pick(Self.integers)))
            case 2: pairs.append(("from", random.pick(Self.dates)))
            case 3: pairs.append(("to", random.pick(Self.dates)))
            case 4: pairs.append(("sort", random.pick(["relevance", "date", "-date", "+date", "DATE", "", "title"])))
            case 5: pairs.append(("facets", random.pick(["category", "month", "category,month", ",,", "year", "*"])))
            case 6: pairs.append((random.pick(["snippets", "collapse"]), random.pick(["true", "false", "1", "0", "yes", "maybe", ""])))
            case 7: pairs.append(("recency", random.pick(["7", "0", "-1", "nan", "inf", "-inf", "1e308", "5e-324", "x", ""])))
            case 8, 9:
                let value = random.chance(0.6) ? random.pick(["world", "business", "sport", "World", "", ","])
                    : unicode(&random, count: 3)
                pairs.append((random.pick(["category", "categories"]), value))
            case 10: pairs.append(("q", query(&random)))  // a repeated q: the first wins
            default: pairs.append((unicode(&random, count: 2) + random.pick(["x", "debug", "__proto__", ""]),
                                   random.pick(Self.integers)))
            }
        }
        return pairs
    }

    // MARK: - JSON

    enum JSONHint {
        case string(String)
        case integer(String)
        case number(String)
        case boolean(String)
        case list(String)
    }

    private func typedValue(_ name: String, _ value: String) -> JSONHint {
        switch name {
        case "limit", "offset": .integer(value)
        case "recency": .number(value)
        case "snippets", "collapse": .boolean(value)
        case "category", "categories", "facets": .list(value)
        default: .string(value)
        }
    }

    /// Usually the right JSON type for the value; sometimes a wrong one, a huge number or a nested mess.
    private func jsonValue(_ random: inout SeededRandom, preferring hint: JSONHint) -> String {
        if random.chance(0.15) {
            return random.pick(["null", "true", "1e400", "-1", "18446744073709551616", "[]", "{}", "[[[]]]",
                                "{\"a\":1}", "\"\"", "0.5", "[\"a\",1]"])
        }
        switch hint {
        case .string(let text): return jsonString(text)
        case .integer(let text): return Int(text).map(String.init) ?? jsonString(text)
        case .number(let text): return Double(text).flatMap { $0.isFinite ? String($0) : nil } ?? jsonString(text)
        case .boolean(let text): return ["true", "1", "yes"].contains(text) ? "true" : ["false", "0", "no"].contains(text) ? "false" : jsonString(text)
        case .list(let text): return random.chance(0.5) ? jsonString(text) : "[" + jsonString(text) + "]"
        }
    }

    // MARK: - Encoding

    private func raw(_ kind: String, _ method: String, _ target: String, body: [UInt8]? = nil) -> FuzzRequest {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: quarry\r\n"
        if let body { head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
        let bytes = Array((head + "\r\n").utf8) + (body ?? [])
        return FuzzRequest(kind: kind, bytes: bytes, summary: printable(bytes))
    }

    private func printable(_ bytes: [UInt8]) -> String {
        let line = bytes.prefix { $0 != 13 }.prefix(160)
        return String(decoding: line, as: UTF8.self).debugDescription
    }
}

/// `text` as a JSON string literal (JSONEncoder escapes every control character).
func jsonString(_ text: String) -> String {
    String(decoding: (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8), as: UTF8.self)
}
