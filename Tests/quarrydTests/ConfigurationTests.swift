import Foundation
import QuarryCore
import QuarryTestSupport
import Testing

/// quarryd's settings from QUARRY_* variables, a YAML file and flags, as the real binary reads them.
@Suite("quarryd: configuration", .timeLimit(.minutes(3)))
struct ConfigurationTests {
    @Test func environmentVariablesConfigureTheDaemon() async throws {
        let environment = [
            "QUARRY_MAX_LIMIT": "5",
            "QUARRY_SOCKET_MODE": "0660",
            "QUARRY_QUERY_MAX_BYTES": "20",
            "QUARRY_SPELLING_SUGGESTIONS": "false",
            "QUARRY_QUERY_MAX_WILDCARDS": "1",
        ]
        try await withDaemon(environment: environment) { daemon in
            #expect(fileMode(daemon.socketPath)?.permissions == 0o660)
            try await withClient(daemon.socketPath) { client in
                let capped = try await client.search("q=the")
                #expect(capped.hits.count == 5, "a max_limit under 10 lowers the default page size")
                let five = try await client.search("q=the&limit=5")
                #expect(five.hits.count == 5)
                let six = try await client.get("/search?q=the&limit=6")
                #expect(six.status == 400)
                #expect(ErrorEnvelope.decode(six)?.message.contains("5") == true, "\(six.text)")

                let long = try await client.get("/search?q=\(enc("twenty-one bytes long"))")
                #expect(long.status == 400)
                #expect(ErrorEnvelope.decode(long)?.code == "bad_parameter")

                let noSpelling = try await client.search("q=earthquak")
                #expect(noSpelling.suggestion == nil, "QUARRY_SPELLING_SUGGESTIONS=false")
            }
            // On a connection of their own, so that no connection is kept long.
            try await withClient(daemon.socketPath) { client in
                let one = try await client.get("/search?q=valm*")
                #expect(one.status == 200)
                let two = try await client.get("/search?q=\(enc("valm* port*"))")
                #expect(two.status == 400, "QUARRY_QUERY_MAX_WILDCARDS=1: \(two.text)")
            }
        }
    }

    /// On a daemon of its own: with a short idle timeout, a test client starved of CPU between two requests
    /// (the whole suite runs at once on 2 cores) would see its connection closed, as the setting asks.
    @Test func theIdleTimeoutComesFromTheEnvironment() async throws {
        try await withDaemon(environment: ["QUARRY_IDLE_TIMEOUT_SECONDS": "2"]) { daemon in
            let idle = try await offloadThrowing { () -> (bytes: [UInt8], timedOut: Bool) in
                let raw = try UnixSocketClient(path: daemon.socketPath, timeout: 15)
                return raw.readUntilClosed()
            }
            #expect(!idle.timedOut, "an idle connection is closed after idle_timeout_seconds (2), not the default 60")
            #expect(idle.bytes.isEmpty)
        }
    }

    @Test func flagsBeatEnvironmentWhichBeatsTheConfigFile() async throws {
        let db = try await SharedIndex.prepare()
        let directory = try ShortTempDirectory()
        defer { directory.remove() }
        let config = directory.file("quarry.yaml")
        try """
            db: \(db)
            socket: \(directory.file("from-file.sock"))
            max_limit: 7
            query_max_bytes: 100
            workers: 1
            socket_mode: "0640"
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let flagSocket = directory.file("from-flag.sock")
        let daemon = try Daemon.start(
            ["--config", config, "--socket", flagSocket], socket: flagSocket,
            environment: ["QUARRY_MAX_LIMIT": "6", "QUARRY_SOCKET": directory.file("from-env.sock")])
        try await supervise(daemon) { daemon in
            #expect(!pathExists(directory.file("from-env.sock")) && !pathExists(directory.file("from-file.sock")),
                    "--socket wins over QUARRY_SOCKET and the file")
            #expect(fileMode(flagSocket)?.permissions == 0o640, "socket_mode from the file")
            try await withClient(flagSocket) { client in
                let six = try await client.get("/search?q=the&limit=6")
                #expect(six.status == 200, "QUARRY_MAX_LIMIT=6 wins over max_limit: 7 in the file: \(six.text)")
                let seven = try await client.get("/search?q=the&limit=7")
                #expect(seven.status == 400, "QUARRY_MAX_LIMIT=6 wins over max_limit: 7 in the file")
                let long = try await client.get("/search?q=\(enc(String(repeating: "a ", count: 30)))")
                #expect(long.status == 200, "query_max_bytes: 100 from the file")
                let stats = try await client.get("/stats")
                let object = try JSONSerialization.jsonObject(with: Data(stats.body)) as? [String: Any]
                #expect(object?["documents"] as? Int == SampleCorpus.articles.count, "db from the file")
            }
        }

        // QUARRY_CONFIG names the file when --config is absent; QUARRY_DB gives the index.
        let envSocket = directory.file("env-config.sock")
        try """
            max_limit: 3
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let second = try Daemon.start(
            ["--socket", envSocket], socket: envSocket,
            environment: ["QUARRY_CONFIG": config, "QUARRY_DB": db, "QUARRY_WORKERS": "1"])
        try await supervise(second) { daemon in
            try await withClient(envSocket) { client in
                #expect(try await client.search("q=the").hits.count == 3)
                let four = try await client.get("/search?q=the&limit=4")
                #expect(four.status == 400)
            }
        }
    }

    @Test func badSettingsStopTheDaemonWithAMessage() async throws {
        let db = try await SharedIndex.prepare()
        let directory = try ShortTempDirectory()
        defer { directory.remove() }
        let socket = directory.file("q.sock")
        let cases: [(arguments: [String], environment: [String: String], message: String)] = [
            (["--db", db, "--socket", socket], ["QUARRY_MAX_LIMIT": "lots"], "max_limit"),
            (["--db", db, "--socket", socket], ["QUARRY_SOCKET_MODE": "rwx"], "socket_mode"),
            (["--db", db, "--socket", socket], ["QUARRY_QUERY_STOPWORDS": "klingon"], "english_short"),
            (["--db", db, "--socket", socket], ["QUARRY_BM25_PLUS_DELTA": "-1"], "bm25_plus_delta"),
            (["--db", db, "--socket", socket], ["QUARRY_REMOTE_TIMEOUT_SECONDS": "-1"], "remote_timeout_seconds"),
            (["--db", db, "--socket", socket], ["QUARRY_SPELLING_DB": directory.file("nowhere")], "spelling_db"),
            (["--db", db, "--socket", socket, "--log-level", "chatty"], [:], "log_level"),
            (["--socket", socket], [:], "--db"),
            (["--db", db, "--socket", socket, "--config", directory.file("missing.yaml")], [:], "missing.yaml"),
            (["--db", db, "--socket", "/tmp/" + String(repeating: "s", count: 120) + ".sock"], [:], "longer than"),
        ]
        for (arguments, environment, message) in cases {
            let daemon = try Daemon.start(arguments, socket: socket, environment: environment)
            let exit = await daemon.waitForExit(seconds: 30)
            if exit == nil { await daemon.stop() }
            let status = try #require(exit, "\(arguments) \(environment): quarryd kept running")
            #expect(!status.signalled && status.status != 0, "\(arguments) \(environment): \(status)")
            #expect(daemon.log.contains(message), "\(arguments) \(environment): \(daemon.log)")
            #expect(!pathExists(socket))
        }
    }
}
