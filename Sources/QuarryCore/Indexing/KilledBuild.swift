import Foundation
import Xapian

/// What a parallel build killed part-way (kill -9, a crash, a reboot) leaves in `DIR.build`, salvaged instead of
/// thrown away. The build checkpoints as it goes (`ParallelBuild.checkpoint`): every shard commits what it was
/// given, then the metadata database commits, marked with `IndexSchema.Metadata.buildCheckpoint`, the files'
/// states that go with it. So after a checkpoint the metadata says no more than the shards hold (they may hold
/// more: articles read after it, which the next run reads again and replaces by id). Salvaging merges them as a
/// finished build is merged and swaps the result in for the (empty) index; the run then goes on from there as an
/// incremental run: files already indexed are skipped, a JSON Lines file is read on from its state.
struct KilledBuild {
    let indexPath: String
    let folder: String
    let shardPaths: [String]

    /// The killed build of the index at `path`, if its folder holds a checkpoint; nil otherwise (no build folder,
    /// or one killed before its first checkpoint, which the next build removes).
    static func find(for path: String) -> KilledBuild? {
        let indexPath = ParallelBuild.realPath(path)
        let folder = ParallelBuild.folder(for: indexPath)
        let metadata = ParallelBuild.metadataPath(in: folder)
        guard FileManager.default.fileExists(atPath: metadata + "/iamglass"),
              let marked = try? Database(path: metadata).metadata(IndexSchema.Metadata.buildCheckpoint),
              !marked.isEmpty else { return nil }
        // Every shard's generations, in the order a finished build merges them.
        var shards: [String] = []
        func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path + "/iamglass") }
        var shard = 0
        while exists(ParallelBuild.shardPath(in: folder, shard, generation: 0)) {
            var generation = 0
            while case let path = ParallelBuild.shardPath(in: folder, shard, generation: generation), exists(path) {
                shards.append(path)
                generation += 1
            }
            shard += 1
        }
        guard !shards.isEmpty else { return nil }
        return KilledBuild(indexPath: indexPath, folder: folder, shardPaths: shards)
    }

    /// Merges the shards as of their last commits with the metadata as of its last checkpoint, and swaps the
    /// result in for the index. Returns the documents kept.
    func salvage() throws -> Int {
        try prepareMetadata()
        let merged = ParallelBuild.mergedPath(in: folder)
        try? FolderSwap.removeTree(merged)  // a merge the kill interrupted
        try ParallelBuild.merge(metadata: ParallelBuild.metadataPath(in: folder), shards: shardPaths,
                                into: merged) { _, _ in true }
        let kept = try Database(path: merged).documentCount()
        try ParallelBuild.install(merged, as: indexPath, parked: ParallelBuild.parkedPath(in: folder))
        try? FolderSwap.removeTree(folder)
        return kept
    }

    /// What only the finished build would have known goes: the docid of a JSON Lines file's last line without a
    /// newline (its shard gave it none yet). Such a file is marked unfinished, so the next read goes on from its
    /// last complete line and stores that line again, under its id. (A build killed while merging had resolved
    /// them all.)
    private func prepareMetadata() throws {
        let metadata = try WritableDatabase(path: ParallelBuild.metadataPath(in: folder), mode: .open)
        for key in try metadata.metadataKeys() where key.hasPrefix(IndexSchema.Metadata.jsonLinesPrefix) {
            guard var state = JSONLinesState.decode(try metadata.metadata(key)), state.tail == 0 else { continue }
            state.tail = nil
            state.complete = nil
            try metadata.setMetadata(key, state.encoded())
        }
        try metadata.commit()
        try metadata.close()
    }
}
