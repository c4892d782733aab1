import Foundation
import VerbundHTTP
import VerbundTransport

/// The DSP listener's `HTTPErrorRenderer`: every 4xx/5xx that is not already a DSP error — a request refused before
/// routing (an unreadable target such as an encoded `/`, bad framing, oversize), an unknown route, 405, the 503 of a
/// full server, a handler's plain-text error — carries the error object of its route family with
/// `Content-Type: application/json` (DSP 2025-1 HTTPS bindings): `ContractNegotiationError` under `/negotiations`,
/// `TransferError` under `/transfers` and the data plane, `CatalogError` elsewhere (the catalog's, and the one DSP
/// error without process ids for paths of no family). The process id in the path, if any, is ours: the provider's on
/// the provider routes, the consumer's under the callback path.
enum DSPErrorRendering {
    static let render: HTTPErrorRenderer = { status, target, reason in
        let shape = Self.shape(for: target)
        return (DSPResponse.jsonContentType, shape.body(code: String(status.code), reasons: [reason]))
    }

    static func shape(for target: String?) -> DSPErrorShape {
        guard let target else { return .catalog }
        let path = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? target
        let segments = path.split(separator: "/").map(String.init)
        let callback = segments.contains(String(NegotiationEngine.callbackPath.dropFirst()))
        func pid(after family: String) -> String {
            guard let index = segments.firstIndex(of: family), index + 1 < segments.count else { return "" }
            let candidate = segments[index + 1]
            return ["request", "offers"].contains(candidate) ? "" : (candidate.removingPercentEncoding ?? candidate)
        }
        if segments.contains("negotiations") {
            let id = pid(after: "negotiations")
            return callback ? .negotiation(providerPid: "", consumerPid: id) : .negotiation(providerPid: id, consumerPid: "")
        }
        if segments.contains("transfers") {
            let id = pid(after: "transfers")
            return callback ? .transfer(providerPid: "", consumerPid: id) : .transfer(providerPid: id, consumerPid: "")
        }
        if segments.contains("data") {
            return .transfer(providerPid: pid(after: "data"), consumerPid: "")
        }
        return .catalog
    }
}
