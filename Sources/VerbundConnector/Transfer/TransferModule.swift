import Foundation
import VerbundDataspace
import VerbundFederation
import VerbundStore
import VerbundTransport
import VerbundTrust

/// The transfer process (DSP 2025-1 TP, both roles) and its data plane (`HttpData-PULL` on the DSP listener).
///
/// Contracts come only through `ContractLookup`; dataset files through `DatasetFileSource`.
package struct TransferModule: ConnectorModule {
    package let name = "transfer"
    package let migrationVersions = 30...39
    package var migrations: [Migration] { TransferSchema.migrations }

    private let contracts: any ContractLookup
    private let files: any DatasetFileSource
    /// API datasets (issue 11): whose transfers the data plane forwards to an upstream.
    private let upstreams: any DatasetUpstreamSource
    private let forwarder = UpstreamForwarder()
    let gate: DataPlaneGate
    private let pusher: TransferPusher

    /// Bytes beyond one copy of a dataset one transfer may send by default (connector.json's
    /// `limits.transferResumeAllowanceBytes` overrides it).
    package static let defaultResumeAllowance = 32 << 20

    /// - Parameters:
    ///   - dataRecheck: how often a running data response re-evaluates the policy.
    ///   - maxBytesPerSecond: bandwidth cap of one data response (nil: none).
    ///   - resumeAllowance: bytes one transfer may send beyond one copy of the dataset, so interrupted downloads
    ///     resume (never as much as a second copy; docs/policies.md).
    package init(contracts: any ContractLookup, files: any DatasetFileSource, dataRecheck: Duration = .seconds(1),
                maxBytesPerSecond: Int? = nil, resumeAllowance: Int = TransferModule.defaultResumeAllowance,
                upstreams: any DatasetUpstreamSource = CatalogDatasetUpstreams()) {
        self.contracts = contracts
        self.files = files
        self.upstreams = upstreams
        self.gate = DataPlaneGate(recheckInterval: dataRecheck, maxBytesPerSecond: maxBytesPerSecond,
                                  resumeAllowance: resumeAllowance)
        self.pusher = TransferPusher(policy: TransferPolicy(contracts: contracts), files: files, gate: gate)
    }

    /// Records API requests a stop left without their outcome entry, then starts the push deliveries (provider side
    /// of `HttpData-PUSH`).
    package func start(context: ConnectorContext) throws {
        let recovered = try APIRequestRecovery.run(context: context)
        if recovered > 0 {
            context.logger.warning("transfer.api.outcomes-recovered", ["requests": .int(recovered)])
        }
        pusher.start(context: context)
    }

    package func stop() {
        pusher.stop()
    }

    package var outboxHandlers: [String: any OutboxAcknowledgementHandler] {
        let handlers = ProcessorHolder(gate: gate)
        return handlers.outbox
    }

    package func registerDSPRoutes(into router: inout DSPRoutes, context: ConnectorContext) {
        let processor = TransferProcessor(context: context, gate: gate)
        let policy = TransferPolicy(contracts: contracts)
        TransferProviderRoutes(context: context, processor: processor, policy: policy, files: files, upstreams: upstreams)
            .register(into: &router)
        TransferConsumerRoutes(context: context, processor: processor).register(into: &router)
        let api = APIDataPlaneRoute(context: context, processor: processor, policy: policy, upstreams: upstreams, gate: gate,
                                    forwarder: forwarder)
        DataPlaneRoute(context: context, processor: processor, policy: policy, files: files, gate: gate, api: api)
            .register(into: &router)
        TransferPushRoute(context: context, processor: processor).register(into: &router)
    }

    package func registerManagementRoutes(into router: inout Router, context: ConnectorContext) {
        TransferMetrics.declare(in: context)
        let processor = TransferProcessor(context: context, gate: gate)
        TransferManagementRoutes(context: context, processor: processor, contracts: contracts,
                                 download: TransferDownload(context: context, processor: processor)).register(into: &router)
        ConsumerAPIProxy(context: context).register(into: &router)
    }

    /// docs/design.md §11: "running transfers to it are terminated". A revoked or suspended peer's transfers, or
    /// all of them when this connector itself was revoked, end now with the reason (which also aborts their running
    /// data responses, `DataPlaneGate.cut`); the message to the peer is best effort.
    package func registryChanged(from old: MemberRegistry, to new: MemberRegistry, context: ConnectorContext) {
        let processor = TransferProcessor(context: context, gate: gate)
        let selfRevoked = new.member(id: context.identity.memberId)?.status == .revoked
        do {
            try context.database.transaction { tx in
                for var record in try TransferTable.running(in: tx) {
                    let peer = new.member(id: record.peerMemberId)
                    let reason: String
                    if selfRevoked {
                        reason = "member \(context.identity.memberId) (this connector) was revoked from the federation"
                    } else if peer == nil || peer?.status == .revoked {
                        let why = peer?.statusReason.map { ": \($0)" } ?? ""
                        reason = "member \(record.peerMemberId) was revoked from the federation\(why)"
                    } else if let peer, peer.status != .active {
                        let why = peer.statusReason.map { ": \($0)" } ?? ""
                        reason = "member \(record.peerMemberId) is \(peer.status.rawValue) in the federation\(why)"
                    } else {
                        continue
                    }
                    try processor.terminate(&record, code: "MemberRevoked", reason: reason, in: tx)
                }
            }
        } catch {
            context.logger.error("transfer.revocation.failed", ["error": .error(error)])
        }
    }
}

extension TransferModule {
    /// A new CRL may revoke the very certificate a running data response was admitted with, without a registry
    /// update: those transfers end now (which aborts their connections), like a revoked member's.
    package func crlChanged(to crl: CertificateRevocationList, context: ConnectorContext) {
        let refused = gate.refusedPeers()
        guard !refused.isEmpty else { return }
        let processor = TransferProcessor(context: context, gate: gate)
        do {
            try context.database.transaction { tx in
                for (pid, reason) in refused {
                    guard var record = try TransferTable.find(localPid: pid, in: tx) else { continue }
                    try processor.terminate(&record, code: "MemberRevoked", reason: reason, in: tx)
                }
            }
        } catch {
            context.logger.error("transfer.revocation.failed", ["error": .error(error)])
        }
    }
}

/// The outbox handlers need a processor, whose context the handler receives at delivery time.
private struct ProcessorHolder {
    let gate: DataPlaneGate

    var outbox: [String: any OutboxAcknowledgementHandler] {
        var handlers: [String: any OutboxAcknowledgementHandler] = [:]
        for kind in TransferMessage.Kind.allCases {
            let name = TransferOutbox.kind(kind)
            handlers[name] = OutboxHandler(willSend: { [gate] delivery, tx, context in
                try TransferOutbox(processor: TransferProcessor(context: context, gate: gate)).willSend(delivery, in: tx)
            }) { [gate] delivery, outcome, tx, context in
                let outbox = TransferOutbox(processor: TransferProcessor(context: context, gate: gate))
                try outbox.handle(delivery, outcome: outcome, in: tx, context: context)
            }
        }
        return handlers
    }
}
