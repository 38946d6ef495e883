import Foundation

/// Turns a file's bytes into text, refusing (never repairing) anything that is not UTF-8 text.
public enum ArticleDecoding {
    /// Control bytes (other than tab, newline, carriage return, form feed, escape) above this
    /// share of the sampled prefix mean the file is not text.
    static let maxControlShare = 0.10
    /// Binary formats show themselves early; sampling keeps the check cheap for big files.
    static let controlSampleBytes = 16 * 1024

    public static func decodeText(bytes: UnsafeRawBufferPointer) -> Result<String, SkipReason> {
        var content = bytes
        guard !content.isEmpty else { return .failure(.empty) }
        if content.count >= 3, content[0] == 0xEF, content[1] == 0xBB, content[2] == 0xBF {
            content = UnsafeRawBufferPointer(rebasing: content[3...])
        }
        if let base = content.baseAddress, memchr(base, 0, content.count) != nil {
            return .failure(.binary)
        }
        let sample = UnsafeRawBufferPointer(rebasing: content.prefix(controlSampleBytes))
        var controlBytes = 0
        for byte in sample where byte < 0x20 || byte == 0x7F {
            switch byte {
            case 0x09, 0x0A, 0x0C, 0x0D, 0x1B: continue
            default: controlBytes += 1
            }
        }
        if Double(controlBytes) > Double(sample.count) * maxControlShare { return .failure(.binary) }
        guard let text = String(validating: content.bindMemory(to: UInt8.self), as: UTF8.self) else {
            return .failure(.invalidUTF8)
        }
        guard text.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) else { return .failure(.empty) }
        return .success(text)
    }

    public static func decodeText(bytes: [UInt8]) -> Result<String, SkipReason> {
        bytes.withUnsafeBytes { decodeText(bytes: $0) }
    }

    public static func decodeText(bytes: Data) -> Result<String, SkipReason> {
        bytes.withUnsafeBytes { decodeText(bytes: $0) }
    }
}
