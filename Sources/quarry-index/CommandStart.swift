import ArgumentParser
import Foundation
import Logging
import QuarryCore

/// What every quarry-index command does first: refuse to run without the decompression fix (before anything
/// reads an index: without the shim's inflate(), Xapian misreads some compressed items), then log to stderr.
enum CommandStart {
    static func begin(logLevel: Logger.Level) throws -> Logger {
        do {
            try XapianSafety.requireDecompressionFix(program: "quarry-index")
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(XapianSafety.exitStatus)
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = logLevel
            return handler
        }
        return Logger(label: "quarry-index")
    }
}
