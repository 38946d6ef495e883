/// Parsing of single query-string values, each failure a 400 naming the parameter.
enum ParameterParsing {
    /// true/false/1/0/yes/no, case-insensitive.
    static func bool(_ text: String, name: String) throws(APIError) -> Bool {
        switch text.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw .badParameter(name, "must be true, false, 1, 0, yes or no")
        }
    }

    static func integer(_ text: String, name: String, range: ClosedRange<Int>) throws(APIError) -> Int {
        guard let value = Int(text) else { throw outOfRange(name, range) }
        return value
    }

    static func number(_ text: String, name: String) throws(APIError) -> Double {
        guard let value = Double(text) else { throw .badParameter(name, "must be a number") }
        return value
    }

    static func outOfRange(_ name: String, _ range: ClosedRange<Int>) -> APIError {
        .badParameter(name, "must be an integer between \(range.lowerBound) and \(range.upperBound)")
    }

    /// Values that may be repeated and/or comma-separated: split, trimmed, empties dropped, first occurrence kept.
    static func list(_ values: [String]) -> [String] {
        var result: [String] = []
        for value in values {
            for item in value.split(separator: ",") {
                let trimmed = String(item.trimmingWhitespace())
                if !trimmed.isEmpty && !result.contains(trimmed) {
                    result.append(trimmed)
                }
            }
        }
        return result
    }
}

extension StringProtocol {
    public func trimmingWhitespace() -> SubSequence {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
              let last = lastIndex(where: { !$0.isWhitespace }) else { return self[endIndex...] }
        return self[first...last]
    }
}
