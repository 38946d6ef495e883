/// A streaming 64-bit hash of a file's first bytes: how a re-run knows that the part of a JSON Lines file it
/// already indexed is still what it indexed, so that it can read only what was appended.
///
/// Why the whole prefix and not a sample (its last 64 KiB and its length, say): a sample misses an edit of the
/// same length earlier in the file (a corrected typo, a flipped digit in a date), and then the index would
/// silently keep the old article for good. Hashing every byte is still cheap: a sequential read from the page
/// cache and a multiply per 8 bytes, hundreds of MB/s, where indexing the same bytes runs at about 1.5 MB/s; so
/// an append costs well under 1% of a full re-index at any file size. Not cryptographic: it detects accidents,
/// not a forgery, and an owner forging a collision against their own index gains nothing.
///
/// The rounds are xxHash64's (multiply, rotate, multiply), one lane over 8-byte little-endian words; the
/// length and the last partial word go into the final mix.
public struct PrefixFingerprint: Sendable, Equatable {
    private static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    private static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    private static let prime3: UInt64 = 0x1656_67B1_9E37_79F9

    private var accumulator: UInt64 = 0x2717_1E4F_5D0C_4A29
    /// Bytes of an unfinished word, low byte first.
    private var pending: UInt64 = 0
    private var pendingCount = 0
    /// Bytes hashed so far.
    public private(set) var length = 0

    public init() {}

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        let count = bytes.count
        guard count > 0 else { return }
        length += count
        var index = 0
        while pendingCount != 0 && index < count {
            pending |= UInt64(bytes[index]) << (8 * UInt64(pendingCount))
            pendingCount += 1
            index += 1
            if pendingCount == 8 {
                round(pending)
                pending = 0
                pendingCount = 0
            }
        }
        while index + 8 <= count {
            round(UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
            index += 8
        }
        while index < count {
            pending |= UInt64(bytes[index]) << (8 * UInt64(pendingCount))
            pendingCount += 1
            index += 1
        }
    }

    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    @inline(__always)
    private mutating func round(_ word: UInt64) {
        accumulator = ((accumulator &+ word &* Self.prime2).rotatedLeft(31)) &* Self.prime1
    }

    /// The hash of everything so far, as 16 hex digits (hashing can go on afterwards).
    public var digest: String {
        var hash = accumulator ^ (UInt64(length) &* Self.prime3)
        if pendingCount > 0 { hash = ((hash ^ (pending &* Self.prime2)).rotatedLeft(27)) &* Self.prime1 }
        // xxHash64's avalanche.
        hash ^= hash >> 33
        hash &*= Self.prime2
        hash ^= hash >> 29
        hash &*= Self.prime3
        hash ^= hash >> 32
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

extension UInt64 {
    @inline(__always)
    fileprivate func rotatedLeft(_ count: UInt64) -> UInt64 { (self << count) | (self >> (64 - count)) }
}
