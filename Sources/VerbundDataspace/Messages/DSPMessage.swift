import Foundation

/// Any DSP 2025-1 document that has a `@type`, read by that type. Endpoints that accept several message kinds
/// (and tests, and the auditor) decode this and switch over it.
package enum DSPMessage: Sendable, Hashable {
    case catalogRequest(CatalogRequestMessage)
    case datasetRequest(DatasetRequestMessage)
    case catalog(Catalog)
    case dataset(Dataset)
    case catalogError(CatalogError)
    case contractRequest(ContractRequestMessage)
    case contractOffer(ContractOfferMessage)
    case contractAgreement(ContractAgreementMessage)
    case contractAgreementVerification(ContractAgreementVerificationMessage)
    case contractNegotiationEvent(ContractNegotiationEventMessage)
    case contractNegotiationTermination(ContractNegotiationTerminationMessage)
    case contractNegotiation(ContractNegotiation)
    case contractNegotiationError(ContractNegotiationError)
    case transferRequest(TransferRequestMessage)
    case transferStart(TransferStartMessage)
    case transferCompletion(TransferCompletionMessage)
    case transferSuspension(TransferSuspensionMessage)
    case transferTermination(TransferTerminationMessage)
    case transferProcess(TransferProcess)
    case transferError(TransferError)

    /// Every `@type` this enum reads.
    package static let types: [String] = [
        CatalogRequestMessage.type, DatasetRequestMessage.type, Catalog.type, Dataset.type, CatalogError.type,
        ContractRequestMessage.type, ContractOfferMessage.type, ContractAgreementMessage.type,
        ContractAgreementVerificationMessage.type, ContractNegotiationEventMessage.type,
        ContractNegotiationTerminationMessage.type, ContractNegotiation.type, ContractNegotiationError.type,
        TransferRequestMessage.type, TransferStartMessage.type, TransferCompletionMessage.type,
        TransferSuspensionMessage.type, TransferTerminationMessage.type, TransferProcess.type, TransferError.type,
    ]

    /// Reads a message from JSON bytes, choosing the type by `@type`.
    package static func decode(from data: Data) throws -> DSPMessage {
        try DSPJSON.decode(DSPMessage.self, from: data)
    }

    /// The message as deterministic JSON bytes.
    package func encoded() throws -> Data {
        try DSPJSON.encode(self)
    }

    /// The message's `@type`.
    package var type: String {
        switch self {
        case .catalogRequest: return CatalogRequestMessage.type
        case .datasetRequest: return DatasetRequestMessage.type
        case .catalog: return Catalog.type
        case .dataset: return Dataset.type
        case .catalogError: return CatalogError.type
        case .contractRequest: return ContractRequestMessage.type
        case .contractOffer: return ContractOfferMessage.type
        case .contractAgreement: return ContractAgreementMessage.type
        case .contractAgreementVerification: return ContractAgreementVerificationMessage.type
        case .contractNegotiationEvent: return ContractNegotiationEventMessage.type
        case .contractNegotiationTermination: return ContractNegotiationTerminationMessage.type
        case .contractNegotiation: return ContractNegotiation.type
        case .contractNegotiationError: return ContractNegotiationError.type
        case .transferRequest: return TransferRequestMessage.type
        case .transferStart: return TransferStartMessage.type
        case .transferCompletion: return TransferCompletionMessage.type
        case .transferSuspension: return TransferSuspensionMessage.type
        case .transferTermination: return TransferTerminationMessage.type
        case .transferProcess: return TransferProcess.type
        case .transferError: return TransferError.type
        }
    }

    var payload: any Encodable {
        switch self {
        case .catalogRequest(let m): return m
        case .datasetRequest(let m): return m
        case .catalog(let m): return m
        case .dataset(let m): return m
        case .catalogError(let m): return m
        case .contractRequest(let m): return m
        case .contractOffer(let m): return m
        case .contractAgreement(let m): return m
        case .contractAgreementVerification(let m): return m
        case .contractNegotiationEvent(let m): return m
        case .contractNegotiationTermination(let m): return m
        case .contractNegotiation(let m): return m
        case .contractNegotiationError(let m): return m
        case .transferRequest(let m): return m
        case .transferStart(let m): return m
        case .transferCompletion(let m): return m
        case .transferSuspension(let m): return m
        case .transferTermination(let m): return m
        case .transferProcess(let m): return m
        case .transferError(let m): return m
        }
    }
}

extension DSPMessage: Codable {
    package init(from decoder: any Decoder) throws {
        let keyed = try decoder.container(keyedBy: JSONKey.self)
        let type = try? keyed.decode(String.self, forKey: "@type")
        if type == nil, keyed.contains("@type") {
            // DSP 2025-1 and the TCK compare `@type` as one compact string, never an array.
            throw DSPMessageError.invalidValue(field: "@type", reason: "must be a single string such as \"Catalog\"")
        }
        switch type {
        case CatalogRequestMessage.type: self = .catalogRequest(try CatalogRequestMessage(from: decoder))
        case DatasetRequestMessage.type: self = .datasetRequest(try DatasetRequestMessage(from: decoder))
        case Catalog.type: self = .catalog(try Catalog(from: decoder))
        case Dataset.type: self = .dataset(try Dataset(from: decoder))
        case CatalogError.type: self = .catalogError(try CatalogError(from: decoder))
        case ContractRequestMessage.type: self = .contractRequest(try ContractRequestMessage(from: decoder))
        case ContractOfferMessage.type: self = .contractOffer(try ContractOfferMessage(from: decoder))
        case ContractAgreementMessage.type: self = .contractAgreement(try ContractAgreementMessage(from: decoder))
        case ContractAgreementVerificationMessage.type:
            self = .contractAgreementVerification(try ContractAgreementVerificationMessage(from: decoder))
        case ContractNegotiationEventMessage.type:
            self = .contractNegotiationEvent(try ContractNegotiationEventMessage(from: decoder))
        case ContractNegotiationTerminationMessage.type:
            self = .contractNegotiationTermination(try ContractNegotiationTerminationMessage(from: decoder))
        case ContractNegotiation.type: self = .contractNegotiation(try ContractNegotiation(from: decoder))
        case ContractNegotiationError.type: self = .contractNegotiationError(try ContractNegotiationError(from: decoder))
        case TransferRequestMessage.type: self = .transferRequest(try TransferRequestMessage(from: decoder))
        case TransferStartMessage.type: self = .transferStart(try TransferStartMessage(from: decoder))
        case TransferCompletionMessage.type: self = .transferCompletion(try TransferCompletionMessage(from: decoder))
        case TransferSuspensionMessage.type: self = .transferSuspension(try TransferSuspensionMessage(from: decoder))
        case TransferTerminationMessage.type:
            self = .transferTermination(try TransferTerminationMessage(from: decoder))
        case TransferProcess.type: self = .transferProcess(try TransferProcess(from: decoder))
        case TransferError.type: self = .transferError(try TransferError(from: decoder))
        default: throw DSPMessageError.unknownType(type)
        }
    }

    package func encode(to encoder: any Encoder) throws {
        try payload.encode(to: encoder)
    }
}
