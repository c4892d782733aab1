import VerbundDataspace
import VerbundStore

/// `ContractLookup` over the negotiation table: finalized negotiations with their agreement are the contracts.
package struct NegotiationContracts: ContractLookup {
    package init() {}

    package func contract(agreementId: String, in transaction: Transaction) throws -> ContractRecord? {
        guard let record = try NegotiationTable.find(agreementId: agreementId, in: transaction) else { return nil }
        return Self.contract(record)
    }

    package func contracts(in transaction: Transaction) throws -> [ContractRecord] {
        try NegotiationTable.all(finalizedOnly: true, limit: Int(Int32.max), in: transaction).compactMap(Self.contract)
            .sorted { $0.finalizedAt > $1.finalizedAt }
    }

    static func contract(_ record: NegotiationRecord) -> ContractRecord? {
        guard record.state == .finalized, let agreement = record.agreement, let finalizedAt = record.finalizedAt,
              let providerPid = record.providerPid, let consumerPid = record.consumerPid else { return nil }
        return ContractRecord(agreement: agreement, role: record.role, peerMemberId: record.peerMemberId,
                              providerPid: providerPid, consumerPid: consumerPid, finalizedAt: finalizedAt,
                              contractJWS: record.contractJWS, purpose: agreement.purpose)
    }
}
