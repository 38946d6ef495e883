import ArgumentParser
import Foundation
import QuarryAPI
import QuarryClient
import QuarryCore

@main
struct Quarry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quarry",
        abstract: "Search a Quarry index: through quarryd's socket, or in-process with --db.",
        discussion: """
            Examples:
              quarry search gaza ceasefire
              quarry search '"ground invasion"' --category world --from 2023-10-01 --sort -date
              quarry search 'title:election NOT local' --limit 5 --json
              quarry search floods --db ~/news.db          # no daemon needed
              quarry doc world/000_7a2cba55adf5e13e.txt
              quarry similar world/000_7a2cba55adf5e13e.txt
              quarry stats
            The daemon's socket is --socket, else $QUARRY_SOCKET, else \(DefaultPaths.socket()).
            With --db DIR every command answers in-process from that index, exactly as quarryd would.
            """,
        subcommands: [Search.self, Doc.self, Similar.self, Stats.self, Health.self, SocketPath.self])
}

/// Where a command's request goes, and how its answer is printed: options every subcommand shares.
struct ConnectionOptions: ParsableArguments {
    @Option(help: "quarryd's socket (default: $QUARRY_SOCKET, else the daemon's default path).")
    var socket: String?

    @Option(help: "Answer in-process from this index folder instead of asking quarryd.", completion: .directory)
    var db: String?

    @Flag(help: "Print the answer as JSON instead of text.")
    var json = false

    var socketPath: String { socket ?? Self.environmentSocketPath }

    /// $QUARRY_SOCKET, else the default path (where quarryd listens by default).
    static var environmentSocketPath: String {
        ProcessInfo.processInfo.environment["QUARRY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 } ?? DefaultPaths.socket()
    }

    func validate() throws {
        if db != nil && socket != nil { throw ValidationError("--db and --socket exclude each other: pick one") }
    }

    /// Runs `call` against quarryd or, with --db, in-process; prints its answer as JSON or with `render`.
    /// An API error or an unreachable daemon is one line on stderr and exit 1.
    func run<T: Encodable & Sendable>(_ call: @Sendable (any QuarryService) async throws -> T,
                                      render: (T) -> Void) async
    {
        let answer: T
        do {
            if let db {
                answer = try await call(InProcessQuarry(path: db))
            } else {
                answer = try await QuarryClient.with(socketPath: socketPath) { try await call($0) }
            }
        } catch let error as APIError {
            // The API keeps the index's path out of its messages; the user gave it, so name it.
            let message = db.map { "\($0): \(error.message)" } ?? error.message
            Output.fail(code: error.code, message: error.code == "index_unavailable" ? message : error.message)
        } catch let error as QuarryClientError {
            Output.fail(code: "unreachable", message: error.description)
        } catch {
            Output.fail(code: "internal", message: "\(error)")
        }
        json ? Output.printJSON(answer) : render(answer)
    }
}
