import Foundation
import ArgumentParser

/// A size on the command line: 1048576, 512K, 20M, 1G.
struct ByteCount: ExpressibleByArgument {
    let bytes: Int

    init(bytes: Int) { self.bytes = bytes }

    /// Largest first: the default is shown in the largest unit that divides it.
    private static let binaryUnits: [(suffix: String, multiplier: Int)] = [
        ("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10),
    ]
    /// Every suffix a size may end with; the two-letter ones are tried before "B" alone.
    private static let units: [(suffix: String, multiplier: Int)] =
        binaryUnits.map { ($0.suffix + "B", $0.multiplier) } + binaryUnits + [("B", 1)]

    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces).uppercased()
        var multiplier = 1
        var number = Substring(text)
        if let unit = Self.units.first(where: { text.hasSuffix($0.suffix) }) {
            multiplier = unit.multiplier
            number = number.dropLast(unit.suffix.count)
        }
        // A size too large for the machine is an error like any other, not a crash.
        guard let value = Int(number), value > 0 else { return nil }
        let (product, overflow) = value.multipliedReportingOverflow(by: multiplier)
        guard !overflow else { return nil }
        bytes = product
    }

    /// As a user would write it: "20M", not the struct's description.
    var defaultValueDescription: String {
        for (suffix, multiplier) in Self.binaryUnits where bytes % multiplier == 0 {
            return "\(bytes / multiplier)\(suffix)"
        }
        return String(bytes)
    }
}
