import Foundation
import VerbundTestSupport
import Testing
@testable import VerbundDataspace

/// Minimal DSP 2025-1 messages, one per type of the spec's Message Types sections (with the spec's full URNs), and
/// the official example files.
@Suite("DSP 2025-1 examples")
struct SpecExampleTests {
    static let c = #"["https://w3id.org/dspace/2025/1/context.jsonld"]"#
    static let p = "urn:uuid:a343fcbf-99fc-4ce8-8e9b-148c97605aab"
    static let k = "urn:uuid:32541fe6-c580-409e-85a8-8a9a32fbe833"
    static let d = "urn:uuid:3dd1add8-4d2d-569e-d634-8394a8836a88"
    static let a = "urn:uuid:e8dc8655-44c2-46ef-b701-4cffdc2faa44"

    static let minimal: [(String, String)] = [
        ("CatalogRequestMessage", #"{"@context":\#(c),"@type":"CatalogRequestMessage"}"#),
        ("DatasetRequestMessage", #"{"@context":\#(c),"@type":"DatasetRequestMessage","dataset":"\#(d)"}"#),
        ("CatalogError", #"{"@context":\#(c),"@type":"CatalogError","code":"404","reason":["Dataset not found"]}"#),
        ("ContractRequestMessage", #"{"@context":\#(c),"@type":"ContractRequestMessage","consumerPid":"\#(k)","offer":{"@id":"urn:uuid:offer-1","@type":"Offer","target":"\#(d)","permission":[{"action":"use"}]},"callbackAddress":"https://consumer.example.com/callback"}"#),
        ("ContractRequestMessage", #"{"@context":\#(c),"@type":"ContractRequestMessage","providerPid":"\#(p)","consumerPid":"\#(k)","offer":{"@id":"urn:uuid:offer-2","@type":"Offer","target":"\#(d)","permission":[{"action":"use"}]}}"#),
        ("ContractOfferMessage", #"{"@context":\#(c),"@type":"ContractOfferMessage","providerPid":"\#(p)","consumerPid":"\#(k)","offer":{"@id":"urn:uuid:offer-3","@type":"Offer","target":"\#(d)","permission":[{"action":"use"}]}}"#),
        ("ContractAgreementMessage", #"{"@context":\#(c),"@type":"ContractAgreementMessage","providerPid":"\#(p)","consumerPid":"\#(k)","agreement":{"@id":"\#(a)","@type":"Agreement","target":"\#(d)","timestamp":"2023-01-01T01:00:00Z","assigner":"urn:example:provider","assignee":"urn:example:consumer","permission":[{"action":"use"}]}}"#),
        ("ContractAgreementVerificationMessage", #"{"@context":\#(c),"@type":"ContractAgreementVerificationMessage","providerPid":"\#(p)","consumerPid":"\#(k)"}"#),
        ("ContractNegotiationEventMessage", #"{"@context":\#(c),"@type":"ContractNegotiationEventMessage","providerPid":"\#(p)","consumerPid":"\#(k)","eventType":"ACCEPTED"}"#),
        ("ContractNegotiationTerminationMessage", #"{"@context":\#(c),"@type":"ContractNegotiationTerminationMessage","providerPid":"\#(p)","consumerPid":"\#(k)","code":"99","reason":["License model does not fit."]}"#),
        ("ContractNegotiation", #"{"@context":\#(c),"@type":"ContractNegotiation","providerPid":"\#(p)","consumerPid":"\#(k)","state":"REQUESTED"}"#),
        ("ContractNegotiationError", #"{"@context":\#(c),"@type":"ContractNegotiationError","providerPid":"\#(p)","consumerPid":"\#(k)","code":"400","reason":["Invalid state transition"]}"#),
        ("TransferRequestMessage", #"{"@context":\#(c),"@type":"TransferRequestMessage","consumerPid":"\#(k)","agreementId":"\#(a)","format":"HttpData-PULL","callbackAddress":"https://consumer.example.com/callback"}"#),
        ("TransferStartMessage", #"{"@context":\#(c),"@type":"TransferStartMessage","providerPid":"\#(p)","consumerPid":"\#(k)","dataAddress":{"@type":"DataAddress","endpointType":"https://w3id.org/idsa/v4.1/HTTP","endpoint":"http://example.com","endpointProperties":[{"@type":"EndpointProperty","name":"authorization","value":"TOKEN-ABCDEFG"}]}}"#),
        ("TransferSuspensionMessage", #"{"@context":\#(c),"@type":"TransferSuspensionMessage","providerPid":"\#(p)","consumerPid":"\#(k)","code":"99","reason":["Policy violation"]}"#),
        ("TransferCompletionMessage", #"{"@context":\#(c),"@type":"TransferCompletionMessage","providerPid":"\#(p)","consumerPid":"\#(k)"}"#),
        ("TransferTerminationMessage", #"{"@context":\#(c),"@type":"TransferTerminationMessage","providerPid":"\#(p)","consumerPid":"\#(k)"}"#),
        ("TransferProcess", #"{"@context":\#(c),"@type":"TransferProcess","providerPid":"\#(p)","consumerPid":"\#(k)","state":"STARTED"}"#),
        ("TransferError", #"{"@context":\#(c),"@type":"TransferError","providerPid":"\#(p)","consumerPid":"\#(k)","code":"400","reason":["Invalid state transition"]}"#),
        ("Catalog", #"{"@context":\#(c),"@id":"urn:uuid:3afeadd8-ed2d-569e-d634-8394a8836d57","@type":"Catalog","participantId":"urn:example:DataProviderA","service":[{"@id":"urn:uuid:4aa2dcc8-4d2d-569e-d634-8394a8834d77","@type":"DataService","endpointURL":"https://provider-a.com/connector"}],"dataset":[{"@id":"\#(d)","@type":"Dataset","hasPolicy":[{"@id":"urn:uuid:offer-1","@type":"Offer","permission":[{"action":"use","constraint":[{"leftOperand":"spatial","operator":"eq","rightOperand":"http://example.org/EU"}]}]}],"distribution":[{"@type":"Distribution","format":"HttpData-PULL","accessService":"urn:uuid:4aa2dcc8-4d2d-569e-d634-8394a8834d77"}]}]}"#),
    ]

    @Test("the minimal examples decode as their type and re-encode to equal JSON", arguments: minimal)
    func minimalExample(type: String, json: String) throws {
        let message = try DSPMessage.decode(from: Data(json.utf8))
        #expect(message.type == type)
        let original = try #require(JSONSerialization.jsonObject(with: Data(json.utf8)) as? NSDictionary)
        let reencoded = try #require(JSONSerialization.jsonObject(with: try message.encoded()) as? NSDictionary)
        #expect(original == reencoded)
    }

    /// The official examples shipped beside the schemas in the shared folder (see `SharedFolder` in OutsideCheckers.swift).
    static func exampleFiles(under root: URL) -> [URL] {
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { $0 as? URL }
            .filter { $0.pathExtension == "json" && $0.deletingLastPathComponent().lastPathComponent == "example" }
            .filter { !$0.lastPathComponent.contains("did-service") }
            .sorted { $0.path < $1.path }
    }

    @Test("the official 2025-1 example files decode")
    func officialExamples() throws {
        guard let root = SharedFolder.locate("dsp-2025-1", for: "decoding the official DSP 2025-1 examples") else { return }
        let files = Self.exampleFiles(under: root)
        #expect(!files.isEmpty, "no example files under \(root.path)")
        for file in files {
            let data = try Data(contentsOf: file)
            if file.lastPathComponent == "protocol-version.json" {
                #expect(try DSPJSON.decode(VersionResponse.self, from: data).protocolVersions.count == 3)
                continue
            }
            #expect(throws: Never.self, "\(file.lastPathComponent)") { _ = try DSPMessage.decode(from: data) }
        }
    }
}
