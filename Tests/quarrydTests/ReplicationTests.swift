import Foundation
import QuarryCore
import QuarryTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Read replicas (issue 19), the whole set-up on 127.0.0.1: quarry-index writes changesets on the master,
/// xapian-replicate-server serves them, xapian-replicate keeps a replica, and quarryd serves the replica. New
/// articles reach the replica's quarryd within the replication interval; a killed client resumes with
/// changesets, not a full copy; a rebuilt master reaches the replica as a full copy, which quarryd follows.
@Suite("quarryd: read replicas", .serialized, .timeLimit(.minutes(2)),
       .enabled(if: ReplicationServer.isInstalled,
                "skipped: xapian-replicate-server and xapian-replicate (Debian's xapian-tools) are not installed"))
struct ReplicationTests {
    /// The master database's name in the folder the replication server serves.
    static let master = "news.db"

    /// quarry-index as on the indexing machine: with changesets, which replicas are updated from.
    func index(_ articles: String, into db: String) async throws {
        let run = try await runTool("quarry-index", [articles, "--db", db, "--quiet"],
                                    environment: ["XAPIAN_MAX_CHANGESETS": "10"])
        try #require(run.status == 0, "\(run.stderr)")
    }

    /// An article whose title and text hold `word`, written at `path` under `articles`.
    func write(_ word: String, at path: String, in articles: String) throws {
        let text = TestCorpus.article(title: "The \(word) report", standfirst: "A \(word) story for the replica.",
                                      paragraphs: ["Nothing else in the corpus says \(word)."])
        try Data(text.utf8).write(to: URL(fileURLWithPath: articles + "/" + path))
    }

    /// The replica's live copy: the folder its stub `XAPIANDB` names ("auto replica_N"), and that folder's inode.
    /// A full copy is made in the other folder, which then replaces this one; changesets change this one in place.
    func liveCopy(_ replica: String) throws -> (name: String, inode: Int) {
        let stub = try String(contentsOfFile: replica + "/XAPIANDB", encoding: .utf8)
        let name = try #require(stub.split(separator: "\n").last { !$0.hasPrefix("#") }?.split(separator: " ").last)
        let attributes = try FileManager.default.attributesOfItem(atPath: replica + "/" + name)
        return (String(name), try #require(attributes[.systemFileNumber] as? Int))
    }

    /// Polls `q=word` until `id` is among the hits (or, with `present: false`, is not), for up to 10 s.
    func waitFor(_ client: Client, _ word: String, _ id: String, present: Bool = true) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if try await client.ids("q=\(word)").contains(id) == present { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    struct Stats: Decodable {
        var documents: Int
    }

    func documents(_ client: Client) async throws -> Int {
        try client.decode(Stats.self, try await client.get("/stats")).documents
    }

    @Test func aReplicaServesNewArticlesAKilledClientResumesWithChangesetsARebuildIsACopy() async throws {
        let folder = try ShortTempDirectory()
        defer { folder.remove() }
        let articles = folder.file("articles"), masterFolder = folder.file("master"), replica = folder.file("replica")
        let masterDB = masterFolder + "/" + Self.master
        try FileManager.default.copyItem(atPath: RepositoryPaths.fixtureArticles.path, toPath: articles)
        try FileManager.default.createDirectory(atPath: masterFolder, withIntermediateDirectories: false)
        try await index(articles, into: masterDB)

        let server = try ReplicationServer(serving: masterFolder)
        defer { server.stop() }
        let first = try server.pullOnce(Self.master, into: replica)
        #expect(first.status == 0 && first.copies == 1, "the first pull is a full copy: \(first.output)")
        let copy = try liveCopy(replica)

        try await withDaemon(db: replica) { daemon in
            try await withClient(daemon.socketPath) { client in
                #expect(try await client.ids("q=comet").contains("science/004_comet-discovery.txt"))
                #expect(try await documents(client) == (try Searcher(path: masterDB).stats().documents))

                // A client pulling every second, as on a search machine: an article indexed on the master is
                // served by the replica's quarryd within the interval (plus quarryd's reopen interval).
                let puller = try server.startClient(Self.master, into: replica)
                defer {
                    ProcessTree.signal(SIGKILL, puller)
                    puller.waitUntilExit()
                }
                try write("zephyrine", at: "science/zephyrine.txt", in: articles)
                try await index(articles, into: masterDB)
                #expect(try await waitFor(client, "zephyrine", "science/zephyrine.txt"),
                        "the new article is served by the replica's quarryd within 10 s")
                #expect(try liveCopy(replica) == copy, "brought by a changeset, not a full copy")

                // The client killed; more articles on the master; the client run again resumes from the
                // replica's revision with the changeset, into the same live copy.
                ProcessTree.signal(SIGKILL, puller)
                puller.waitUntilExit()
                #expect(puller.terminationReason == .uncaughtSignal)
                try write("quillmoor", at: "world/quillmoor.txt", in: articles)
                try await index(articles, into: masterDB)
                let resumed = try server.pullOnce(Self.master, into: replica)
                #expect(resumed.status == 0, "\(resumed.output)")
                #expect(resumed.copies == 0, "a resumed client needs no full copy: \(resumed.output)")
                #expect((resumed.changesets ?? 0) >= 1, "\(resumed.output)")
                #expect(try liveCopy(replica) == copy, "the live copy was updated in place")
                #expect(try await waitFor(client, "quillmoor", "world/quillmoor.txt"))

                // A rebuild (a new index swapped in with mv) has no changesets for the replica: a full copy, made
                // live in the other folder, which quarryd follows.
                try FileManager.default.removeItem(atPath: articles + "/science/zephyrine.txt")
                try await index(articles, into: masterDB + ".new")
                try FileManager.default.moveItem(atPath: masterDB, toPath: masterDB + ".old")
                try FileManager.default.moveItem(atPath: masterDB + ".new", toPath: masterDB)
                let rebuilt = try server.pullOnce(Self.master, into: replica)
                #expect(rebuilt.status == 0 && rebuilt.copies == 1, "a rebuild is a full copy: \(rebuilt.output)")
                #expect(try liveCopy(replica).name != copy.name, "the full copy went to the other folder")
                #expect(try await waitFor(client, "zephyrine", "science/zephyrine.txt", present: false),
                        "the rebuilt index is served")
                #expect(try await client.ids("q=quillmoor") == ["world/quillmoor.txt"])
                #expect(try await documents(client) == (try Searcher(path: masterDB).stats().documents))
            }
        }
    }
}
