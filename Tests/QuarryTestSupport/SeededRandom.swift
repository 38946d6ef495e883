import Foundation

/// A small, fast, seedable generator (SplitMix64): the same seed gives the same sequence on every machine,
/// so a randomised test that fails can be replayed from the seed it printed.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    public let seed: UInt64
    private var state: UInt64

    public init(seed: UInt64) {
        self.seed = seed
        state = seed
    }

    /// A seed from `environmentKey` when it is set (to replay a run), else a fresh random one.
    public static func seed(fromEnvironment environmentKey: String) -> UInt64 {
        if let text = ProcessInfo.processInfo.environment[environmentKey], let seed = UInt64(text) { return seed }
        return UInt64.random(in: 0...UInt64.max)
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension SeededRandom {
    /// True with the given probability.
    public mutating func chance(_ probability: Double) -> Bool {
        Double.random(in: 0..<1, using: &self) < probability
    }

    /// One of `items` (which must not be empty).
    public mutating func pick<T>(_ items: [T]) -> T {
        items[Int.random(in: 0..<items.count, using: &self)]
    }
}
