/// A calendar day (proleptic Gregorian), the only date precision Quarry indexes.
/// Encoded as its ISO string ("2023-10-24").
public struct ArticleDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Nil unless the triple names a real day in the years 1000...9999.
    public init?(year: Int, month: Int, day: Int) {
        guard (1000...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= ArticleDate.daysInMonth(year: year, month: month)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Accepts exactly "20231024" or "2023-10-24".
    public init?(yyyymmdd text: some StringProtocol) {
        var digits: [Int] = []
        digits.reserveCapacity(8)
        let utf8 = text.utf8
        switch utf8.count {
        case 8:
            for byte in utf8 {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                digits.append(Int(byte &- 0x30))
            }
        case 10:
            for (offset, byte) in utf8.enumerated() {
                if offset == 4 || offset == 7 {
                    guard byte == UInt8(ascii: "-") else { return nil }
                } else {
                    guard byte >= 0x30, byte <= 0x39 else { return nil }
                    digits.append(Int(byte &- 0x30))
                }
            }
        default:
            return nil
        }
        let year = digits[0] * 1000 + digits[1] * 100 + digits[2] * 10 + digits[3]
        self.init(year: year, month: digits[4] * 10 + digits[5], day: digits[6] * 10 + digits[7])
    }

    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 1, 3, 5, 7, 8, 10, 12: 31
        case 4, 6, 9, 11: 30
        case 2: isLeapYear(year) ? 29 : 28
        default: 0
        }
    }

    /// "20231024": sortable, used as an index value.
    public var yyyymmdd: String { Self.padded(year, 4) + Self.padded(month, 2) + Self.padded(day, 2) }
    /// "202310": month bucket.
    public var yyyymm: String { Self.padded(year, 4) + Self.padded(month, 2) }
    /// "2023-10-24".
    public var iso: String { Self.padded(year, 4) + "-" + Self.padded(month, 2) + "-" + Self.padded(day, 2) }
    public var description: String { iso }

    /// Days since 1970-01-01 (negative before). Howard Hinnant's days_from_civil,
    /// pure integer arithmetic so it is exact and independent of time zones.
    public var daysSinceEpoch: Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let monthFromMarch = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    public static func < (lhs: ArticleDate, rhs: ArticleDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = ArticleDate(yyyymmdd: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected a date like 2023-10-24, got \"\(text)\"")
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
