import Foundation
import Testing
@testable import VerbundDataspace

@Suite("DSP message coding")
struct MessageCodingTests {
    @Test("every message type survives encode and decode", arguments: Samples.messages)
    func roundTrip(message: DSPMessage) throws {
        let data = try message.encoded()
        let decoded = try DSPMessage.decode(from: data)
        #expect(decoded == message)
        #expect(try decoded.encoded() == data, "re-encoding must give the same bytes")
    }

    @Test("every message type validates against the DSP 2025-1 schema",
          DSPValidator.needed, arguments: Samples.messages)
    func schemaValid(message: DSPMessage) throws {
        guard let result = try DSPValidator.validate(try message.encoded()) else { return }
        #expect(result.status == 0, "\(message.type): \(result.output)")
    }

    @Test("the schema check itself rejects a broken message",
          DSPValidator.needed)
    func validatorCatchesBrokenMessage() throws {
        let broken = Data(#"{"@context":"https://w3id.org/dspace/2025/1/context.jsonld","@type":"TransferProcess","providerPid":"a","consumerPid":"b","state":"RUNNING"}"#.utf8)
        guard let result = try DSPValidator.validate(broken) else { return }
        #expect(result.status == 1)
        #expect(result.output.contains("INVALID"))
    }

    @Test("@context is emitted as an array and @type as a single string", arguments: Samples.messages)
    func header(message: DSPMessage) throws {
        let object = try Samples.json(try message.encoded())
        #expect(object["@context"] as? [String] == [DSPVocabulary.context])
        #expect(object["@type"] as? String == message.type)
    }

    @Test("encoding is deterministic with sorted keys")
    func deterministic() throws {
        for message in Samples.messages {
            let first = try message.encoded()
            let second = try message.encoded()
            #expect(first == second)
            let text = String(decoding: first, as: UTF8.self)
            #expect(!text.contains("\\/"), "slashes must not be escaped")
        }
        let text = String(decoding: try Samples.messages[14].encoded(), as: UTF8.self)
        #expect(text == #"{"@context":["https://w3id.org/dspace/2025/1/context.jsonld"],"@type":"ContractNegotiation","consumerPid":"urn:uuid:32541fe6-c580-409e-85a8-8a9a32fbe833","providerPid":"urn:uuid:a343fcbf-99fc-4ce8-8e9b-148c97605aab","state":"AGREED"}"#)
    }

    @Test("the signature extension survives on agreement and verification messages")
    func signatureExtension() throws {
        let json = #"""
        {"@context":["https://w3id.org/dspace/2025/1/context.jsonld"],"@type":"ContractAgreementVerificationMessage",
         "providerPid":"urn:p","consumerPid":"urn:c","https://w3id.org/verbund/v1/signature":"a.b.c"}
        """#
        let message = try DSPJSON.decode(ContractAgreementVerificationMessage.self, from: Data(json.utf8))
        #expect(message.signature == "a.b.c")
        let object = try Samples.json(try DSPJSON.encode(message))
        #expect(object[DSPVocabulary.signatureProperty] as? String == "a.b.c")

        let agreement = try DSPJSON.decode(
            ContractAgreementMessage.self, from: try DSPMessage.contractAgreement(ContractAgreementMessage(
                providerPid: "urn:p", consumerPid: "urn:c", agreement: Samples.agreement, signature: "x.y.z")).encoded())
        #expect(agreement.signature == "x.y.z")
    }

    @Test("an agreement's signing payload is stable through decode and encode")
    func signingPayload() throws {
        let json = #"""
        {"@id":"urn:a","@type":"Agreement","target":"urn:d","assigner":"urn:p","assignee":"urn:c",
         "timestamp":"2026-03-01T10:00:00Z","permission":[{"action":"use","constraint":[
         {"leftOperand":"count","operator":"lteq","rightOperand":3},
         {"leftOperand":"dateTime","operator":"lt","rightOperand":"2027-01-01"}]}]}
        """#
        let agreement = try DSPJSON.decode(Agreement.self, from: Data(json.utf8))
        let payload = try agreement.signingPayload()
        let text = String(decoding: payload, as: UTF8.self)
        #expect(text.contains(#""rightOperand":"3""#) && text.contains(#""rightOperand":"2027-01-01T00:00:00Z""#))
        #expect(try DSPJSON.decode(Agreement.self, from: payload).signingPayload() == payload)
        var changed = agreement
        changed.assignee = "urn:someone-else"
        #expect(try changed.signingPayload() != payload)
    }

    @Test("@context may be a plain string and unknown properties are tolerated")
    func lenientDecoding() throws {
        let json = #"""
        {"@context":"https://w3id.org/dspace/2025/1/context.jsonld","@type":"ContractNegotiation","@id":"urn:uuid:1",
         "providerPid":"urn:p","consumerPid":"urn:c","state":"REQUESTED","somethingElse":{"nested":[1,2]}}
        """#
        let message = try DSPMessage.decode(from: Data(json.utf8))
        #expect(message == .contractNegotiation(ContractNegotiation(
            id: "urn:uuid:1", providerPid: "urn:p", consumerPid: "urn:c", state: .requested)))
    }

    @Test("a message of another @type is refused")
    func wrongType() throws {
        let json = #"{"@context":["https://w3id.org/dspace/2025/1/context.jsonld"],"@type":"TransferProcess","providerPid":"p","consumerPid":"c","state":"STARTED"}"#
        #expect(throws: DSPMessageError.unexpectedType(expected: "ContractNegotiation", found: "TransferProcess")) {
            try DSPJSON.decode(ContractNegotiation.self, from: Data(json.utf8))
        }
    }

    @Test("unknown or array @type, missing @context and foreign context are refused", arguments: [
        (#"{"@context":["https://w3id.org/dspace/2025/1/context.jsonld"],"@type":"ContractFoo"}"#,
         DSPMessageError.unknownType("ContractFoo")),
        (#"{"@context":["https://w3id.org/dspace/2025/1/context.jsonld"],"@type":["TransferProcess"]}"#,
         DSPMessageError.invalidValue(field: "@type", reason: "must be a single string such as \"Catalog\"")),
        (#"{"@context":["https://w3id.org/dspace/2025/1/context.jsonld"]}"#, DSPMessageError.unknownType(nil)),
        (#"{"@type":"CatalogRequestMessage"}"#, DSPMessageError.missingContext),
        (#"{"@context":"https://w3id.org/dspace/2024/1/context.json","@type":"CatalogRequestMessage"}"#,
         DSPMessageError.missingContext),
    ])
    func refused(json: String, expected: DSPMessageError) throws {
        #expect(throws: expected) { try DSPMessage.decode(from: Data(json.utf8)) }
    }

    @Test("bad values are refused with the field named")
    func badValues() throws {
        let badState = #"{"@context":["https://w3id.org/dspace/2025/1/context.jsonld"],"@type":"TransferProcess","providerPid":"p","consumerPid":"c","state":"RUNNING"}"#
        #expect(throws: DSPMessageError.invalidValue(field: "state", reason: "\"RUNNING\" is not a transfer state")) {
            try DSPMessage.decode(from: Data(badState.utf8))
        }
        let badEvent = #"{"@context":["https://w3id.org/dspace/2025/1/context.jsonld"],"@type":"ContractNegotiationEventMessage","providerPid":"p","consumerPid":"c","eventType":"DONE"}"#
        #expect(throws: DSPMessageError.self) { try DSPMessage.decode(from: Data(badEvent.utf8)) }
        let missingPid = #"{"@context":["https://w3id.org/dspace/2025/1/context.jsonld"],"@type":"TransferCompletionMessage","providerPid":"p"}"#
        #expect(throws: DecodingError.self) { try DSPMessage.decode(from: Data(missingPid.utf8)) }
        let notJSON = Data("{".utf8)
        #expect(throws: (any Error).self) { try DSPMessage.decode(from: notJSON) }
    }

    @Test("the version response has the 2025-1 entry")
    func versionResponse() throws {
        let response = VersionResponse(protocolVersions: [
            .init(path: "/dsp/2025-1", identifierType: "urn:verbund"),
        ])
        let data = try DSPJSON.encode(response)
        #expect(try DSPJSON.decode(VersionResponse.self, from: data) == response)
        #expect(response.dsp2025?.path == "/dsp/2025-1")
        #expect(VersionResponse(protocolVersions: [.init(version: "2024-1", path: "/x")]).dsp2025 == nil)
        if let result = try DSPValidator.validate(data) {
            #expect(result.status == 0, "\(result.output)")
        }
    }
}
