import Foundation
import Testing
@testable import QuarryCore

@Suite("ArticleDecoding")
struct ArticleDecodingTests {
    private func decode(_ bytes: [UInt8]) -> Result<String, SkipReason> {
        ArticleDecoding.decodeText(bytes: bytes)
    }

    @Test func acceptsUTF8AndStripsBOM() throws {
        #expect(try decode(Array("Héllo “world” 😀".utf8)).get() == "Héllo “world” 😀")
        #expect(try decode([0xEF, 0xBB, 0xBF] + Array("Title\n".utf8)).get() == "Title\n")
        #expect(try ArticleDecoding.decodeText(bytes: Data("abc".utf8)).get() == "abc")
        #expect(try decode(Array("tab\tand\u{0C}form feed\r\n".utf8)).get() == "tab\tand\u{0C}form feed\r\n")
    }

    @Test func emptyOrWhitespaceOnly() {
        for bytes: [UInt8] in [[], [0x20], [0x0A, 0x0D, 0x09], [0xEF, 0xBB, 0xBF], [0xEF, 0xBB, 0xBF, 0x0A], [0xC2, 0xA0]] {
            #expect(decode(bytes) == .failure(.empty), "\(bytes)")
        }
    }

    @Test func nulBytesOrControlNoiseAreBinary() {
        #expect(decode(Array("Title\n".utf8) + [0x00] + Array("rest".utf8)) == .failure(.binary))
        #expect(decode([0x00]) == .failure(.binary))
        // PNG signature: binary, not "invalid UTF-8".
        #expect(decode([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00]) == .failure(.binary))
        #expect(decode(Array(repeating: 0x01, count: 50) + Array("text".utf8)) == .failure(.binary))
        // A few stray control bytes in real text are tolerated.
        #expect(decode(Array(String(repeating: "word ", count: 100).utf8) + [0x01, 0x02]).failureReason == nil)
    }

    @Test func invalidUTF8IsRefusedNotRepaired() {
        let cases: [[UInt8]] = [
            [0x61, 0xFF, 0x62], // never valid
            [0x61, 0xC3], // truncated sequence at the end
            [0xC3, 0x28], // bad continuation
            [0xED, 0xA0, 0x80], // encoded surrogate
            [0xC0, 0xAF], // overlong "/"
            [0xF5, 0x80, 0x80, 0x80], // beyond U+10FFFF
            Array("Caf".utf8) + [0xE9] + Array(" latin-1".utf8),
        ]
        for bytes in cases { #expect(decode(bytes) == .failure(.invalidUTF8), "\(bytes)") }
    }

    @Test func everySkipReasonHasASummary() {
        #expect(SkipReason.invalidUTF8.summary == "invalid UTF-8")
        #expect(Set(SkipReason.allCases.map(\.summary)).count == SkipReason.allCases.count)
        #expect(SkipReason(rawValue: "tooLarge") == .tooLarge)
        #expect(SkipReason.allCases.count == 10)
    }
}

extension Result where Failure == SkipReason {
    fileprivate var failureReason: SkipReason? {
        if case .failure(let reason) = self { return reason }
        return nil
    }
}
