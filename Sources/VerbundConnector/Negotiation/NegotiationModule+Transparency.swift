import VerbundStore

extension NegotiationModule {
    /// The most contracts the transparency report reads (it aggregates them per dataset and partner).
    static let transparencyContractLimit = 100_000

    /// The contracts this city agreed to as provider: partner, dataset, the purpose in the signed agreement, when.
    package func contributeTransparency(to report: inout TransparencyReport, context: ConnectorContext,
                                        in transaction: Transaction) throws {
        for record in try NegotiationTable.all(finalizedOnly: true, limit: Self.transparencyContractLimit, in: transaction) {
            guard record.role == .provider, let contract = NegotiationContracts.contract(record) else { continue }
            report.addContract(dataset: contract.agreement.target, partner: contract.peerMemberId, purpose: contract.purpose,
                               finalizedAt: contract.finalizedAt)
        }
    }
}
