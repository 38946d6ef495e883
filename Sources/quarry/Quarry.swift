import ArgumentParser
import Foundation
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
            """,
        subcommands: [Search.self, Doc.self, Similar.self, Stats.self, Health.self])
}

/// Options every subcommand shares.
struct ConnectionOptions: ParsableArguments {
    @Option(help: "quarryd's socket (default: $QUARRY_SOCKET, else the daemon's default path).")
    var socket: String?

    @Flag(help: "Print the daemon's JSON instead of text.")
    var json = false

    var socketPath: String {
        socket ?? ProcessInfo.processInfo.environment["QUARRY_SOCKET"] ?? DefaultPaths.socket()
    }
}

