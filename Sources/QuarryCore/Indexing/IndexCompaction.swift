import Foundation
import Logging
import Xapian

/// `quarry-index compact`: rewrites a grown index at its compact size (what xapian-compact does) without ever
/// showing a reader a missing or half-written index.
///
/// 1. Takes the index's write lock (Xapian's, as `Indexer` does): no quarry-index writes meanwhile, and a
///    second writer gets the usual "another quarry-index is writing" error.
/// 2. Compacts the last commit into the sibling folder `DIR.compact-tmp` (a leftover of a killed run is removed
///    first), keeping docids: the per-file state in the metadata names documents by docid (a JSON Lines file's
///    `tail`, and the catalog is rebuilt from slots, keyed by docid), so renumbering is never done.
/// 3. Verifies the copy: same document count, last docid, total length, metadata (every key and value), and
///    Xapian's consistency check.
/// 4. Swaps it in with one atomic exchange of the two folders (Linux `renameat2(RENAME_EXCHANGE)`, Darwin
///    `renamex_np(RENAME_SWAP)`): at every moment DIR is either the old complete index or the new one, so a
///    reader opening DIR never finds it missing (quarryd notices the new version file and UUID and opens the
///    new index; searches in flight finish on the old files). Then the old index, now at the temporary path,
///    is removed. Only on a filesystem without the exchange does it fall back to two renames
///    (DIR → `DIR.compact-old`, tmp → DIR), with a window of a few microseconds in which DIR is missing
///    (quarryd answers 503 `index_unavailable` and recovers by itself at its next look); a run killed in
///    that window is repaired by the next run, which puts `DIR.compact-old` back.
///
/// A stop request (SIGINT/SIGTERM in quarry-index) is honoured between tables while compacting, and before the
/// swap: the temporary folder is removed and the original index was never touched.
public enum IndexCompaction {
    public struct Options: Sendable {
        public var databasePath: String
        /// Xapian's compaction level: `.full` is xapian-compact's default; `.fuller` is smaller still but not
        /// meant for a database that will be updated again.
        public var level: Database.CompactionOptions.Level = .full
        /// Run Xapian's consistency check on the copy before swapping it in.
        public var check = true

        public init(databasePath: String) { self.databasePath = databasePath }
    }

    /// A step of a compaction, for progress lines.
    public enum Progress: Sendable {
        case removedLeftover(path: String)
        case restoredOriginal(path: String)
        case started(bytes: Int, documents: Int)
        /// Xapian's status for one table (`status` is empty when the table is done).
        case table(name: String, status: String)
        case verifying
        case swapped(atomically: Bool)
    }

    /// What a compaction did; `--json` prints it as is.
    public struct Summary: Sendable, Codable, Equatable {
        public var database: String
        public var bytesBefore = 0
        public var bytesAfter = 0
        public var documents = 0
        public var lastDocumentID: UInt32 = 0
        /// The whole run, and its parts: compacting, verifying (with the consistency check), swapping.
        public var seconds = 0.0
        public var compactSeconds = 0.0
        public var verifySeconds = 0.0
        public var checked = false
        /// "exchange" (one atomic rename) or "renames" (the fallback, with a moment without an index).
        public var swap = ""
        public var level = ""
        public var docidsKept = true

        /// The compacted index's size as a share of the original's.
        public var ratio: Double { bytesBefore > 0 ? Double(bytesAfter) / Double(bytesBefore) : 0 }
    }

    public enum Failure: Error, Sendable, CustomStringConvertible {
        case noIndex(path: String)
        case open(IndexerError)
        case interrupted(path: String)
        case compaction(path: String, XapianError)
        case verification(path: String, String)
        case files(path: String, String)

        public var description: String {
            switch self {
            case .noIndex(let path):
                "\(path): no Quarry index there (compact takes the folder quarry-index created)"
            case .open(let error):
                error.description
            case .interrupted(let path):
                "compaction interrupted: \(path) is unchanged and the temporary copy was removed"
            case .compaction(let path, let error):
                "\(path): compaction failed, the index is unchanged: \(error.message) (\(error.className))"
            case .verification(let path, let problem):
                "\(path): the compacted copy differs from the index (\(problem)): not swapped in, the index is unchanged"
            case .files(let path, let problem):
                "\(path): \(problem)"
            }
        }
    }

    /// Where the compacted copy is built (and, after the exchange, where the old index is removed from).
    public static func temporaryPath(for path: String) -> String { path + ".compact-tmp" }
    /// Where the fallback swap parks the old index between its two renames.
    public static func parkedPath(for path: String) -> String { path + ".compact-old" }

    public static func run(
        _ options: Options, progress: (Progress) -> Void = { _ in }, shouldStop: @escaping () -> Bool = { false }
    ) throws(Failure) -> Summary {
        let start = ContinuousClock.now
        // The real folder: compacting through a symlink replaces its target and keeps the link.
        let path = URL(fileURLWithPath: options.databasePath).standardizedFileURL.resolvingSymlinksInPath().path
        let temporary = temporaryPath(for: path)
        let parked = parkedPath(for: path)
        let files = FileManager.default
        var summary = Summary(database: options.databasePath)
        summary.level = "\(options.level)"

        // A run killed between the fallback's two renames left the index parked: put it back.
        if !files.fileExists(atPath: path), files.fileExists(atPath: parked + "/iamglass") {
            do {
                try files.moveItem(atPath: parked, toPath: path)
            } catch {
                throw .files(path: path, "cannot put back the index parked at \(parked) by an interrupted compaction: \(error)")
            }
            progress(.restoredOriginal(path: parked))
        }
        guard files.fileExists(atPath: path + "/iamglass") else {
            if IndexFiles.isFile(path) { throw .open(.notAnIndex(path: options.databasePath)) }
            throw .noIndex(path: options.databasePath)
        }

        // The write lock, held until the new index is in place.
        let writer: WritableDatabase
        do {
            writer = try WritableDatabase(path: path, mode: .open)
        } catch {
            throw .open(Indexer.openingError(path: options.databasePath, error))
        }
        defer { try? writer.close() }

        // Under the lock, anything at the temporary paths is a leftover of a killed run (no other compaction can
        // be running): a half-written copy, or an old index already swapped out. DIR is complete either way.
        for leftover in [temporary, parked] where files.fileExists(atPath: leftover) {
            do {
                try FolderSwap.removeTree(leftover)
            } catch {
                throw .files(path: leftover, "cannot remove this leftover of an interrupted compaction: \(error)")
            }
            progress(.removedLeftover(path: leftover))
        }

        let before: Snapshot
        let source: Database
        do {
            source = try Database(path: path)
            before = try Snapshot(source)
        } catch {
            throw .compaction(path: options.databasePath, error)
        }
        summary.bytesBefore = IndexFiles.bytes(at: path)
        summary.documents = before.documents
        summary.lastDocumentID = before.lastDocumentID
        progress(.started(bytes: summary.bytesBefore, documents: before.documents))

        var swapped = false
        defer { if !swapped { try? FolderSwap.removeTree(temporary) } }

        // Compact. Docids are kept (see above); multipass only matters when merging more than 3 databases.
        let compactStart = ContinuousClock.now
        do {
            let flags = Database.CompactionOptions(level: options.level, renumber: false, multipass: true)
            try source.compact(to: temporary, options: flags) { table, status in
                progress(.table(name: table, status: status))
                return !shouldStop()
            }
        } catch {
            if shouldStop() { throw .interrupted(path: options.databasePath) }
            throw .compaction(path: options.databasePath, error)
        }
        try? source.close()
        summary.compactSeconds = (ContinuousClock.now - compactStart).seconds
        if shouldStop() { throw .interrupted(path: options.databasePath) }

        // Verify before anything is swapped.
        progress(.verifying)
        let verifyStart = ContinuousClock.now
        do {
            let copy = try Database(path: temporary)
            let after = try Snapshot(copy)
            try copy.close()
            if let difference = before.difference(from: after) {
                throw Failure.verification(path: options.databasePath, difference)
            }
            if options.check {
                let (errors, report) = try Database.checkConsistency(path: temporary)
                if errors > 0 {
                    throw Failure.verification(path: options.databasePath, "xapian-check found \(errors) errors: \(report)")
                }
                summary.checked = true
            }
        } catch let failure as Failure {
            throw failure
        } catch let error as XapianError {
            throw .verification(path: options.databasePath, "\(error.message) (\(error.className))")
        } catch {
            throw .verification(path: options.databasePath, "\(error)")
        }
        copyPermissions(from: path, to: temporary)
        summary.verifySeconds = (ContinuousClock.now - verifyStart).seconds
        if shouldStop() { throw .interrupted(path: options.databasePath) }

        // Swap: from here on the run completes (a signal is no longer looked at).
        let atomically: Bool
        do {
            atomically = try FolderSwap.swap(temporary, path, parked: parked)
        } catch {
            throw .files(path: options.databasePath, "cannot swap the compacted copy in (the index is unchanged): \(error)")
        }
        swapped = true
        // Makes the renames durable (best effort: the swap has happened either way).
        try? IndexFiles.sync(entry: (path as NSString).deletingLastPathComponent)
        summary.swap = atomically ? "exchange" : "renames"
        progress(.swapped(atomically: atomically))

        // The old index (still locked by `writer`, which is the old database) goes.
        try? writer.close()
        try? FolderSwap.removeTree(atomically ? temporary : parked)
        summary.bytesAfter = IndexFiles.bytes(at: path)
        summary.seconds = (ContinuousClock.now - start).seconds
        return summary
    }

    /// What must be the same after compaction.
    private struct Snapshot {
        var documents: Int
        var lastDocumentID: DocumentID
        var totalLength: UInt64
        var metadata: [String: String]

        init(_ database: Database) throws(XapianError) {
            documents = try database.documentCount()
            lastDocumentID = try database.lastDocumentID()
            totalLength = try database.totalLength()
            metadata = [:]
            for key in try database.metadataKeys() { metadata[key] = try database.metadata(key) }
        }

        func difference(from other: Snapshot) -> String? {
            if documents != other.documents { return "\(documents) documents, the copy \(other.documents)" }
            if lastDocumentID != other.lastDocumentID {
                return "last docid \(lastDocumentID), the copy \(other.lastDocumentID)"
            }
            if totalLength != other.totalLength { return "total length \(totalLength), the copy \(other.totalLength)" }
            if metadata != other.metadata {
                let keys = Set(metadata.keys).symmetricDifference(other.metadata.keys)
                    .union(metadata.keys.filter { other.metadata[$0] != nil && other.metadata[$0] != metadata[$0] })
                return "metadata differs: \(keys.sorted().prefix(3).joined(separator: ", "))"
            }
            return nil
        }
    }

    /// The copy gets the index folder's mode and its version file's (an index shared with quarryd's user through
    /// its group stays readable), and its owner and group where this user may set them.
    private static func copyPermissions(from original: String, to copy: String) {
        var folder = stat()
        var version = stat()
        guard stat(original, &folder) == 0, stat(original + "/iamglass", &version) == 0 else { return }
        _ = chown(copy, folder.st_uid, folder.st_gid)
        _ = chmod(copy, folder.st_mode & 0o7777)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: copy)) ?? [] {
            let file = copy + "/" + name
            _ = chown(file, version.st_uid, version.st_gid)
            _ = chmod(file, version.st_mode & 0o777)
        }
    }
}
