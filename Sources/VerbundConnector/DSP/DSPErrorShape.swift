import Foundation
import VerbundDataspace

/// Which DSP error message a route answers errors with (DSP 2025-1: catalog routes `CatalogError`, negotiation routes
/// `ContractNegotiationError`, transfer routes `TransferError`), with the process ids it must carry.
package enum DSPErrorShape: Sendable, Hashable {
    case catalog
    case negotiation(providerPid: String, consumerPid: String)
    case transfer(providerPid: String, consumerPid: String)

    /// The JSON body of the error message.
    package func body(code: String?, reasons: [String]) -> [UInt8] {
        let data: Data?
        switch self {
        case .catalog:
            data = try? DSPJSON.encode(CatalogError(code: code, reason: reasons))
        case let .negotiation(providerPid, consumerPid):
            data = try? DSPJSON.encode(ContractNegotiationError(providerPid: providerPid, consumerPid: consumerPid,
                                                                code: code, reason: reasons))
        case let .transfer(providerPid, consumerPid):
            data = try? DSPJSON.encode(TransferError(providerPid: providerPid, consumerPid: consumerPid, code: code, reason: reasons))
        }
        return data.map { Array($0) } ?? Array("{}".utf8)
    }
}
