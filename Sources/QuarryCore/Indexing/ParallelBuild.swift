import Foundation
import Xapian

/// A new index built on every core (issue 17): `jobs` shard writers, each on its own thread with its own
/// database, take the articles (an article always goes to the shard its id hashes to, so a repeated id replaces
/// within its shard), and the indexer's metadata (settings, per-file states, spelling) goes to a metadata
/// database beside them. At the end the metadata database and the shards are merged by Xapian's compaction
/// (multipass) into one compact database, which then takes the index's place in one atomic exchange
/// (`FolderSwap`). Everything lives in the sibling folder `DIR.build` until then, so the index at DIR is
/// never half-written: a build that fails leaves DIR as it was (empty); one killed after a checkpoint (see
/// `checkpoint`) is merged as it stood by the next run (`KilledBuild`), which goes on from there.
///
/// A large batch into an existing index (`updatesIndex`) is built the same way: the index itself, as it was, is
/// merged after the metadata database and before the shards, and the merged copy is then made what one writer
/// would have left (`UpdateMerge`: the batch's articles replace the index's with the same id, and what the run
/// deleted goes). The index is not touched until the swap, so a failed or killed update leaves it as it was.
///
/// Merging rather than serving the shards behind a stub database: the merged database is compact as built
/// (no `quarry-index compact` needed), phrase searches are faster on it, and incremental runs, replication and
/// Xapian's tools see the one ordinary database they always did.
final class ParallelBuild {
    /// The index's folder (symbolic links resolved: the build replaces the folder, not a link to it).
    let indexPath: String
    let folder: String
    /// Where the indexer writes metadata during the build; the first of the merged sources.
    let metadata: WritableDatabase
    /// Whether this build takes a batch into an existing index (merged with it) rather than making a new one.
    let updatesIndex: Bool
    private let shards: [ShardWriter]
    private var outcomes: [ShardWriter.Outcome] = []
    /// The index's documents the run deleted (an update's; applied to the merged copy).
    private var deletions: [DocumentID] = []

    /// The device is too full to go on (checked before each shard commit and before the merge).
    struct NoSpace: Error, CustomStringConvertible {
        var path: String
        var free: Int
        var needed: Int

        var description: String {
            "No space left on device for the parallel build at \(path): \(free >> 20) MiB free, at least "
                + "\(needed >> 20) MiB needed to go on (--jobs 1 writes a new index directly, committing as it goes)"
        }
    }

    /// The build folder of the index at `path` (beside the folder a symbolic link leads to).
    static func folder(for path: String) -> String { realPath(path) + ".build" }

    /// Whether a build folder can be made beside the index at `path` (its parent folder is writable): a user who
    /// may write the index's folder but not its parent gets a build with one writer instead.
    static func isPossible(for path: String) -> Bool {
        access((realPath(path) as NSString).deletingLastPathComponent, W_OK) == 0
    }

    static func realPath(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    var jobs: Int { shards.count }
    var mergedPath: String { Self.mergedPath(in: folder) }
    /// Where the fallback swap parks the empty index it replaces (removed with the folder).
    var parkedPath: String { Self.parkedPath(in: folder) }
    static func metadataPath(in folder: String) -> String { folder + "/metadata" }
    static func mergedPath(in folder: String) -> String { folder + "/merged" }
    static func parkedPath(in folder: String) -> String { folder + "/replaced" }
    /// Shard `index`'s database of generation `generation` (see `ShardWriter`).
    static func shardPath(in folder: String, _ index: Int, generation: Int) -> String {
        folder + "/shard-\(index)-\(generation)"
    }

    /// Starts the shards. A leftover build folder (a killed run's) is removed first: the caller holds the
    /// index's write lock, so no other build can be using it.
    init(path: String, jobs: Int, settings: IndexSettings, options: IndexerOptions, updating: Bool = false) throws {
        indexPath = Self.realPath(path)
        updatesIndex = updating
        folder = Self.folder(for: indexPath)
        try FolderSwap.removeTree(folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        metadata = try WritableDatabase(path: Self.metadataPath(in: folder), mode: .create, options: .noSync)
        var shards: [ShardWriter] = []
        do {
            for index in 0..<max(1, jobs) {
                let folder = folder
                shards.append(try ShardWriter(path: { Self.shardPath(in: folder, index, generation: $0) },
                                              settings: settings, options: options))
            }
        } catch {
            for shard in shards { shard.cancel() }
            throw error
        }
        self.shards = shards
    }

    /// Hands the article to its shard (waiting while that shard is behind). `replacingIndexArticle`: its id is
    /// in the index this build updates (the caller counted it as updated).
    func add(_ article: Article, source: ArticleSource, replacingIndexArticle: Bool = false) throws {
        try shards[shard(of: article.id)].add(article, source: source, replacingIndexArticle: replacingIndexArticle)
    }

    /// Deletes one of the index's documents (by its docid there) from what the update's merge gives.
    func deleteFromIndex(_ docid: DocumentID) {
        deletions.append(docid)
    }

    /// Waits for every shard to store what it was given, commit and close. Returns the articles that replaced
    /// another with the same id, and the words for the spelling data.
    func finishShards() throws -> (replaced: Int, spellingWords: [String: Int]) {
        var firstFailure: Error?
        for shard in shards {
            do {
                outcomes.append(try shard.finish())
            } catch {
                firstFailure = firstFailure ?? error
            }
        }
        if let firstFailure { throw firstFailure }
        var words: [String: Int] = [:]
        for outcome in outcomes {
            words.merge(outcome.spellingWords, uniquingKeysWith: +)
        }
        return (outcomes.reduce(0) { $0 + $1.replaced }, words)
    }

    /// The docid an article will have in the merged database (after `finishShards`): compaction puts each
    /// database's documents after the previous ones' last docid (the metadata database has none; each
    /// generation's docids start at 1 and have no gaps, so renumbering keeps them in place).
    func mergedDocumentID(of articleID: String) throws(XapianError) -> DocumentID? {
        let databases = outcomes.flatMap(\.generations)
        let first = outcomes[..<shard(of: articleID)].reduce(0) { $0 + $1.generations.count }
        let term = IndexSchema.uniqueTerm(for: articleID)
        for index in first..<(first + outcomes[shard(of: articleID)].generations.count) {
            guard let local = try Database(path: databases[index].path).firstDocument(withTerm: term) else { continue }
            return databases[..<index].reduce(local) { $0 + $1.lastDocumentID }
        }
        return nil
    }

    /// Waits until every shard has committed what it was given: the metadata database committed next then
    /// says no more than the shards hold, which is what lets a killed build be salvaged (`KilledBuild`).
    func checkpoint() throws {
        for shard in shards { try shard.checkpoint() }
    }

    /// Compacts the metadata database, the index (an update's) and the shards into `mergedPath`. `status` is
    /// Xapian's per-table progress; returning false stops the merge.
    func merge(status: (_ table: String, _ status: String) -> Bool) throws {
        try metadata.close()
        try Self.merge(metadata: Self.metadataPath(in: folder), index: updatesIndex ? indexPath : nil,
                       shards: outcomes.flatMap(\.generations).map(\.path), into: mergedPath, status: status)
    }

    /// After an update's merge: makes the merged copy what one writer's run would have left (`UpdateMerge`).
    /// `tails` names, by metadata key, the article of each JSON Lines tail the shards stored as new.
    func reconcileUpdate(tails: [String: String]) throws {
        try UpdateMerge.apply(to: mergedPath, index: Database(path: indexPath), deletions: deletions,
                              metadata: Database(path: Self.metadataPath(in: folder)), shardTails: tails)
    }

    /// Compacts a build's metadata database, the index it updates if any, and the shards' databases (in that
    /// order: each one's documents after the previous ones', the metadata database has none) into one database
    /// at `merged`.
    static func merge(metadata: String, index: String? = nil, shards: [String], into merged: String,
                      status: (_ table: String, _ status: String) -> Bool) throws {
        // The merged database is about half the shards' size (compact, where the shards grew batch by batch),
        // and the index's own.
        let folder = (merged as NSString).deletingLastPathComponent
        let needed = shards.reduce(0) { $0 + IndexFiles.bytes(at: $1) } * 3 / 4 + (index.map { IndexFiles.bytes(at: $0) } ?? 0)
        if let free = IndexFiles.freeBytes(at: folder), free < needed {
            throw NoSpace(path: folder, free: free, needed: needed)
        }
        let sources = try Database(shards: [metadata] + (index.map { [$0] } ?? []) + shards)
        try sources.compact(to: merged, options: .init(level: .full, renumber: true, multipass: true), status: status)
        // The checkpoint mark belongs to the build folder, not to the index.
        let index = try WritableDatabase(path: merged, mode: .open)
        try index.setMetadata(IndexSchema.Metadata.buildCheckpoint, "")  // "" deletes it
        try index.commit()
        try index.close()
    }

    /// Puts the merged database in the index's place: synced, then exchanged with the (empty) index in one rename
    /// (`FolderSwap`), which ends up in the build folder.
    func install() throws {
        try Self.install(mergedPath, as: indexPath, parked: parkedPath)
    }

    static func install(_ merged: String, as indexPath: String, parked: String) throws {
        try IndexFiles.sync(merged)
        _ = try FolderSwap.swap(merged, indexPath, parked: parked)
        try? IndexFiles.sync(entry: (indexPath as NSString).deletingLastPathComponent)
    }

    /// Stops the shards and removes the build folder (best effort: a leftover is removed by the next build).
    func cancel() {
        for shard in shards { shard.cancel() }
        try? metadata.close()
        try? FolderSwap.removeTree(folder)
    }

    private func shard(of articleID: String) -> Int {
        Int(StableHash.fnv1a64(articleID) % UInt64(shards.count))
    }
}
