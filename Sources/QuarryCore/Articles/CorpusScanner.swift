import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Walks corpus roots and lists the article files in them (`.txt`, `.jsonl`), without reading them.
/// POSIX calls rather than FileManager: one lstat per file, exact nanosecond mtimes, and
/// symlink loops detected by (device, inode) of the directories on the current path.
public struct CorpusScanner: Sendable {
    public var roots: [URL]
    public var maxFileBytes: Int
    public var followSymlinks: Bool
    /// Deeper directories are reported instead of walked (protects the stack from hostile trees).
    public var maxDepth = 128

    public init(roots: [URL], maxFileBytes: Int, followSymlinks: Bool = true) {
        self.roots = roots
        self.maxFileBytes = maxFileBytes
        self.followSymlinks = followSymlinks
    }

    /// Calls `visit` for each article file, root by root, sorted by relative path;
    /// calls `warn` for each file or directory that had to be skipped.
    public func scan(_ visit: (CorpusEntry) -> Void, warn: (CorpusWarning) -> Void) {
        withoutActuallyEscaping(warn) { warn in
            for root in roots {
                var walk = Walk(scanner: self, root: root.standardizedFileURL, warn: warn)
                walk.run()
                walk.entries.sort { $0.relativePath < $1.relativePath }
                walk.entries.forEach(visit)
            }
        }
    }

    /// Convenience: all entries and warnings as arrays.
    public func scanAll() -> (entries: [CorpusEntry], warnings: [CorpusWarning]) {
        var entries: [CorpusEntry] = []
        var warnings: [CorpusWarning] = []
        scan({ entries.append($0) }, warn: { warnings.append($0) })
        return (entries, warnings)
    }
}

extension CorpusScanner {
    private struct DirectoryIdentity: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    /// The state of walking one root.
    private struct Walk {
        let scanner: CorpusScanner
        let root: URL
        let warn: (CorpusWarning) -> Void
        var entries: [CorpusEntry] = []
        var ancestors: Set<DirectoryIdentity> = []

        init(scanner: CorpusScanner, root: URL, warn: @escaping (CorpusWarning) -> Void) {
            self.scanner = scanner
            self.root = root
            self.warn = warn
        }

        mutating func run() {
            let rootPath = root.path
            var info = stat()
            guard stat(rootPath, &info) == 0 else {
                report(rootPath, errno == ELOOP ? .symlinkLoop : .unreadable, "cannot open root: " + Self.errorText())
                return
            }
            if Self.isDirectory(info) {
                ancestors.insert(Self.identity(info))
                walkDirectory(path: rootPath, relative: "", depth: 0)
            } else if Self.isRegularFile(info) {
                let name = root.lastPathComponent
                guard let kind = CorpusEntry.kind(forFileName: name) else {
                    report(rootPath, .unsupported, "not a .txt or .jsonl file")
                    return
                }
                guard access(rootPath, R_OK) == 0 else {
                    report(rootPath, .unreadable, "cannot read file: " + Self.errorText())
                    return
                }
                // As in a tree, an article's category is the name of the folder it is in; its id is its name.
                let folder = root.deletingLastPathComponent().lastPathComponent
                let category = kind == .text && !folder.isEmpty && folder != "/" ? folder : nil
                addFile(path: rootPath, relative: name, kind: kind, category: category, info: info)
            } else {
                report(rootPath, .unsupported, "not a regular file or directory")
            }
        }

        private mutating func walkDirectory(path: String, relative: String, depth: Int) {
            guard depth < scanner.maxDepth else {
                report(path, .unsupported, "directory nested deeper than \(scanner.maxDepth) levels")
                return
            }
            guard let directory = opendir(path) else {
                report(path, .unreadable, "cannot read directory: " + Self.errorText())
                return
            }
            var names: [(name: String, type: UInt8)] = []
            while let item = readdir(directory) {
                let type = item.pointee.d_type
                // nil: hidden (including "." and ".."), skipped before any String is made.
                let decoded: (name: String?, lossy: String)? = withUnsafePointer(to: &item.pointee.d_name) { tuple in
                    tuple.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: tuple.pointee)) {
                        guard $0.pointee != CChar(UInt8(ascii: ".")) else { return nil }
                        if let name = String(validatingCString: $0) { return (name, name) }
                        let bytes = UnsafeRawBufferPointer(start: $0, count: strlen($0))
                        return (nil, String(decoding: bytes, as: UTF8.self))
                    }
                }
                guard let decoded else { continue }
                guard let name = decoded.name else {
                    // Such a name cannot round-trip through String; report it if it could matter.
                    if type != UInt8(DT_REG) || CorpusEntry.kind(forFileName: decoded.lossy) != nil {
                        report(prefixed(path, decoded.lossy), .invalidUTF8, "file name is not valid UTF-8")
                    }
                    continue
                }
                names.append((name, type))
            }
            // The directory stays open: children are stat'ed relative to it (fstatat), which
            // spares the kernel a full path lookup per file.
            defer { closedir(directory) }
            let directoryDescriptor = dirfd(directory)
            // Sorted so that warnings and recursion happen in a reproducible order.
            names.sort { $0.name < $1.name }

            let category = relative.isEmpty ? nil : String(relative.split(separator: "/").last ?? "")
            for (name, type) in names {
                // A regular file with another extension needs no system call at all.
                let kind = CorpusEntry.kind(forFileName: name)
                if type == UInt8(DT_REG), kind == nil { continue }
                let childPath = prefixed(path, name)
                let childRelative = relative.isEmpty ? name : relative + "/" + name
                var info = stat()
                guard fstatat(directoryDescriptor, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
                    report(childPath, .unreadable, "cannot stat: " + Self.errorText())
                    continue
                }
                if Self.isSymlink(info) {
                    guard scanner.followSymlinks else { continue }
                    guard fstatat(directoryDescriptor, name, &info, 0) == 0 else {
                        if errno == ELOOP {
                            report(childPath, .symlinkLoop, "symbolic link loop")
                        } else {
                            report(childPath, .unreadable, "broken symbolic link: " + Self.errorText())
                        }
                        continue
                    }
                }
                if Self.isDirectory(info) {
                    let identity = Self.identity(info)
                    guard !ancestors.contains(identity) else {
                        report(childPath, .symlinkLoop, "symbolic link loop: leads back to a parent directory")
                        continue
                    }
                    ancestors.insert(identity)
                    walkDirectory(path: childPath, relative: childRelative, depth: depth + 1)
                    ancestors.remove(identity)
                } else if Self.isRegularFile(info), let kind {
                    guard faccessat(directoryDescriptor, name, R_OK, 0) == 0 else {
                        report(childPath, .unreadable, "cannot read file: " + Self.errorText())
                        continue
                    }
                    addFile(path: childPath, relative: childRelative, kind: kind,
                            category: kind == .text ? category : nil, info: info)
                }
            }
        }

        /// `path` must be readable (the caller checked).
        private mutating func addFile(path: String, relative: String, kind: CorpusEntry.Kind, category: String?,
                                      info: stat) {
            let size = Int(info.st_size)
            // JSON Lines files are streamed line by line, so only single articles (.txt) have a size limit.
            guard kind == .jsonLines || size <= scanner.maxFileBytes else {
                report(path, .tooLarge, "\(size) bytes, over the limit of \(scanner.maxFileBytes)")
                return
            }
            entries.append(CorpusEntry(
                url: URL(fileURLWithPath: path, isDirectory: false),
                root: root,
                relativePath: relative,
                kind: kind,
                size: size,
                mtimeNanoseconds: Self.mtimeNanoseconds(info),
                category: category
            ))
        }

        private func prefixed(_ directory: String, _ name: String) -> String {
            directory.hasSuffix("/") ? directory + name : directory + "/" + name
        }

        private func report(_ path: String, _ reason: SkipReason, _ message: String) {
            warn(CorpusWarning(path: path, reason: reason, message: message))
        }

        private static func errorText() -> String { String(cString: strerror(errno)) }

        private static func fileType(_ info: stat) -> mode_t { info.st_mode & mode_t(S_IFMT) }
        private static func isDirectory(_ info: stat) -> Bool { fileType(info) == mode_t(S_IFDIR) }
        private static func isRegularFile(_ info: stat) -> Bool { fileType(info) == mode_t(S_IFREG) }
        private static func isSymlink(_ info: stat) -> Bool { fileType(info) == mode_t(S_IFLNK) }

        private static func identity(_ info: stat) -> DirectoryIdentity {
            DirectoryIdentity(device: UInt64(truncatingIfNeeded: info.st_dev), inode: UInt64(truncatingIfNeeded: info.st_ino))
        }

        private static func mtimeNanoseconds(_ info: stat) -> Int64 {
            #if canImport(Darwin)
            let time = info.st_mtimespec
            #else
            let time = info.st_mtim
            #endif
            return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
        }
    }
}
