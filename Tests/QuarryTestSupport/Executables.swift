import Foundation

/// The built command-line tools, next to the test bundle in the build folder.
public enum Executables {
    public static let binDirectory: URL = {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        var directory = bundle.deletingLastPathComponent()
        // swift-testing runs the .xctest bundle directly; XCTest may run it from inside the bundle.
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("quarry-index").path),
              directory.path != "/" {
            directory.deleteLastPathComponent()
        }
        return directory
    }()

    public static func url(_ name: String) -> URL { binDirectory.appendingPathComponent(name) }

    /// A Xapian command-line tool (xapian-check, xapian-delve, quest) from xapian-tools, or nil when it is
    /// not installed (scripts/setup installs it).
    public static func xapianTool(_ name: String) -> String? {
        ["/usr/bin/", "/usr/local/bin/"].map { $0 + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs a tool to completion and captures what it printed.
    public static func run(_ name: String, _ arguments: [String], environment: [String: String]? = nil) throws -> Output {
        let process = Process()
        process.executableURL = name.hasPrefix("/") ? URL(fileURLWithPath: name) : url(name)
        process.arguments = arguments
        if let environment { process.environment = environment }
        // stderr goes to a file: two pipes read one after the other could deadlock a chatty tool.
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("quarry-stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errorData = (try? Data(contentsOf: errorFile)) ?? Data()
        return Output(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errorData, as: UTF8.self))
    }
}
