import Xapian

/// Checks the executables make before they touch an index.
public enum XapianSafety {
    /// Xapian's decompression fix (the shim's `inflate()`, CXapian/src/inflate_drain.c) is not the one
    /// libxapian calls in this process. See docs/xapian-decompression-bug.md.
    public struct DecompressionFixInactive: Error, Equatable, CustomStringConvertible {
        /// The executable refusing to run, as named at the start of the message.
        public var program: String
        /// The Xapian library in use.
        public var xapianVersion: String

        public init(program: String, xapianVersion: String) {
            self.program = program
            self.xapianVersion = xapianVersion
        }

        public var description: String {
            """
            \(program): Xapian's decompression fix is not active (the CXapian shim must be linked so that its \
            inflate() wrapper, CXapian/src/inflate_drain.c, is the one libxapian calls; without it, Xapian \
            \(xapianVersion) reads some sound compressed items as "Too few chunks of compressed data" \
            (DatabaseCorruptError), so this build would risk failed searches and commits and indexes reported as \
            corrupt; the bug is in every Xapian 1.4 release up to 1.4.32 and in 2.0); refusing to start
            """
        }
    }

    /// The exit status for `DecompressionFixInactive`: EX_SOFTWARE (70), an internal software error.
    public static let exitStatus: Int32 = 70

    /// Throws unless `fixActive`: whether this process reads compressed items through the fix.
    public static func requireDecompressionFix(
        program: String,
        fixActive: Bool = Database.readsCompressedItemsSafely,
        xapianVersion: String = Database.libraryVersion
    ) throws(DecompressionFixInactive) {
        guard fixActive else { throw DecompressionFixInactive(program: program, xapianVersion: xapianVersion) }
    }
}
