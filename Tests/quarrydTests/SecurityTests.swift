import Foundation
import QuarryCore
import QuarryTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What quarryd exposes, and to whom: only its Unix socket, with the configured permissions; only indexed
/// articles (never a file named by a request); error messages with nothing but what the caller sent.
@Suite("quarryd: security", .timeLimit(.minutes(3)))
struct SecurityTests {
    @Test func socketPermissionsFromTheConfigFileKeepOtherUsersOut() async throws {
        let db = try await SharedIndex.prepare()
        for mode in ["0600", "0666"] {
            let directory = try ShortTempDirectory()
            defer { directory.remove() }
            chmod(directory.path, 0o755)  // others may reach the socket: only its own mode decides
            let config = directory.file("quarry.yaml")
            try "db: \(db)\nsocket_mode: \"\(mode)\"\n".write(toFile: config, atomically: true, encoding: .utf8)
            let socket = directory.file("q.sock")
            let daemon = try Daemon.start(["--config", config, "--socket", socket], socket: socket)
            try await supervise(daemon) { daemon in
                let expected = UInt32(mode, radix: 8)
                #expect(fileMode(socket)?.permissions == expected, "socket_mode \(mode) from --config")
                #expect(fileMode(socket)?.isSocket == true)
                guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else {
                    print("note: not root (or no setpriv): connecting as another user is not tried")
                    return
                }
                // The same client, as user and group nobody (65534).
                let other = try await runTool("/usr/bin/setpriv", [
                    "--reuid=65534", "--regid=65534", "--clear-groups",
                    Executables.url("quarry").path, "stats", "--socket", socket, "--json",
                ])
                if mode == "0600" {
                    #expect(other.status != 0, "another user connected to a 0600 socket: \(other.stdout)")
                    #expect(other.stderr.localizedCaseInsensitiveContains("permission denied"), "\(other.stderr)")
                } else {
                    #expect(other.status == 0, "0666 lets anyone connect: \(other.stderr)")
                }
            }
        }
    }

    @Test func theOnlyListeningSocketIsTheUnixSocket() async throws {
        try await withDaemon { daemon in
            let descriptors = "/proc/\(daemon.pid)/fd"
            guard FileManager.default.fileExists(atPath: descriptors) else {
                print("note: no /proc (not Linux): listener check not run")
                return
            }
            var socketInodes = Set<String>()
            for name in try FileManager.default.contentsOfDirectory(atPath: descriptors) {
                let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: "\(descriptors)/\(name)")) ?? ""
                if target.hasPrefix("socket:[") { socketInodes.insert(String(target.dropFirst(8).dropLast())) }
            }
            // Inodes of every internet socket on the machine (column 10 of /proc/net/{tcp,udp}{,6}).
            var internet = Set<String>()
            for table in ["tcp", "tcp6", "udp", "udp6", "raw", "raw6"] {
                guard let text = procFile("/proc/net/\(table)") else { continue }
                for line in text.split(separator: "\n").dropFirst() {
                    let fields = line.split(separator: " ")
                    if fields.count > 9 { internet.insert(String(fields[9])) }
                }
            }
            #expect(socketInodes.isDisjoint(with: internet), "quarryd holds an internet socket")
            // The check sees quarryd's sockets at all: its listener is among them, in /proc/net/unix with its path.
            let unix = try #require(procFile("/proc/net/unix"))
            let listener = unix.split(separator: "\n").first { $0.hasSuffix(" " + daemon.socketPath) }
            let inode = listener.map { String($0.split(separator: " ")[6]) }
            #expect(inode.map(socketInodes.contains) == true, "quarryd's listening socket is among its descriptors")
        }
    }

    @Test func idsThatLookLikePathsReadNothingOutsideTheIndex() async throws {
        let db = try await SharedIndex.prepare()
        let article = try #require(SampleCorpus.articles.first { $0.id.contains("/") })
        let sourceFile = RepositoryPaths.samples.appendingPathComponent(article.id).path
        try #require(FileManager.default.fileExists(atPath: sourceFile))
        let targets = [
            "..%2F..%2F..%2F..%2Fetc%2Fpasswd", "../../../../etc/passwd", "%2Fetc%2Fpasswd", "/etc/passwd",
            "..%2f..%2fetc%2fpasswd", "%2e%2e/%2e%2e/etc/passwd", "....//....//etc/passwd", "etc/passwd%00.txt",
            encPath(sourceFile),                        // the article's own file, by absolute path
            encPath("../" + article.id), encPath("./" + article.id),
            encPath(db + "/iamglass"), "..%2Fdb%2Fiamglass", encPath("file://" + sourceFile),
        ]
        try await withDaemon(db: db) { daemon in
            try await withClient(daemon.socketPath) { client in
                for endpoint in ["/documents/", "/similar/"] {
                    for target in targets {
                        let result = try await client.get(endpoint + target)
                        #expect(result.status == 404, "\(endpoint)\(target): \(result.text.prefix(200))")
                        #expect(ErrorEnvelope.decode(result)?.code == "not_found", "\(endpoint)\(target)")
                        #expect(!result.text.contains("root:"), "\(endpoint)\(target) returned file content")
                        #expect(!result.text.contains(article.title), "\(endpoint)\(target) returned the article")
                    }
                }
                // The article itself, by its id, is there: the 404s above are not for want of data.
                let stored = try await client.get("/documents/" + encPath(article.id))
                #expect(stored.status == 200 && stored.text.contains(article.title.prefix(20)))
            }
        }
    }

    /// Errors name what was wrong with the request, never article text, the index or corpus paths, or the socket.
    @Test func errorMessagesHoldNoArticleTextOrInternalPaths() async throws {
        let db = try await SharedIndex.prepare()
        let secrets = [db, RepositoryPaths.samples.path, "/tmp/", "/work/", "/home/", "/root"]
        // A distinctive stretch of every article's text, and its title.
        let fragments = SampleCorpus.articles.flatMap { article in
            [article.title, String(article.body.split(separator: " ").prefix(6).joined(separator: " "))]
        }.filter { $0.count >= 12 }
        try #require(fragments.count >= 32)
        let requests: [(method: String, target: String, body: String?)] = [
            ("GET", "/search?q=AND&mode=syntax", nil), ("GET", "/search?q=\(enc("port AND"))", nil),
            ("GET", "/search?q=\(enc("\"port strike"))&limit=x", nil),
            ("GET", "/search?q=port&from=2023-02-30", nil), ("GET", "/search?q=port&sort=sideways", nil),
            ("GET", "/search?q=" + String(repeating: "s*+", count: 20), nil),
            ("GET", "/search?q=%FF", nil), ("GET", "/search?limit=5", nil),
            ("GET", "/documents/no-such-article", nil), ("GET", "/similar/no-such-article", nil),
            ("GET", "/nowhere", nil), ("DELETE", "/search?q=port", nil),
            ("POST", "/search", #"{"q":"OR","mode":"syntax"}"#), ("POST", "/search", "{nope"), ("POST", "/search", #"{"q":7}"#),
        ]
        try await withDaemon(db: db) { daemon in
            try await withClient(daemon.socketPath) { client in
                for (method, target, body) in requests {
                    let result = try await client.send(.init(rawValue: method), target, body: body.map { Array($0.utf8) })
                    let message = try #require(ErrorEnvelope.decode(result)?.message, "\(method) \(target): \(result.text)")
                    #expect((400..<500).contains(result.status), "\(method) \(target)")
                    for secret in secrets + [daemon.socketPath] where !target.contains(secret) {
                        #expect(!message.contains(secret), "\(method) \(target): \(message)")
                    }
                    for fragment in fragments where !message.isEmpty {
                        #expect(!message.contains(fragment), "\(method) \(target) leaks article text: \(message)")
                    }
                }
            }
        }
    }
}

/// A /proc file read to its end (it reports size 0, and may be far longer than one read when many sockets are open).
private func procFile(_ path: String) -> String? {
    guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
    defer { try? handle.close() }
    return String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
}
