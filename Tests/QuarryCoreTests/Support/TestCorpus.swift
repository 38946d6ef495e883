import Foundation

/// A throwaway corpus folder and database path for one test, removed afterwards.
final class TestCorpus {
    let root: URL
    let corpus: URL
    var databasePath: String { root.appendingPathComponent("db").path }

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("quarry-test-\(UUID().uuidString)")
        corpus = root.appendingPathComponent("corpus")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    @discardableResult
    func write(_ relativePath: String, _ text: String) throws -> URL {
        try write(relativePath, bytes: Array(text.utf8))
    }

    @discardableResult
    func write(_ relativePath: String, bytes: [UInt8]) throws -> URL {
        let url = corpus.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
        return url
    }

    func remove(_ relativePath: String) throws {
        try FileManager.default.removeItem(at: corpus.appendingPathComponent(relativePath))
    }

    /// A plain-text article in the export format: title, standfirst, paragraphs, date line.
    static func article(title: String, standfirst: String, paragraphs: [String], dateLine: String? = nil) -> String {
        ([title, standfirst] + paragraphs + (dateLine.map { [$0] } ?? [])).joined(separator: "\n\n")
    }
}

/// The repository's root, found from this file's path.
enum RepositoryPaths {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let samples = root.appendingPathComponent("samples")
    static let sharedCorpora = root.deletingLastPathComponent().appendingPathComponent("shared/corpora")
    static var hasSharedCorpora: Bool { FileManager.default.fileExists(atPath: sharedCorpora.path) }
}
