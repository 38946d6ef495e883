import Foundation
import QuarryAPI
import Testing

@Suite struct ErrorEnvelopeTests {
    @Test func theErrorEnvelopeRoundTrips() throws {
        let error = APIError.badParameter("limit", "must be an integer between 0 and 1000")
        let data = try JSONEncoder().encode(ErrorEnvelope(error))
        #expect(String(decoding: data, as: UTF8.self).hasPrefix(#"{"error":{"#))
        #expect(try JSONDecoder().decode(ErrorEnvelope.self, from: data).apiError(status: 400) == error)
    }
}
