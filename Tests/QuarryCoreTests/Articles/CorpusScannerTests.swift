import Foundation
import Testing
@testable import QuarryCore
#if canImport(Glibc)
import Glibc
#endif

@Suite("CorpusScanner")
struct CorpusScannerTests {
    @Test func fixtureTreeWithCategories() throws {
        let (entries, warnings) = ArticleTestSupport.scan([ArticleTestSupport.fixtures])
        #expect(warnings.isEmpty)
        #expect(entries.map(\.relativePath) == [
            "007_cycle-lanes.txt", "008_harbour-cranes.txt", "business/002_village-bakery.txt",
            "business/008_harbour-cranes.txt", "culture/005_lantern-festival.txt", "feeds/wire.jsonl",
            "science/004_comet-discovery.txt", "sport/003_rowing-title.txt", "world/001_ferry-strike.txt",
            "world/008_harbour-cranes.txt", "world/europe/006_tram-extension.txt",
        ])
        #expect(entries.map(\.category) == [nil, nil, "business", "business", "culture", nil, "science", "sport", "world",
                                            "world", "europe"])
        #expect(entries.map(\.kind) == [.text, .text, .text, .text, .text, .jsonLines, .text, .text, .text, .text, .text])
        for entry in entries {
            #expect(entry.url.path.hasPrefix("/"))
            #expect(entry.url.path.hasSuffix("/" + entry.relativePath))
            #expect(entry.root == ArticleTestSupport.fixtures.standardizedFileURL)
            let attributes = try FileManager.default.attributesOfItem(atPath: entry.url.path)
            #expect(entry.size == (attributes[.size] as? Int))
            #expect(entry.mtimeNanoseconds > 1_500_000_000 * 1_000_000_000)
        }
    }

    @Test func hiddenUnsupportedAndExtensionCase() throws {
        try ArticleTestSupport.withTemporaryDirectory { root in
            try ArticleTestSupport.write("a", to: root, "news/a.txt")
            try ArticleTestSupport.write("b", to: root, "news/B.TXT")
            try ArticleTestSupport.write("{}", to: root, "news/feed.JsonL")
            try ArticleTestSupport.write("x", to: root, "news/.draft.txt")
            try ArticleTestSupport.write("x", to: root, ".git/objects/x.txt")
            try ArticleTestSupport.write("x", to: root, ".hidden/visible.txt")
            try ArticleTestSupport.write("x", to: root, "news/photo.jpg")
            try ArticleTestSupport.write("x", to: root, "news/notes.md")
            try ArticleTestSupport.write("x", to: root, "news/txt")
            try ArticleTestSupport.write("x", to: root, "news/.txt")
            try ArticleTestSupport.write("x", to: root, "top.txt")
            let (entries, warnings) = ArticleTestSupport.scan([root])
            #expect(warnings.isEmpty)
            #expect(entries.map(\.relativePath) == ["news/B.TXT", "news/a.txt", "news/feed.JsonL", "top.txt"])
            #expect(entries.map(\.category) == ["news", "news", nil, nil])
        }
    }

    @Test func nonUTF8FileNamesAreReportedWhenTheyMatter() throws {
        try ArticleTestSupport.withTemporaryDirectory { root in
            try ArticleTestSupport.write("ok", to: root, "good.txt")
            // Latin-1 "café.txt" and "café.jpg": the first is an article we cannot name, the second is ignored.
            for suffix in [".txt", ".jpg"] {
                let name = Array(root.path.utf8) + Array("/caf".utf8) + [0xE9] + Array(suffix.utf8) + [0]
                let descriptor = name.withUnsafeBufferPointer { buffer in
                    buffer.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_CREAT | O_WRONLY, 0o644) }
                }
                #expect(descriptor >= 0)
                close(descriptor)
            }
            let (entries, warnings) = ArticleTestSupport.scan([root])
            #expect(entries.map(\.relativePath) == ["good.txt"])
            #expect(warnings.map(\.reason) == [.invalidUTF8])
            #expect(warnings.first?.path.hasSuffix("/caf\u{FFFD}.txt") == true)
        }
    }

    @Test func singleFileRootsAndMissingRoot() throws {
        try ArticleTestSupport.withTemporaryDirectory { root in
            let text = try ArticleTestSupport.write("Title\n\nBody", to: root, "world/one.txt")
            let feed = try ArticleTestSupport.write("{}", to: root, "feed.jsonl")
            let other = try ArticleTestSupport.write("x", to: root, "readme.md")
            let missing = root.appendingPathComponent("nope")
            let (entries, warnings) = ArticleTestSupport.scan([text, feed, other, missing])
            #expect(entries.map(\.relativePath) == ["one.txt", "feed.jsonl"])
            #expect(entries.map(\.category) == ["world", nil], "a single article's category is its folder's name")
            #expect(entries.first?.root == text.standardizedFileURL)
            #expect(entries.first?.size == 11)
            #expect(warnings.map(\.reason) == [.unsupported, .unreadable])
            #expect(warnings.last?.path == missing.path)
        }
    }

    @Test func sizeLimit() throws {
        try ArticleTestSupport.withTemporaryDirectory { root in
            try ArticleTestSupport.write(String(repeating: "x", count: 100), to: root, "exact.txt")
            try ArticleTestSupport.write(String(repeating: "x", count: 101), to: root, "over.txt")
            // JSON Lines files are streamed: the limit is for single articles.
            try ArticleTestSupport.write(String(repeating: "y", count: 500), to: root, "wire.jsonl")
            let (entries, warnings) = ArticleTestSupport.scan([root], maxFileBytes: 100)
            #expect(entries.map(\.relativePath) == ["exact.txt", "wire.jsonl"])
            #expect(warnings.count == 1)
            #expect(warnings.first?.reason == .tooLarge)
            #expect(warnings.first?.path.hasSuffix("/over.txt") == true)
            #expect(warnings.first?.message.contains("101") == true)
        }
    }

    @Test func symlinkLoopWarnsAndTerminates() throws {
        try ArticleTestSupport.withTemporaryDirectory { root in
            try ArticleTestSupport.write("Title", to: root, "a/b/story.txt")
            let fm = FileManager.default
            // a/b/up → a (a loop through a parent), a/self → a/. , and a two-link chain x → y → x.
            try fm.createSymbolicLink(atPath: root.appendingPathComponent("a/b/up").path, withDestinationPath: "..")
            try fm.createSymbolicLink(atPath: root.appendingPathComponent("a/self").path, withDestinationPath: ".")
            try fm.createSymbolicLink(atPath: root.appendingPathComponent("x.txt").path, withDestinationPath: "y.txt")
            try fm.createSymbolicLink(atPath: root.appendingPathComponent("y.txt").path, withDestinationPath: "x.txt")
            let (entries, warnings) = ArticleTestSupport.scan([root])
            #expect(entries.map(\.relativePath) == ["a/b/story.txt"])
            #expect(warnings.map(\.reason) == [.symlinkLoop, .symlinkLoop, .symlinkLoop, .symlinkLoop])
            #expect(Set(warnings.map { URL(fileURLWithPath: $0.path).lastPathComponent }) == ["up", "self", "x.txt", "y.txt"])
        }
    }

    @Test func symlinksFollowedOrNot() throws {
        try ArticleTestSupport.withTemporaryDirectory { base in
            let root = base.appendingPathComponent("root")
            try ArticleTestSupport.write("Elsewhere", to: base, "outside/world/far.txt")
            try ArticleTestSupport.write("Here", to: root, "local.txt")
            let fm = FileManager.default
            try fm.createSymbolicLink(atPath: root.appendingPathComponent("linked").path,
                                      withDestinationPath: base.appendingPathComponent("outside").path)
            try fm.createSymbolicLink(atPath: root.appendingPathComponent("alias.txt").path, withDestinationPath: "local.txt")
            try fm.createSymbolicLink(atPath: root.appendingPathComponent("dangling.txt").path, withDestinationPath: "gone.txt")

            let followed = ArticleTestSupport.scan([root])
            #expect(followed.entries.map(\.relativePath) == ["alias.txt", "linked/world/far.txt", "local.txt"])
            #expect(followed.entries.map(\.category) == [nil, "world", nil])
            #expect(followed.warnings.map(\.reason) == [.unreadable])
            #expect(followed.warnings.first?.path.hasSuffix("dangling.txt") == true)

            let notFollowed = ArticleTestSupport.scan([root], followSymlinks: false)
            #expect(notFollowed.entries.map(\.relativePath) == ["local.txt"])
            #expect(notFollowed.warnings.isEmpty)
        }
    }

    /// chmod 000 stops a normal user but not root (tests often run as root in containers):
    /// whichever applies, the scanner must agree with what the OS actually allows.
    @Test func unreadableDirectoryAndFile() throws {
        try ArticleTestSupport.withTemporaryDirectory { root in
            try ArticleTestSupport.write("Locked", to: root, "locked/inside.txt")
            let file = try ArticleTestSupport.write("Secret", to: root, "open/secret.txt")
            let locked = root.appendingPathComponent("locked")
            #expect(chmod(locked.path, 0) == 0)
            #expect(chmod(file.path, 0) == 0)
            defer {
                chmod(locked.path, 0o755)
                chmod(file.path, 0o644)
            }
            let canStillRead = access(locked.path, R_OK) == 0
            let (entries, warnings) = ArticleTestSupport.scan([root])
            if canStillRead {
                // Privileged: permissions do not apply, so everything is listed and nothing is warned.
                #expect(geteuid() == 0 || canStillRead)
                #expect(entries.map(\.relativePath) == ["locked/inside.txt", "open/secret.txt"])
                #expect(warnings.isEmpty)
            } else {
                #expect(entries.isEmpty)
                #expect(warnings.map(\.reason) == [.unreadable, .unreadable])
                #expect(warnings.first?.path == locked.path)
                #expect(warnings.last?.path == file.path)
            }
        }
    }

    @Test func relativeRootIsMadeAbsolute() throws {
        try ArticleTestSupport.withTemporaryDirectory { root in
            try ArticleTestSupport.write("T", to: root, "sub/x.txt")
            let relative = URL(fileURLWithPath: root.path + "/sub/../sub/.")
            let (entries, _) = ArticleTestSupport.scan([relative])
            #expect(entries.map(\.relativePath) == ["x.txt"])
            #expect(entries.first?.url.path == root.appendingPathComponent("sub/x.txt").standardizedFileURL.path)
            #expect(entries.first?.url.path.contains("..") == false)
        }
    }

    @Test func thousandsOfFilesScanQuickly() throws {
        try ArticleTestSupport.withTemporaryDirectory { root in
            let fm = FileManager.default
            for folder in 0..<10 {
                let directory = root.appendingPathComponent("cat\(folder)")
                try fm.createDirectory(at: directory, withIntermediateDirectories: true)
                for file in 0..<200 {
                    // Plain writes: FileManager.createFile writes atomically and is slow on a busy disk.
                    try Data("T".utf8).write(to: directory.appendingPathComponent("\(file).txt"))
                }
            }
            let clock = ContinuousClock()
            var count = 0
            let elapsed = clock.measure {
                CorpusScanner(roots: [root], maxFileBytes: 1000).scan({ _ in count += 1 }, warn: { _ in })
            }
            #expect(count == 2_000)
            print("scan: 2,000 files in \(elapsed)")
        }
    }
}
