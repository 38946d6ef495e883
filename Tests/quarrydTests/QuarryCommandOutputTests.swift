import Foundation
import QuarryCore
import QuarryTestSupport
import Testing

/// What `quarry` prints for people, answering in-process (--db): no daemon needed.
@Suite("quarry's output for people", .timeLimit(.minutes(2)))
struct QuarryCommandOutputTests {
    @Test func snippetsShowCharactersNotHTMLEscapes() async throws {
        let db = try await SharedIndex.prepare()
        let output = try await runTool("quarry", ["search", "--db", db, "crumb", "--limit", "1"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("Crumb & Co will open"), "\(output.stdout)")
        #expect(!output.stdout.contains("&amp;"), "\(output.stdout)")
        #expect(output.stdout.hasPrefix("1 match for crumb"), "an exact count is printed as such: \(output.stdout)")
    }

    @Test func everyCommandAnswersInProcess() async throws {
        let db = try await SharedIndex.prepare()
        let health = try await runTool("quarry", ["health", "--db", db])
        #expect(health.status == 0 && health.stdout == "ok\n", "\(health.stdout)\(health.stderr)")
        let stats = try await runTool("quarry", ["stats", "--db", db])
        #expect(stats.stdout.contains("documents   32") && !stats.stdout.contains("uptime"), "\(stats.stdout)")
        let dated = SampleCorpus.articles.filter { $0.date != nil }.count
        #expect(stats.stdout.contains("dated       \(dated) of 32 articles have a date"), "\(stats.stdout)")
        let doc = try await runTool("quarry", ["doc", "wire-002", "--db", db])
        #expect(doc.status == 0 && doc.stdout.contains("tags: "), "a record's own fields are shown: \(doc.stdout)")
        let similar = try await runTool("quarry", ["similar", "wire-002", "--db", db, "--limit", "2", "--json"])
        #expect(similar.status == 0, "\(similar.stderr)")
    }

    @Test func aNegativeNumberIsTheOptionsValueAndTheAPISaysWhatIsWrong() async throws {
        let db = try await SharedIndex.prepare()
        let output = try await runTool("quarry", ["search", "--db", db, "comet", "--recency", "-5"])
        #expect(output.status == 1)
        #expect(output.stderr == "quarry: recency: must be a number of days greater than 0 [bad_parameter]\n",
                "\(output.stderr)")
        let both = try await runTool("quarry", ["search", "--db", db, "--socket", "/tmp/x.sock", "comet"])
        #expect(both.status == 64 && both.stderr.contains("quarry search"), "the subcommand's usage: \(both.stderr)")
    }

    @Test func socketPathFollowsTheEnvironment() async throws {
        let chosen = try await offloadThrowing {
            try Executables.run("quarry", ["socket-path"], environment: ["QUARRY_SOCKET": "/run/custom/q.sock"])
        }
        #expect(chosen.stdout == "/run/custom/q.sock\n")
        let fallback = try await offloadThrowing {
            try Executables.run("quarry", ["socket-path"], environment: ["XDG_RUNTIME_DIR": "/run/user/1000"])
        }
        #expect(fallback.stdout == "/run/user/1000/quarry/quarry.sock\n")
    }
}
