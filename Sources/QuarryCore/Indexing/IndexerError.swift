import Xapian

/// Why an indexing run could not go on. Per-file problems are warnings, not errors: see `IndexWarning`.
public enum IndexerError: Error, Sendable, CustomStringConvertible {
    /// Another writer holds the database's lock.
    case locked(path: String)
    /// This user may not write to the index folder (or create it).
    case notWritable(path: String)
    /// The path is a regular file, not an index folder.
    case notAnIndex(path: String)
    /// The index was created with another language, stemming or title weight (`IndexSettings`); `setting` is
    /// the option's name.
    case settingMismatch(path: String, setting: String, stored: String, requested: String)
    case unknownLanguage(String)
    case database(path: String, XapianError)
    /// The parallel build of a new index could not go on (the index is left as it was).
    case build(path: String, String)

    public var description: String {
        switch self {
        case .locked(let path):
            "another quarry-index is writing to \(path)"
        case .notWritable(let path):
            "\(path): permission denied: this user may not write to the index (run as its owner, or choose another --db)"
        case .notAnIndex(let path):
            "\(path) is a file, not a Quarry index: --db takes the folder quarry-index creates (a new or existing one)"
        case .settingMismatch(let path, let setting, let stored, let requested):
            "\(path) was built with --\(setting) \(stored), not \(requested): an index keeps what it was created with "
                + "(use a new --db, or leave --\(setting) out)"
        case .unknownLanguage(let language):
            "unknown language '\(language)'; Xapian knows: \(Stem.availableLanguages.joined(separator: ", "))"
        case .database(let path, let error):
            "\(path): \(error.message) (\(error.className))"
        case .build(let path, let problem):
            "\(path): \(problem); the new index is left empty"
        }
    }
}

/// A problem with one file or one line: reported, counted, skipped; the run goes on.
public struct IndexWarning: Sendable, CustomStringConvertible {
    public var path: String
    public var line: Int?
    public var reason: SkipReason
    public var message: String

    public var description: String {
        let location = line.map { "\(path):\($0)" } ?? path
        // Escaped: paths come from the corpus and may hold anything but "/" and NUL.
        return ControlCharacters.escaping("\(location): \(message)")
    }
}
