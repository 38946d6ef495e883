import Foundation

/// Where the repository, its samples and the shared corpora are, from this file's path.
public enum RepositoryPaths {
    public static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    public static let samples = root.appendingPathComponent("samples")
    /// The test fixtures' articles: text files in category folders, and a JSON Lines feed with two bad lines.
    public static let fixtureArticles = root
        .appendingPathComponent("Tests/QuarryCoreTests/Fixtures/articles", isDirectory: true)

    /// The licensed corpora live beside the repository (../shared/corpora), or where QUARRY_CORPORA points.
    /// They are absent on most machines; tests that need them are disabled then, with a note.
    public static let corpora: URL = {
        if let override = ProcessInfo.processInfo.environment["QUARRY_CORPORA"], !override.isEmpty {
            return URL(fileURLWithPath: override, isDirectory: true)
        }
        return root.appendingPathComponent("../shared/corpora", isDirectory: true).standardizedFileURL
    }()

    public static func corporaFile(_ relativePath: String) -> URL {
        corpora.appendingPathComponent(relativePath)
    }

    /// True when the corpora file exists; prints why a test is skipped when it doesn't.
    public static func corporaFileExists(_ relativePath: String) -> Bool {
        let exists = FileManager.default.fileExists(atPath: corporaFile(relativePath).path)
        if !exists { print("note: skipping a corpora test: \(corporaFile(relativePath).path) is absent") }
        return exists
    }
}
