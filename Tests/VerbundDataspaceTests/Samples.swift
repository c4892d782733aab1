import Foundation
import Testing
@testable import VerbundDataspace

/// One realistic instance of every DSP message type, shared by the round-trip and schema tests.
enum Samples {
    static let providerPid = "urn:uuid:a343fcbf-99fc-4ce8-8e9b-148c97605aab"
    static let consumerPid = "urn:uuid:32541fe6-c580-409e-85a8-8a9a32fbe833"
    static let dataset = "urn:uuid:3dd1add8-4d2d-569e-d634-8394a8836a88"
    static let callback = "https://erfurt.example/dsp/callback"
    static let agreedAt = XSDDateTime.parse("2026-03-01T10:00:00Z")!

    static let offer = Offer(
        id: "urn:uuid:offer-1", target: dataset,
        permission: [Rule(action: "use", constraint: [
            .atomic(DSPVocabulary.regionOperand, "isAnyOf", .list([.string("16"), .string("05")])),
            .atomic("count", "lteq", .string("3")),
            .atomic("dateTime", "lt", .typed(value: "2027-01-01T00:00:00Z", type: "xsd:dateTime")),
        ])])

    static let agreement = Agreement(
        id: "urn:uuid:e8dc8655-44c2-46ef-b701-4cffdc2faa44", target: dataset,
        assigner: "urn:verbund:thueringen:jena", assignee: "urn:verbund:thueringen:erfurt", timestamp: agreedAt,
        permission: offer.permission)

    static let service = DataService(id: "urn:verbund:thueringen:jena:dsp", endpointURL: "https://jena.example/dsp")

    static let record = DatasetRecord(
        id: dataset, title: "Parkplätze Jena", description: "Belegung der Parkhäuser", keywords: ["Parken", "Verkehr"],
        themes: ["http://publications.europa.eu/resource/authority/data-theme/TRAN"],
        license: "http://dcat-ap.de/def/licenses/dl-by-de/2.0",
        publisher: .init(id: "urn:verbund:thueringen:jena", name: "Stadt Jena"),
        issued: XSDDateTime.parse("2025-01-01T00:00:00Z"), modified: XSDDateTime.parse("2026-02-01T08:30:00Z"),
        byteSize: 123_456, mediaType: "text/csv",
        checksumSHA256: "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD",
        spatial: ["http://dcat-ap.de/def/politicalGeocoding/municipalityKey/16053000"],
        temporal: .init(start: XSDDateTime.parse("2025-01-01"), end: XSDDateTime.parse("2025-12-31")),
        offers: [offer.withoutTarget])

    static let dataAddress = DataAddress(
        endpointType: "https://w3id.org/idsa/v4.1/HTTP", endpoint: "https://jena.example/data/t1",
        endpointProperties: [EndpointProperty(name: "authorization", value: "TOKEN-ABCDEFG"),
                             EndpointProperty(name: "authType", value: "bearer")])

    static var messages: [DSPMessage] {
        let catalog = (try? CatalogRendering.catalog(
            id: "urn:verbund:thueringen:jena:catalog", participantId: "urn:verbund:thueringen:jena",
            service: service, records: [record]))!
        let dataset = (try? CatalogRendering.dataset(record, service: service, inlineService: true))!
        return [
            .catalogRequest(CatalogRequestMessage(filter: [.object(["keyword": "Parken"])])),
            .datasetRequest(DatasetRequestMessage(dataset: Samples.dataset)),
            .catalog(catalog),
            .dataset(dataset),
            .catalogError(CatalogError(code: "404", reason: ["Dataset not found"])),
            .contractRequest(ContractRequestMessage(consumerPid: consumerPid, offer: offer, callbackAddress: callback)),
            .contractRequest(ContractRequestMessage(consumerPid: consumerPid, providerPid: providerPid, offer: offer)),
            .contractOffer(ContractOfferMessage(providerPid: providerPid, offer: offer, callbackAddress: callback)),
            .contractOffer(ContractOfferMessage(providerPid: providerPid, consumerPid: consumerPid, offer: offer)),
            .contractAgreement(ContractAgreementMessage(
                providerPid: providerPid, consumerPid: consumerPid, agreement: agreement, signature: "eyJhbGciOiJFUzI1NiJ9.e30.c2ln")),
            .contractAgreementVerification(ContractAgreementVerificationMessage(
                providerPid: providerPid, consumerPid: consumerPid, signature: "eyJhbGciOiJFUzI1NiJ9.e30.Y291bnRlcg")),
            .contractNegotiationEvent(ContractNegotiationEventMessage(
                providerPid: providerPid, consumerPid: consumerPid, eventType: .accepted)),
            .contractNegotiationEvent(ContractNegotiationEventMessage(
                providerPid: providerPid, consumerPid: consumerPid, eventType: .finalized)),
            .contractNegotiationTermination(ContractNegotiationTerminationMessage(
                providerPid: providerPid, consumerPid: consumerPid, code: "99", reason: ["License model does not fit."])),
            .contractNegotiation(ContractNegotiation(providerPid: providerPid, consumerPid: consumerPid, state: .agreed)),
            .contractNegotiationError(ContractNegotiationError(
                providerPid: providerPid, consumerPid: consumerPid, code: "400", reason: ["Invalid state transition"])),
            .transferRequest(TransferRequestMessage(
                consumerPid: consumerPid, agreementId: agreement.id, format: "HttpData-PULL", callbackAddress: callback)),
            .transferRequest(TransferRequestMessage(
                consumerPid: consumerPid, agreementId: agreement.id, format: "HttpData-PUSH", callbackAddress: callback,
                dataAddress: DataAddress(endpointType: "https://w3id.org/idsa/v4.1/HTTP",
                                         endpoint: "https://erfurt.example/inbox"))),
            .transferStart(TransferStartMessage(providerPid: providerPid, consumerPid: consumerPid, dataAddress: dataAddress)),
            .transferCompletion(TransferCompletionMessage(providerPid: providerPid, consumerPid: consumerPid)),
            .transferSuspension(TransferSuspensionMessage(
                providerPid: providerPid, consumerPid: consumerPid, code: "99", reason: ["Policy violation"])),
            .transferTermination(TransferTerminationMessage(providerPid: providerPid, consumerPid: consumerPid)),
            .transferProcess(TransferProcess(providerPid: providerPid, consumerPid: consumerPid, state: .suspended)),
            .transferError(TransferError(
                providerPid: providerPid, consumerPid: consumerPid, code: "400", reason: ["Invalid state transition"])),
        ]
    }

    static func json(_ data: Data) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }
}

extension DSPMessage: CustomTestStringConvertible {
    public var testDescription: String { type }
}
