import QuarryCore
import Testing
import Xapian

/// quarryd and quarry-index refuse to run unless the shim's fix for Xapian's decompression bug is active.
@Suite struct XapianSafetyTests {
    @Test func anActiveFixLetsTheProgramRun() throws {
        try XapianSafety.requireDecompressionFix(program: "quarryd", fixActive: true, xapianVersion: "1.4.22")
    }

    @Test func anInactiveFixStopsTheProgramWithAnExplanation() {
        let error = #expect(throws: XapianSafety.DecompressionFixInactive.self) {
            try XapianSafety.requireDecompressionFix(program: "quarry-index", fixActive: false, xapianVersion: "1.4.22")
        }
        #expect(error == XapianSafety.DecompressionFixInactive(program: "quarry-index", xapianVersion: "1.4.22"))
        let message = error?.description ?? ""
        #expect(message.hasPrefix("quarry-index: Xapian's decompression fix is not active ("))
        #expect(message.hasSuffix("); refusing to start"))
        for part in ["inflate()", "CXapian/src/inflate_drain.c", "Xapian 1.4.22", "Too few chunks of compressed data",
                     "up to 1.4.32 and in 2.0"] {
            #expect(message.contains(part), "\(part)")
        }
        #expect(!message.contains("\n"), "one line on stderr")
        #expect(XapianSafety.exitStatus == 70)
    }

    @Test func theFixIsActiveInThisBuild() throws {
        #expect(Database.readsCompressedItemsSafely)
        try XapianSafety.requireDecompressionFix(program: "quarryd")
    }
}
