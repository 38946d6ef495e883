import Foundation
import Testing
@testable import Xapian

/// Reading a Xapian stub database file as Xapian 1.4's own reader does (so that its remote lines can be opened
/// with timeouts): the same lines accepted, the same relative paths, the same "Bad line" errors.
@Suite struct StubDatabaseFileTests {
    @Test func linesBecomeLocationsWithPathsRelativeToTheFile() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let stub = folder.path("all.stub")
        try """
        # shards of the archive
        auto shard-a
        glass /srv/quarry/shard-b

        remote 10.0.0.7:33333
        remote [::1]:8100
        remote :ssh search2 xapian-progsrv /srv/quarry/shard-c
        """.write(toFile: stub, atomically: true, encoding: .utf8)
        let folderPath = folder.url.path
        #expect(try StubDatabase.locations(inFile: stub) == [
            .local(path: folderPath + "/shard-a"),
            .local(path: "/srv/quarry/shard-b"),
            .tcp(host: "10.0.0.7", port: 33333),
            .tcp(host: "::1", port: 8100),
            .program("ssh", arguments: "search2 xapian-progsrv /srv/quarry/shard-c"),
        ])
    }

    @Test func aBadLineIsNamedByNumberNotShown() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        for (text, line) in [("auto a\nsecret-token\n", 2), ("remote host-without-port\n", 1), ("remote :\n", 1),
                             ("glass\n", 1), ("remote []:80\n", 1), ("remote host:99999\n", 1)] {
            let stub = folder.path("bad-\(line)-\(text.count).stub")
            try text.write(toFile: stub, atomically: true, encoding: .utf8)
            do {
                _ = try StubDatabase.locations(inFile: stub)
                Issue.record("accepted: \(text)")
            } catch {
                #expect(error.kind == .databaseOpening)
                #expect(error.message == "\(stub):\(line): Bad line", "\(error.message)")
            }
        }
    }

    @Test func whatIsAStub() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        // An ordinary database folder is not; a folder holding XAPIANDB (xapian-replicate's layout) is.
        let database = folder.path("db")
        try WritableDatabase(path: database).close()
        #expect(StubDatabase.file(at: database) == nil)
        let stubFolder = folder.path("replica")
        try FileManager.default.createDirectory(atPath: stubFolder, withIntermediateDirectories: true)
        try "auto ../db\n".write(toFile: stubFolder + "/XAPIANDB", atomically: true, encoding: .utf8)
        #expect(StubDatabase.file(at: stubFolder) == stubFolder + "/XAPIANDB")
        #expect(try Database(shards: StubDatabase.locations(inFile: stubFolder + "/XAPIANDB")).documentCount() == 0)
        // A text file is one; a single-file database (Xapian's magic bytes first) and a missing path are not.
        let text = folder.path("list.stub")
        try "auto db\n".write(toFile: text, atomically: true, encoding: .utf8)
        #expect(StubDatabase.file(at: text) == text)
        let single = folder.path("single.glass")
        try Data([0x0F, 0x0D] + Array("Xapian Glass".utf8) + [UInt8](repeating: 0, count: 2034)).write(to: URL(fileURLWithPath: single))
        #expect(StubDatabase.file(at: single) == nil)
        #expect(StubDatabase.file(at: folder.path("missing")) == nil)
    }

    @Test func aRemoteShardThatIsNotThereFailsAsANetworkError() throws {
        // Port 1 on 127.0.0.1: nothing listens, so the connection is refused at once.
        do {
            _ = try Database(shards: [.tcp(host: "127.0.0.1", port: 1)], remoteTimeouts: RemoteTimeouts(operation: 1, connect: 1))
            Issue.record("opened a remote database where none is served")
        } catch {
            #expect(error.kind == .network, "\(error.kind): \(error.message)")
        }
    }
}
