import Foundation
import ArgumentParser

/// A size on the command line: 1048576, 512K, 20M, 1G.
struct ByteCount: ExpressibleByArgument {
    let bytes: Int

    init(bytes: Int) { self.bytes = bytes }

    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces).uppercased()
        let units: [(String, Int)] = [("KB", 1 << 10), ("MB", 1 << 20), ("GB", 1 << 30), ("K", 1 << 10),
                                      ("M", 1 << 20), ("G", 1 << 30), ("B", 1)]
        var multiplier = 1
        var number = Substring(text)
        if let unit = units.first(where: { text.hasSuffix($0.0) }) {
            multiplier = unit.1
            number = number.dropLast(unit.0.count)
        }
        guard let value = Int(number), value > 0 else { return nil }
        bytes = value * multiplier
    }
}
