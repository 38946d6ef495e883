import Foundation
import QuarryTestSupport
import Testing
import Xapian

/// `--watch` waits for changes between rescans; a stop signal ends that wait at once rather than after the
/// interval (30 s here, so a watcher that sat out its interval would miss the 5 s bound by far).
@Suite struct WatchStopTests {
    @Test(arguments: [SIGINT, SIGTERM])
    func aStopSignalEndsTheWaitAtOnce(signal: Int32) throws {
        let corpus = try TestCorpus()
        try corpus.write("world/one.txt", "Harbour reopens\n\nThe harbour reopened on Monday.")
        let watcher = Process()
        watcher.executableURL = Executables.url("quarry-index")
        watcher.arguments = [corpus.corpus.path, "--db", corpus.databasePath, "--watch", "--interval", "30", "--quiet"]
        watcher.standardOutput = FileHandle.nullDevice
        watcher.standardError = FileHandle.nullDevice
        try watcher.run()
        defer { if watcher.isRunning { kill(watcher.processIdentifier, SIGKILL); watcher.waitUntilExit() } }

        // Indexed and waiting: the first run has committed its document.
        let ready = Date().addingTimeInterval(30)
        while Date() < ready, ((try? Database(path: corpus.databasePath).documentCount()) ?? 0) < 1 { usleep(20_000) }
        usleep(300_000)
        try #require(watcher.isRunning, "the watcher is waiting")

        let sent = Date()
        kill(watcher.processIdentifier, signal)
        while watcher.isRunning && Date().timeIntervalSince(sent) < 5 { usleep(10_000) }
        #expect(!watcher.isRunning, "still running 5 s after the signal")
        watcher.waitUntilExit()
        #expect(watcher.terminationReason == .exit && watcher.terminationStatus == 0)
    }
}
