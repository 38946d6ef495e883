import Foundation
// TEMPORARY stand-in until the article readers land; delete then.
public struct ArticleDate: Sendable, Hashable, Comparable, Codable {
    public var year: Int, month: Int, day: Int
    public init?(year: Int, month: Int, day: Int) { self.year = year; self.month = month; self.day = day }
    public init?(yyyymmdd: String) {
        let digits = yyyymmdd.filter(\.isNumber)
        guard digits.count == 8, let v = Int(digits) else { return nil }
        self.init(year: v / 10000, month: v / 100 % 100, day: v % 100)
    }
    public var yyyymmdd: String { String(format: "%04d%02d%02d", year, month, day) }
    public var yyyymm: String { String(yyyymmdd.prefix(6)) }
    public var iso: String { "\(yyyymmdd.prefix(4))-\(yyyymmdd.dropFirst(4).prefix(2))-\(yyyymmdd.suffix(2))" }
    public var daysSinceEpoch: Int { 0 }
    public static func < (a: Self, b: Self) -> Bool { a.yyyymmdd < b.yyyymmdd }
}
