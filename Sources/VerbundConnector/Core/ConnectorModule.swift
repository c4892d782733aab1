import VerbundFederation
import VerbundStore
import VerbundTransport
import VerbundTrust

/// A part of the connector: its tables, its DSP and management routes, the outbox kinds it handles and its background
/// work. `Connector` takes an array of modules; the core (`CoreModule`) is one of them.
///
/// **Schema versions.** Each module owns a range of migration versions and numbers its migrations inside it, in
/// order, never reusing or editing a released one:
///
/// | module       | versions |
/// |--------------|----------|
/// | store (base) | 1        |
/// | core         | 2–9      |
/// | catalog      | 10–19    |
/// | negotiation  | 20–29    |
/// | transfer     | 30–39    |
/// | audit        | 40–49    |
///
/// Version 1 is `StoreSchema` (outbox and Merkle log). A module's migrations are applied in version order and
/// recorded one by one (`ConnectorSchema`), so gaps between ranges are fine and a module can add a version later.
///
/// **Routes.** `registerDSPRoutes` adds routes with paths *relative to the DSP endpoint's path* (`/negotiations/:pid`);
/// the connector mounts them under the endpoint (`/dsp/negotiations/:pid`) and runs each only for a peer that is
/// admitted now — re-checked against the newest registry and CRL on every request; the handler receives a `DSPRequest`
/// with that peer as a typed value. Management routes are mounted as given (use `/api/<module>/…`) behind the bearer token.
package protocol ConnectorModule: Sendable {
    /// A short lowercase name for logs and the migration record, e.g. `negotiation`.
    var name: String { get }
    /// The versions this module may use (see the table above).
    var migrationVersions: ClosedRange<Int> { get }
    /// This module's migrations, ascending, all inside `migrationVersions`.
    var migrations: [Migration] { get }
    /// Handlers of the outbox kinds this module enqueues, by kind.
    var outboxHandlers: [String: any OutboxAcknowledgementHandler] { get }

    func registerDSPRoutes(into routes: inout DSPRoutes, context: ConnectorContext)
    func registerManagementRoutes(into router: inout Router, context: ConnectorContext)
    /// Routes on the optional public listener (`publicListen`): anyone may call them, without login; register GET only
    /// and serve nothing secret (docs/operator.md, "The public transparency page").
    func registerPublicRoutes(into router: inout Router, context: ConnectorContext)
    /// Adds this module's part to the public transparency report, read in `transaction` (one read for all modules).
    func contributeTransparency(to report: inout TransparencyReport, context: ConnectorContext, in transaction: Transaction) throws

    /// Starts background work (e.g. a catalog crawler thread) once every listener serves. Must return quickly.
    func start(context: ConnectorContext) throws
    /// Stops that work; returns when it has ended.
    func stop()

    /// Called (on the federation sync's thread) after a newer registry was accepted, e.g. to terminate running
    /// transfers of members that are no longer active (docs/design.md §11 "Federation", revocation).
    func registryChanged(from old: MemberRegistry, to new: MemberRegistry, context: ConnectorContext)
    /// Called (on the federation sync's thread) after a newer CRL was accepted.
    func crlChanged(to crl: CertificateRevocationList, context: ConnectorContext)
}

extension ConnectorModule {
    package var migrations: [Migration] { [] }
    package var outboxHandlers: [String: any OutboxAcknowledgementHandler] { [:] }
    package func registerDSPRoutes(into routes: inout DSPRoutes, context: ConnectorContext) {}
    package func registerManagementRoutes(into router: inout Router, context: ConnectorContext) {}
    package func registerPublicRoutes(into router: inout Router, context: ConnectorContext) {}
    package func contributeTransparency(to report: inout TransparencyReport, context: ConnectorContext,
                                        in transaction: Transaction) throws {}
    package func start(context: ConnectorContext) throws {}
    package func stop() {}
    package func registryChanged(from old: MemberRegistry, to new: MemberRegistry, context: ConnectorContext) {}
    package func crlChanged(to crl: CertificateRevocationList, context: ConnectorContext) {}
}
