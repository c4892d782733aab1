import VerbundDataspace
import VerbundStore

/// The transfer process a DSP route names (`:pid` on the provider's routes, `:cpid` on the consumer's callback
/// routes), found only when it belongs to the requesting member. Unknown and foreign processes answer the same 404,
/// so a member learns nothing about other members' transfers (docs/design.md §12 "Protocol behaviour").
struct OwnedTransfer: Sendable {
    static let provider = OwnedTransfer(role: .provider)
    static let consumer = OwnedTransfer(role: .consumer)

    let role: DSPRole

    /// The route parameter holding this side's process id.
    private var parameter: String { role == .provider ? "pid" : "cpid" }

    func record(_ dsp: DSPRequest, in tx: Transaction) throws -> TransferRecord {
        let pid = dsp.parameter(parameter) ?? ""
        guard let record = try TransferTable.find(localPid: pid, in: tx), record.role == role,
              record.peerMemberId == dsp.member.id else { throw notFound(dsp) }
        return record
    }

    func notFound(_ dsp: DSPRequest) -> DSPFailure {
        let pid = dsp.parameter(parameter) ?? ""
        let shape: DSPErrorShape = role == .provider ? .transfer(providerPid: pid, consumerPid: "")
                                                     : .transfer(providerPid: "", consumerPid: pid)
        return DSPFailure(.notFound, shape: shape, code: "404", reasons: ["no transfer process \(pid) for member \(dsp.member.id)"])
    }
}
