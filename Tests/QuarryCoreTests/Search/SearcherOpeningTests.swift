import Foundation
@testable import QuarryCore
import Testing

/// Why a Searcher cannot open an index, said without the index's path (a daemon's clients are told this).
@Suite struct SearcherOpeningTests {
    @Test(arguments: ["", "hello\n", "auto /somewhere/else\n"])
    func aFileIsNotAQuarryIndex(contents: String) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("not-an-index-\(UUID())").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data(contents.utf8)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: SearchFailure.indexUnavailable(Searcher.notAnIndex)) { try Searcher(path: path) }
    }

    @Test func aMissingIndexIsUnavailableWithoutItsPath() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("no-index-\(UUID())").path
        do {
            _ = try Searcher(path: path)
            Issue.record("opened a missing index")
        } catch {
            guard case .indexUnavailable(let message) = error else { Issue.record("\(error)"); return }
            #expect(message.hasPrefix("cannot open the index"), "\(message)")
            #expect(!message.contains(path), "\(message)")
        }
    }
}
