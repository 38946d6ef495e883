import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Minimal POSIX file reading for the article readers: whole small files, or chunks of big ones.
/// Reads go straight into uninitialised or reusable memory so that even debug builds stay fast.
struct ArticleFileHandle: ~Copyable {
    private let descriptor: Int32

    init?(path: String) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Current size from fstat, or nil.
    func size() -> Int? {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        return Int(info.st_size)
    }

    /// Reads up to `destination.count` bytes; returns the number read (0 at end), or nil on error.
    func read(into destination: UnsafeMutableRawBufferPointer) -> Int? {
        guard let base = destination.baseAddress, destination.count > 0 else { return 0 }
        while true {
            let result = Foundation.read(descriptor, base, destination.count)
            if result >= 0 { return result }
            if errno != EINTR { return nil }
        }
    }

    /// Fills `destination` unless the file ends first; returns the bytes read, or nil on error.
    func readFully(into destination: UnsafeMutableRawBufferPointer) -> Int? {
        var filled = 0
        while filled < destination.count {
            guard let count = read(into: UnsafeMutableRawBufferPointer(rebasing: destination[filled...])) else {
                return nil
            }
            if count == 0 { break }
            filled += count
        }
        return filled
    }

    /// Reads the whole file, refusing more than `limit` bytes (the file may have grown since it was listed).
    static func readAll(path: String, limit: Int = .max) -> Result<[UInt8], SkipReason> {
        guard let file = ArticleFileHandle(path: path), let expected = file.size() else {
            return .failure(.unreadable)
        }
        guard expected <= limit else { return .failure(.tooLarge) }
        // One byte more than expected tells us whether the file grew.
        var failed = false
        var bytes = [UInt8](unsafeUninitializedCapacity: expected + 1) { buffer, initializedCount in
            guard let count = file.readFully(into: UnsafeMutableRawBufferPointer(buffer)) else {
                failed = true
                initializedCount = 0
                return
            }
            initializedCount = count
        }
        guard !failed else { return .failure(.unreadable) }
        if bytes.count == expected + 1 {
            // Rare: the file is longer than fstat said. Continue in chunks up to the limit.
            var chunk = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                guard let count = chunk.withUnsafeMutableBytes({ file.read(into: $0) }) else {
                    return .failure(.unreadable)
                }
                if count == 0 { break }
                bytes.append(contentsOf: chunk[..<count])
                guard bytes.count <= limit else { return .failure(.tooLarge) }
            }
        }
        guard bytes.count <= limit else { return .failure(.tooLarge) }
        return .success(bytes)
    }
}
