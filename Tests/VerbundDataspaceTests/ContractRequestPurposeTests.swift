import Foundation
import Testing
@testable import VerbundDataspace

/// The consumer's stated purpose travels in the contract request as Verbund's extension property.
@Suite struct ContractRequestPurposeTests {
    @Test func purposeRoundTripsUnderItsFullIRI() throws {
        let request = ContractRequestMessage(consumerPid: "urn:uuid:c", offer: Offer(id: "urn:uuid:o", target: "urn:dataset:x",
                                                                                      permission: [Rule(action: "use")]),
                                             callbackAddress: "https://c.example/dsp/callback", purpose: "Verkehrsplanung")
        let bytes = try DSPMessage.contractRequest(request).encoded()
        let object = try #require(try JSONSerialization.jsonObject(with: bytes) as? [String: Any])
        #expect(object["https://w3id.org/verbund/v1/purpose"] as? String == "Verkehrsplanung")
        #expect(object["purpose"] == nil)
        #expect(try DSPMessage.decode(from: bytes) == .contractRequest(request))

        // Without a purpose the property is absent; a plain peer's request decodes with none.
        var plain = request
        plain.purpose = nil
        let plainBytes = try DSPMessage.contractRequest(plain).encoded()
        #expect(!String(decoding: plainBytes, as: UTF8.self).contains("verbund/v1/purpose"))
        guard case let .contractRequest(decoded) = try DSPMessage.decode(from: plainBytes) else {
            Issue.record("not a contract request")
            return
        }
        #expect(decoded.purpose == nil)
        // A purpose that is not a string is refused, not ignored.
        let bad = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\"Verkehrsplanung\"", with: "42")
        #expect(throws: (any Error).self) { try DSPMessage.decode(from: Data(bad.utf8)) }
    }
}
