/// A decoded query string, in order, repeats kept (`category=a&category=b`).
public struct QueryParameters: Sendable, Equatable {
    public struct Pair: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(name: String, value: String) { self.name = name; self.value = value }
    }

    public private(set) var pairs: [Pair]

    public init(_ pairs: [Pair] = []) {
        self.pairs = pairs
    }

    /// Parses `a=1&b=x+y&c`. A name without "=" gets the empty value; empty pieces (`a=1&&b=2`) are skipped.
    /// Invalid percent-encoding is the client's error: 400 bad_parameter.
    public init(parsing query: Substring) throws(APIError) {
        var query = query
        // withUTF8 rethrows untyped errors: carry the typed one out in a Result.
        self.pairs = try query.withUTF8 { bytes in Result { () throws(APIError) in try Self.pairs(in: bytes) } }.get()
    }

    /// One pass over the bytes (this runs for every request on the event loop).
    private static func pairs(in bytes: UnsafeBufferPointer<UInt8>) throws(APIError) -> [Pair] {
        var pairs: [Pair] = []
        var start = 0
        while start < bytes.count {
            var end = start
            var equals: Int?
            while end < bytes.count && bytes[end] != UInt8(ascii: "&") {
                if equals == nil && bytes[end] == UInt8(ascii: "=") { equals = end }
                end += 1
            }
            defer { start = end + 1 }
            guard end > start else { continue }
            let rawName = UnsafeBufferPointer(rebasing: bytes[start..<(equals ?? end)])
            let rawValue = equals.map { UnsafeBufferPointer(rebasing: bytes[($0 + 1)..<end]) }
            guard let name = PercentDecoding.decode(rawName, plusAsSpace: true) else {
                throw .badParameter(String(decoding: rawName, as: UTF8.self),
                                    "invalid percent-encoding in the parameter name")
            }
            guard let value = rawValue.map({ PercentDecoding.decode($0, plusAsSpace: true) }) ?? "" else {
                throw .badParameter(name, "invalid percent-encoding")
            }
            pairs.append(Pair(name: name, value: value))
        }
        return pairs
    }

    /// The first value of a scalar parameter: when a scalar is repeated, the first occurrence wins.
    public func first(_ name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// Every value of a repeatable parameter, in order.
    public func all(_ name: String) -> [String] {
        pairs.compactMap { $0.name == name ? $0.value : nil }
    }
}
