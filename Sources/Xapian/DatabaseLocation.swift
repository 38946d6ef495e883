import Foundation

/// Where one database of a set is, as a line of a Xapian stub database file says: a local database, or one that
/// a server speaking Xapian's remote protocol serves.
public enum DatabaseLocation: Sendable, Hashable {
    case local(path: String)
    /// `xapian-tcpsrv` on `host`:`port`.
    case tcp(host: String, port: UInt16)
    /// A program speaking the remote protocol on its standard input and output (`xapian-progsrv`, often run
    /// through `ssh`); `arguments` are split on spaces as Xapian does.
    case program(String, arguments: String)
}

/// How long a remote database may take before Xapian gives up with a NetworkTimeoutError: each operation
/// (a search's exchange with the server), and making the connection. 0 = wait for ever.
public struct RemoteTimeouts: Sendable, Hashable {
    public var operation: Double
    public var connect: Double

    /// Xapian's own defaults for `Remote::open` (10 s each). A stub file opened by Xapian itself gets no
    /// operation timeout at all.
    public init(operation: Double = 10, connect: Double = 10) {
        self.operation = operation
        self.connect = connect
    }

    var operationMilliseconds: UInt32 { Self.milliseconds(operation) }
    var connectMilliseconds: UInt32 { Self.milliseconds(connect) }

    private static func milliseconds(_ seconds: Double) -> UInt32 {
        UInt32(min(max(seconds, 0) * 1000, Double(UInt32.max)).rounded())
    }
}

/// A Xapian stub database: a text file listing databases to open as one, one `TYPE WHERE` line each (`auto` or
/// `glass` PATH, relative to the file's folder; `remote HOST:PORT` for TCP; `remote :PROGRAM ARGS` for a
/// program), `#` starting a comment. Read here rather than by Xapian so that remote lines get timeouts: Xapian
/// 1.4 opens them with none, so one hung server would hang every search.
public enum StubDatabase {
    /// The stub file of `path`: the file itself, or a folder's `XAPIANDB` (a "stub directory", as
    /// `xapian-replicate` makes); nil when `path` is an ordinary database folder or not there.
    public static func file(at path: String) -> String? {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { return nil }
        guard isFolder.boolValue else { return isSingleFileDatabase(path) ? nil : path }
        let fileManager = FileManager.default
        if ["iamglass", "iamchert"].contains(where: { fileManager.fileExists(atPath: path + "/" + $0) }) {
            return nil
        }
        let stub = path + "/XAPIANDB"
        return fileManager.fileExists(atPath: stub) ? stub : nil
    }

    /// A database compacted into one file (`xapian-compact --single-file`) starts with Xapian's magic bytes.
    private static func isSingleFileDatabase(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let magic = (try? handle.read(upToCount: 9)) ?? Data()
        return magic == Data([0x0F, 0x0D] + Array("Xapian ".utf8))
    }

    /// The databases the stub file at `file` lists, in order.
    public static func locations(inFile file: String) throws(XapianError) -> [DatabaseLocation] {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw XapianError(kind: .databaseOpening, message: "Couldn't open stub database file: \(file)")
        }
        let folder = URL(fileURLWithPath: file).deletingLastPathComponent().path
        var locations: [DatabaseLocation] = []
        for (number, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated() where !line.isEmpty && !line.hasPrefix("#")
        {
            guard let location = parse(line, relativeTo: folder) else {
                // As Xapian: the line number, never the line (it may be part of a file not meant to be shown).
                throw XapianError(kind: .databaseOpening, message: "\(file):\(number + 1): Bad line")
            }
            locations.append(location)
        }
        return locations
    }

    static func parse(_ line: Substring, relativeTo folder: String) -> DatabaseLocation? {
        let type = line.prefix { $0 != " " }
        let rest = String(line.dropFirst(type.count + 1))
        switch type {
        case "auto", "glass", "chert":
            guard !rest.isEmpty else { return nil }
            return .local(path: rest.hasPrefix("/") ? rest : folder + "/" + rest)
        case "remote" where rest.hasPrefix(":"):
            let command = rest.dropFirst()
            let program = command.prefix { $0 != " " }
            guard !program.isEmpty else { return nil }
            return .program(String(program), arguments: String(command.dropFirst(program.count + 1)))
        case "remote":
            guard let colon = rest.lastIndex(of: ":"), let port = UInt16(rest[rest.index(after: colon)...]) else {
                return nil
            }
            var host = rest[..<colon]
            if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }  // IPv6
            return host.isEmpty ? nil : .tcp(host: String(host), port: port)
        default:
            return nil
        }
    }
}
