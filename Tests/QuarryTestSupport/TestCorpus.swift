import Foundation

/// A throwaway corpus folder and database path for one test, removed afterwards.
public final class TestCorpus {
    public let root: URL
    public let corpus: URL
    public var databasePath: String { root.appendingPathComponent("db").path }

    public init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("quarry-test-\(UUID().uuidString)")
        corpus = root.appendingPathComponent("corpus")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    @discardableResult
    public func write(_ relativePath: String, _ text: String) throws -> URL {
        try write(relativePath, bytes: Array(text.utf8))
    }

    @discardableResult
    public func write(_ relativePath: String, bytes: [UInt8]) throws -> URL {
        let url = corpus.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
        return url
    }

    public func remove(_ relativePath: String) throws {
        try FileManager.default.removeItem(at: corpus.appendingPathComponent(relativePath))
    }

    /// A plain-text article in the export format: title, standfirst, paragraphs, date line.
    public static func article(title: String, standfirst: String, paragraphs: [String], dateLine: String? = nil) -> String {
        ([title, standfirst] + paragraphs + (dateLine.map { [$0] } ?? [])).joined(separator: "\n\n")
    }
}

