import Foundation
import QuarryTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The socket file: permissions, a live daemon's socket is never taken over, a dead one's is.
@Suite("quarryd: socket handling", .timeLimit(.minutes(3)))
struct SocketTests {
    @Test func aSecondDaemonOnALiveSocketRefusesAndTheFirstKeepsServing() async throws {
        let db = try await SharedIndex.prepare()
        try await withDaemon(db: db) { first in
            let socket = first.socketPath
            let mode = try #require(fileMode(socket))
            #expect(mode.isSocket)
            #expect(mode.permissions == 0o600, "default socket mode is 0600, got \(String(mode.permissions, radix: 8))")

            let second = try Daemon.launch(db: db, socket: socket)
            let exit = await second.waitForExit(seconds: 30)
            if exit == nil { await second.stop() }
            let status = try #require(exit, "the second quarryd kept running; log:\n\(second.log)")
            #expect(!status.signalled && status.status != 0, "second quarryd: \(status)")
            #expect(second.log.contains("already"), "second quarryd said: \(second.log)")

            #expect(pathExists(socket), "the refused daemon left the live socket alone")
            try await withClient(socket) { client in
                let health = try await client.get("/health")
                #expect(health.status == 200)
                let hits = try await client.ids("q=valmora")
                #expect(!hits.isEmpty, "the first daemon still serves")
            }
        }
    }

    @Test func aCrashedDaemonsSocketIsReplaced() async throws {
        let db = try await SharedIndex.prepare()
        let directory = try ShortTempDirectory()
        defer { directory.remove() }
        let socket = directory.file("q.sock")

        let crashed = try Daemon.launch(db: db, socket: socket)
        do {
            try await crashed.waitUntilHealthy()
        } catch {
            await crashed.stop()
            throw error
        }
        let killed = await crashed.crash()
        #expect(killed.signalled && killed.status == SIGKILL)
        try #require(pathExists(socket), "SIGKILL leaves the socket file behind")

        try await withDaemon(db: db, socket: socket) { daemon in
            try await withClient(daemon.socketPath) { client in
                let hits = try await client.ids("q=valmora")
                #expect(!hits.isEmpty)
            }
            #expect(daemon.log.contains("stale"), "the new daemon says it removed a stale socket: \(daemon.log)")
            #expect(fileMode(socket)?.permissions == 0o600)
        }
    }

    @Test func aBoundButClosedSocketIsReplaced() async throws {
        let directory = try ShortTempDirectory()
        defer { directory.remove() }
        let socket = directory.file("q.sock")
        try makeStaleSocket(at: socket)
        try #require(fileMode(socket)?.isSocket == true)
        try await withDaemon(socket: socket) { daemon in
            try await withClient(daemon.socketPath) { client in
                let health = try await client.get("/health")
                #expect(health.status == 200)
            }
        }
    }

    @Test func somethingElseAtTheSocketPathIsLeftAlone() async throws {
        let db = try await SharedIndex.prepare()
        let directory = try ShortTempDirectory()
        defer { directory.remove() }
        let path = directory.file("q.sock")
        try Data("precious".utf8).write(to: URL(fileURLWithPath: path))

        let daemon = try Daemon.launch(db: db, socket: path)
        let exit = await daemon.waitForExit(seconds: 30)
        if exit == nil { await daemon.stop() }
        let status = try #require(exit, "quarryd started on a regular file; log:\n\(daemon.log)")
        #expect(!status.isClean)
        #expect(daemon.log.contains("not a socket"), "\(daemon.log)")
        #expect((try? String(contentsOfFile: path, encoding: .utf8)) == "precious", "the file is untouched")
    }

    @Test func aSocketInAMissingDirectoryIsCreatedPrivately() async throws {
        let directory = try ShortTempDirectory()
        defer { directory.remove() }
        let socket = directory.file("run/quarry/q.sock")
        try await withDaemon(socket: socket) { daemon in
            var info = stat()
            #expect(lstat(directory.file("run/quarry"), &info) == 0)
            #expect(info.st_mode & 0o777 == 0o700, "created socket directories are 0700")
            #expect(fileMode(socket)?.permissions == 0o600)
            try await withClient(daemon.socketPath) { client in
                let health = try await client.get("/health")
                #expect(health.status == 200)
            }
        }
    }
}
