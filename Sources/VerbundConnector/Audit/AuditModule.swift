import Foundation
import Synchronization
import VerbundFederation
import VerbundStore
import VerbundTransport
import VerbundTrust

/// The audit module (docs/design.md §17 "Audit"): signs tree heads of the connector's log, sends the newest on every DSP
/// response, checks the heads peers send for consistency, keeps the registries and CRLs held over time, and exports
/// the log and evidence bundles. Routes:
///
/// - DSP (members only): `GET <endpoint>/audit/sth`, `GET <endpoint>/audit/consistency?from=N&to=M`;
/// - management: `GET /api/audit/sth`, `GET /api/audit/log`, `GET /api/audit/peers`, `GET /api/contracts/:id/evidence`.
package struct AuditModule: ConnectorModule {
    package struct Settings: Sendable {
        /// How often the worker looks for new entries to sign (a batch is what arrived in between).
        package var signInterval: Duration

        package init(signInterval: Duration = .seconds(1)) {
            self.signInterval = signInterval
        }
    }

    package let name = "audit"
    package let migrationVersions = 40...49
    package var migrations: [Migration] { AuditSchema.migrations }

    private let settings: Settings
    private let contracts: (any ContractLookup)?
    private let runtime = AuditRuntime()

    /// `contracts` is the negotiation module's lookup; without it there are no evidence bundles.
    package init(contracts: (any ContractLookup)? = nil, settings: Settings = Settings()) {
        self.contracts = contracts
        self.settings = settings
    }

    package func registerDSPRoutes(into router: inout DSPRoutes, context: ConnectorContext) {
        AuditRoutes.registerDSP(into: &router, parts: runtime.parts(context: context, settings: settings))
    }

    package func registerManagementRoutes(into router: inout Router, context: ConnectorContext) {
        AuditRoutes.registerManagement(into: &router, parts: runtime.parts(context: context, settings: settings),
                                       contracts: contracts)
    }

    package func start(context: ConnectorContext) throws {
        let parts = runtime.parts(context: context, settings: settings)
        AuditMetrics.declare(in: context.metrics)
        try parts.history.keep(registry: context.trust.signedRegistry, at: context.clock())
        try parts.history.keep(crl: context.trust.crl, at: context.clock())
        try parts.signer.signIfChanged()
        let worker = parts.worker
        context.treeHeads.setReceiver { member, compact in worker.received(memberId: member.id, compact: compact) }
        worker.start()
    }

    package func stop() {
        guard let parts = runtime.existingParts else { return }
        parts.context.treeHeads.setReceiver(nil)
        parts.worker.stop()
    }

    package func registryChanged(from old: MemberRegistry, to new: MemberRegistry, context: ConnectorContext) {
        keep(context: context) { history in try history.keep(registry: context.trust.signedRegistry, at: context.clock()) }
    }

    package func crlChanged(to crl: CertificateRevocationList, context: ConnectorContext) {
        keep(context: context) { history in try history.keep(crl: crl, at: context.clock()) }
    }

    private func keep(context: ConnectorContext, _ body: (TrustHistory) throws -> Void) {
        do {
            try body(TrustHistory(database: context.database))
        } catch {
            context.logger.error("audit.trust-history.failed", ["error": .error(error)])
        }
    }

    /// Signs a tree head now if the log grew (tests, benchmarks); returns the newest compact JWS.
    package func signNow() throws -> String? {
        try runtime.existingParts?.signer.signIfChanged().compact
    }
}

/// The module's parts for one running connector, made on first use (routes are registered before `start`).
final class AuditRuntime: Sendable {
    struct Parts: Sendable {
        let context: ConnectorContext
        let signer: TreeHeadSigner
        let checker: PeerTreeHeadChecker
        let worker: AuditWorker
        let history: TrustHistory
    }

    private let parts = Mutex<Parts?>(nil)

    var existingParts: Parts? { parts.withLock { $0 } }

    func parts(context: ConnectorContext, settings: AuditModule.Settings) -> Parts {
        parts.withLock { parts in
            if let existing = parts, existing.context === context { return existing }
            let signer = TreeHeadSigner(context: context)
            let checker = PeerTreeHeadChecker(context: context)
            let made = Parts(context: context, signer: signer, checker: checker,
                             worker: AuditWorker(context: context, signer: signer, checker: checker,
                                                 signInterval: settings.signInterval),
                             history: TrustHistory(database: context.database))
            parts = made
            return made
        }
    }
}
