import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// xapian-tcpsrv serving one database on 127.0.0.1, on a free port; stopped by `stop()`.
public final class TcpServer {
    public struct NotStarted: Error, CustomStringConvertible {
        public var description: String { "xapian-tcpsrv did not start on any of 20 ports" }
    }

    public static let executable = "/usr/bin/xapian-tcpsrv"
    public static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: executable) }

    public let port: Int
    private let process: Process

    /// On `port`, or on a free one.
    public init(serving path: String, port fixed: Int? = nil) throws {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<(fixed == nil ? 20 : 5) {
            let port = fixed ?? Int.random(in: 20_000..<60_000, using: &random)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.executable)
            process.arguments = ["--port", String(port), "--interface", "127.0.0.1", path]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            // It says "Listening..." once bound; a taken port makes it exit.
            var seen = ""
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning, !seen.contains("Listening"), Date() < deadline {
                seen += String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
            }
            if process.isRunning, seen.contains("Listening") {
                // It prints a line per connection from now on: read and dropped, so that a full pipe never
                // blocks it.
                output.fileHandleForReading.readabilityHandler = { _ = $0.availableData }
                self.port = port
                self.process = process
                return
            }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            if fixed != nil { usleep(200_000) }  // the port may still be closing
        }
        throw NotStarted()
    }

    /// SIGKILL, to the server and to the children it forked for connections (xapian-tcpsrv does not stop on
    /// SIGTERM while it waits, and a child would go on serving its connection).
    public func stop() {
        signalAll(SIGKILL)
        process.waitUntilExit()
    }

    /// SIGSTOP to the server and its connections' children: a server that hangs (connections accepted by the
    /// kernel, nothing answered), until `resume()`.
    public func pause() { signalAll(SIGSTOP) }

    public func resume() { signalAll(SIGCONT) }

    private func signalAll(_ signal: Int32) {
        ProcessTree.signal(signal, process)
    }
}
