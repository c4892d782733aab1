import VerbundFederation
import VerbundStore
import VerbundTransport

/// Contract negotiation (DSP 2025-1) with dual-signed contracts: the provider's and the consumer's DSP routes, the
/// management API (`/api/negotiations`, `/api/contracts`), the outbox kind `negotiation.message`, and the contracts
/// other modules read through `ContractLookup` (`contracts`).
///
/// The provider agrees or terminates automatically: it reads offers through `offers`, evaluates their policy against
/// the consumer's membership, signs the agreement and finalizes once the consumer's countersignature verifies.
package struct NegotiationModule: ConnectorModule {
    package let name = "negotiation"
    package let migrationVersions = 20...29
    package let offers: any OfferLookup
    package let datasets: any DatasetSource
    package let tap: NegotiationWireTap?
    /// The finalized contracts, for transfer and audit.
    package let contracts = NegotiationContracts()

    /// `offers`: what this connector agrees to as provider. `datasets`: where it reads a peer's offers as consumer
    /// (by default the peer's DSP dataset endpoint). `tap`: sees every DSP body (tests).
    package init(offers: any OfferLookup, datasets: any DatasetSource = PeerDatasetSource(), tap: NegotiationWireTap? = nil) {
        self.offers = offers
        self.datasets = datasets
        self.tap = tap
    }

    package var migrations: [Migration] { NegotiationSchema.migrations }

    package var outboxHandlers: [String: any OutboxAcknowledgementHandler] {
        let offers = self.offers
        let tap = self.tap
        return [NegotiationEngine.outboxKind: OutboxHandler(willSend: { delivery, tx, context in
            try NegotiationEngine(context: context, offers: offers, tap: tap).willSend(delivery, in: tx)
        }, attemptFailed: { delivery, tx, context in
            try NegotiationEngine(context: context, offers: offers, tap: tap).attemptFailed(delivery, in: tx)
        }) { delivery, outcome, tx, context in
            try NegotiationEngine(context: context, offers: offers, tap: tap).finished(delivery, outcome: outcome, in: tx)
        }]
    }

    package func registerDSPRoutes(into router: inout DSPRoutes, context: ConnectorContext) {
        NegotiationDSPRoutes(engine: engine(context)).register(into: &router)
    }

    package func registerManagementRoutes(into router: inout Router, context: ConnectorContext) {
        NegotiationMetrics.declare(in: context)
        NegotiationManagementRoutes(engine: engine(context), datasets: datasets).register(into: &router)
    }

    /// Unfinished negotiations with members the new registry revokes end here (a suspended member may come back).
    package func registryChanged(from old: MemberRegistry, to new: MemberRegistry, context: ConnectorContext) {
        let revoked = Set(new.members.filter { $0.status == .revoked }.map(\.id))
            .subtracting(old.members.filter { $0.status == .revoked }.map(\.id))
        do {
            let ended = try engine(context).endNegotiations(withRevoked: revoked)
            if ended > 0 {
                context.logger.notice("negotiation.revoked.ended", ["count": .int(ended), "members": .array(revoked.sorted().map { .string($0) })])
            }
        } catch {
            context.logger.error("negotiation.revoked.failed", ["error": .error(error)])
        }
    }

    private func engine(_ context: ConnectorContext) -> NegotiationEngine {
        NegotiationEngine(context: context, offers: offers, tap: tap)
    }
}
