import Foundation
@testable import QuarryCore
import QuarryTestSupport

/// Paths and temp directories shared by the article reader tests.
enum ArticleTestSupport {
    static let fixtures: URL = RepositoryPaths.fixtureArticles

    static func fixture(_ relativePath: String) -> URL {
        fixtures.appendingPathComponent(relativePath, isDirectory: false)
    }

    static func fixtureText(_ relativePath: String) throws -> String {
        try String(contentsOf: fixture(relativePath), encoding: .utf8)
    }

    /// The licensed corpora (../shared/corpora, or QUARRY_CORPORA): located once, in QuarryTestSupport.
    static var corpora: URL { RepositoryPaths.corpora }

    static func corporaFile(_ relativePath: String) -> URL { RepositoryPaths.corporaFile(relativePath) }

    static func corporaFileExists(_ relativePath: String) -> Bool { RepositoryPaths.corporaFileExists(relativePath) }

    /// A fresh directory, removed when `body` returns.
    static func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("quarry-articles-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer {
            // Restore permissions a test may have removed, so cleanup succeeds even when not root.
            if let enumerator = FileManager.default.enumerator(atPath: directory.path) {
                for case let path as String in enumerator {
                    chmod(directory.appendingPathComponent(path).path, 0o755)
                }
            }
            try? FileManager.default.removeItem(at: directory)
        }
        return try body(directory)
    }

    @discardableResult
    static func write(_ bytes: [UInt8], to directory: URL, _ relativePath: String) throws -> URL {
        let url = directory.appendingPathComponent(relativePath, isDirectory: false)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
        return url
    }

    @discardableResult
    static func write(_ text: String, to directory: URL, _ relativePath: String) throws -> URL {
        try write(Array(text.utf8), to: directory, relativePath)
    }

    static func scan(_ roots: [URL], maxFileBytes: Int = 1 << 20, followSymlinks: Bool = true)
        -> (entries: [CorpusEntry], warnings: [CorpusWarning]) {
        CorpusScanner(roots: roots, maxFileBytes: maxFileBytes, followSymlinks: followSymlinks).scanAll()
    }
}
