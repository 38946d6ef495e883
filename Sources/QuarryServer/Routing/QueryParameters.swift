/// A decoded query string, in order, repeats kept (`category=a&category=b`).
struct QueryParameters: Sendable, Equatable {
    struct Pair: Sendable, Equatable {
        var name: String
        var value: String
    }

    private(set) var pairs: [Pair]

    init(_ pairs: [Pair] = []) {
        self.pairs = pairs
    }

    /// Parses `a=1&b=x+y&c`. A name without "=" gets the empty value; empty pieces (`a=1&&b=2`) are skipped.
    /// Invalid percent-encoding is the client's error: 400 bad_parameter.
    init(parsing query: Substring) throws(APIError) {
        var pairs: [Pair] = []
        for piece in query.split(separator: "&", omittingEmptySubsequences: true) {
            let rawName: Substring
            let rawValue: Substring
            if let equals = piece.firstIndex(of: "=") {
                rawName = piece[..<equals]
                rawValue = piece[piece.index(after: equals)...]
            } else {
                rawName = piece
                rawValue = ""
            }
            guard let name = PercentDecoding.decode(rawName, plusAsSpace: true) else {
                throw .badParameter(String(rawName), "invalid percent-encoding in the parameter name")
            }
            guard let value = PercentDecoding.decode(rawValue, plusAsSpace: true) else {
                throw .badParameter(name, "invalid percent-encoding")
            }
            pairs.append(Pair(name: name, value: value))
        }
        self.pairs = pairs
    }

    /// The first value of a scalar parameter: when a scalar is repeated, the first occurrence wins.
    func first(_ name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// Every value of a repeatable parameter, in order.
    func all(_ name: String) -> [String] {
        pairs.compactMap { $0.name == name ? $0.value : nil }
    }
}
