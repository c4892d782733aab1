import Foundation
import Synchronization
import VerbundFederation
import VerbundStore
import VerbundTransport
import VerbundTrust

/// The running connector daemon: the DSP listener (mutually authenticated TLS), the management listener (loopback,
/// bearer token), the outbox dispatcher, the federation sync and the modules' background work.
///
/// `start` checks everything before anything runs (configuration, key, certificate, federation files, database) and
/// throws a `ConnectorStartError` saying what to fix; `stop` drains requests in flight and ends every thread.
package final class Connector: Sendable {
    package let context: ConnectorContext
    package let info: DaemonInfo
    /// The bound ports (useful when the configuration says port 0).
    package let dspPort: UInt16
    package let managementPort: UInt16
    /// The public listener's port, nil when `publicListen` is not configured.
    package let publicPort: UInt16?
    /// The management API's bearer token.
    package let managementToken: ManagementToken
    /// How long `start` took from its call to both listeners serving.
    package let startupDuration: Duration

    private let modules: [any ConnectorModule]
    private let dspServer: HTTPServer
    private let managementServer: HTTPServer
    private let publicServer: HTTPServer?
    private let sync: FederationSync
    private let stopGrace: Duration
    private let stopped = Mutex(false)

    /// The file name of the state database in the data directory.
    package static let databaseFileName = "verbund.sqlite"
    /// The file in the data directory that records the management port the daemon got (for `management: …:0`).
    package static let managementPortFileName = "management.port"

    private init(context: ConnectorContext, info: DaemonInfo, modules: [any ConnectorModule], dspServer: HTTPServer,
                 managementServer: HTTPServer, publicServer: HTTPServer?, sync: FederationSync, token: ManagementToken,
                 stopGrace: Duration, startupDuration: Duration) {
        self.context = context
        self.info = info
        self.modules = modules
        self.dspServer = dspServer
        self.managementServer = managementServer
        self.sync = sync
        self.managementToken = token
        self.stopGrace = stopGrace
        self.dspPort = dspServer.localPort
        self.managementPort = managementServer.localPort
        self.publicServer = publicServer
        self.publicPort = publicServer?.localPort
        self.startupDuration = startupDuration
    }

    /// Validates, loads and opens everything, then starts serving. `modules` come after the core, in order.
    package static func start(configuration: ConnectorConfiguration, modules extraModules: [any ConnectorModule] = [],
                             options given: ConnectorOptions = ConnectorOptions()) throws(ConnectorStartError) -> Connector {
        let began = ContinuousClock.now
        // connector.json's limits (validated below) override the options' listener, outbox and federation bounds.
        let options = configuration.effectiveLimits.applied(to: given)
        let logger = options.logger
        let problems = configuration.validate()
        guard problems.isEmpty else { throw .configuration(problems) }
        let now = options.clock()

        let identity = try ConnectorIdentity.load(configuration, now: now)
        let trust: FederationTrust
        do {
            let files = configuration.federation
            trust = try FederationTrust(rootFile: files.root, registryFile: files.registry, crlFile: files.crl,
                                        federationId: ParticipantID(urn: configuration.participantId)?.federation,
                                        staleCRLPolicy: configuration.crlStaleIsFatal == true ? .refuse : .warn, now: now)
        } catch {
            throw .federation(error.description)
        }

        let database: Database
        let info = DaemonInfo()
        let modules: [any ConnectorModule] = [CoreModule(info: info)] + extraModules
        do {
            try FileManager.default.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            database = try Database(path: configuration.dataDirectory + "/" + databaseFileName)
            try ConnectorSchema.migrate(database, modules: modules, now: now)
        } catch {
            throw .store("\(configuration.dataDirectory)/\(databaseFileName): \(error)")
        }

        let context: ConnectorContext
        do {
            context = try ConnectorContext(configuration: configuration, identity: identity, database: database, trust: trust,
                                           clock: options.clock, logger: logger, metrics: options.metrics,
                                           outboxSettings: options.outbox, memberWriteLimits: options.memberWrites)
        } catch {
            database.close()
            throw .identity("building the TLS contexts failed: \(error)")
        }
        context.metrics.set(ConnectorMetrics.startTime, to: now.timeIntervalSince1970.rounded(.down))
        OperatingGauges.declare(for: context)
        let sync = FederationSync(context: context, modules: modules, fetchSettings: options.federationFetch)
        sync.loadStored()
        warnAboutOwnMembership(context)

        let token: ManagementToken
        do {
            token = try ManagementToken.loadOrCreate(dataDirectory: configuration.dataDirectory)
        } catch {
            database.close()
            throw .listener(error.description)
        }

        let dspServer: HTTPServer
        let managementServer: HTTPServer
        let publicServer: HTTPServer?
        do {
            (dspServer, managementServer, publicServer) = try makeServers(context: context, modules: modules, token: token,
                                                                          options: options)
        } catch let error as ConnectorStartError {
            database.close()
            throw error
        } catch {
            database.close()
            throw .listener(String(describing: error))
        }
        for module in modules {
            for (kind, handler) in module.outboxHandlers { context.outbox.register(kind: kind, handler: handler) }
        }
        do {
            try dspServer.start()
            try managementServer.start()
            try publicServer?.start()
        } catch {
            dspServer.stop(grace: .zero)
            managementServer.stop(grace: .zero)
            publicServer?.stop(grace: .zero)
            database.close()
            throw .listener("starting the servers: \(error)")
        }
        context.outbox.start(context: context)
        sync.start()
        var startedModules: [any ConnectorModule] = []
        for module in modules {
            do {
                try module.start(context: context)
                startedModules.append(module)
            } catch {
                for started in startedModules.reversed() { started.stop() }
                sync.stop()
                context.outbox.stop()
                dspServer.stop(grace: .zero)
                managementServer.stop(grace: .zero)
                publicServer?.stop(grace: .zero)
                database.close()
                throw .module(name: module.name, reason: String(describing: error))
            }
        }
        info.set(dspPort: dspServer.localPort, managementPort: managementServer.localPort, modules: modules.map(\.name))
        // Written after binding, so a CLI reading it finds a listener there.
        try? AtomicFile.write("\(managementServer.localPort)\n", to: configuration.dataDirectory + "/" + managementPortFileName, mode: 0o600)
        let took = ContinuousClock.now - began
        let connector = Connector(context: context, info: info, modules: modules, dspServer: dspServer,
                                  managementServer: managementServer, publicServer: publicServer, sync: sync, token: token,
                                  stopGrace: options.stopGrace, startupDuration: took)
        logger.notice("connector.started", [
            "version": .string(ConnectorVersion.current), "member": .string(identity.memberId),
            "participantId": .string(identity.participantId), "endpoint": .string(configuration.endpoint),
            "dspPort": .int(Int(dspServer.localPort)), "managementPort": .int(Int(managementServer.localPort)),
            "publicPort": publicServer.map { .int(Int($0.localPort)) } ?? .null,
            "registrySerial": .uint(trust.registry.serial), "crlNumber": .uint(trust.crl.number ?? 0),
            "modules": .array(modules.map { .string($0.name) }),
            "startupMilliseconds": .double((took.seconds * 10_000).rounded() / 10),
        ])
        return connector
    }

    /// Stops serving: no new connections, requests in flight finish (within the grace), then background work ends and
    /// the database closes. Calling it again does nothing.
    package func stop() {
        let already = stopped.withLock { stopped -> Bool in
            defer { stopped = true }
            return stopped
        }
        guard !already else { return }
        let began = ContinuousClock.now
        // Both listeners drain at once, so stopping takes one grace period at most.
        let managementDone = DispatchSemaphore(value: 0)
        let managementThread = Thread { [managementServer, stopGrace] in
            managementServer.stop(grace: stopGrace)
            managementDone.signal()
        }
        managementThread.start()
        let publicDone = DispatchSemaphore(value: 0)
        let publicThread = Thread { [publicServer, stopGrace] in
            publicServer?.stop(grace: stopGrace)
            publicDone.signal()
        }
        publicThread.start()
        dspServer.stop(grace: stopGrace)
        managementDone.wait()
        publicDone.wait()
        for module in modules.reversed() { module.stop() }
        sync.stop()
        context.outbox.stop()
        context.peerClient.resetConnections()
        do {
            try context.audit.flushDeferred()
        } catch {
            context.logger.error("audit.deferred.unwritten", ["events": .int(context.audit.deferred.count), "error": .error(error)])
        }
        context.database.close()
        context.logger.notice("connector.stopped", [
            "member": .string(context.identity.memberId),
            "stopMilliseconds": .double(((ContinuousClock.now - began).seconds * 10_000).rounded() / 10),
        ])
    }

    private static func makeServers(context: ConnectorContext, modules: [any ConnectorModule], token: ManagementToken,
                                    options: ConnectorOptions) throws -> (HTTPServer, HTTPServer, HTTPServer?) {
        let configuration = context.configuration
        guard let listen = HostPort(configuration.listen), let management = HostPort(configuration.management) else {
            throw ConnectorStartError.listener("listen or management is not HOST:PORT")
        }
        let routers = ConnectorRouters(context: context, modules: modules, token: token)
        let (dspRouter, managementRouter) = (routers.dsp, routers.management)

        let dspAcceptor: TLSAcceptor<AdmittedPeer>
        do {
            dspAcceptor = try TLSAcceptor(host: listen.host, port: listen.port, contexts: context.tls.server,
                                          identityCheck: admissionCheck(context: context))
        } catch {
            throw ConnectorStartError.cannotListen(on: configuration.listen, setting: "listen", error)
        }
        let managementAcceptor: TCPAcceptor
        do {
            managementAcceptor = try TCPAcceptor(host: management.host, port: management.port)
        } catch {
            dspAcceptor.close()
            throw ConnectorStartError.cannotListen(on: configuration.management, setting: "management", error)
        }
        var dspConfiguration = options.dspServer
        // Every error on the DSP listener is a DSP error object (DSP 2025-1 HTTPS bindings), also before routing.
        if dspConfiguration.errorRenderer == nil { dspConfiguration.errorRenderer = DSPErrorRendering.render }
        let dspServer = HTTPServer(acceptor: dspAcceptor, router: dspRouter, configuration: dspConfiguration,
                                   log: ServerLogBridge.sink(listener: "dsp", logger: context.logger),
                                   logRequests: ServerLogBridge.logsRequests(context.logger))
        var managementConfiguration = options.managementServer
        // Every error on the management listener is `{"error": …}` (docs/management-api.md), also a request target
        // the server refuses before routing.
        if managementConfiguration.errorRenderer == nil { managementConfiguration.errorRenderer = ManagementJSON.render }
        let managementServer = HTTPServer(acceptor: managementAcceptor, router: managementRouter,
                                          configuration: managementConfiguration,
                                          log: ServerLogBridge.sink(listener: "management", logger: context.logger),
                                          logRequests: ServerLogBridge.logsRequests(context.logger))
        exportHandshakeCounters(of: dspServer, to: context.metrics)
        let publicServer: HTTPServer?
        do {
            publicServer = try makePublicServer(context: context, router: routers.publicRouter, options: options)
        } catch {
            dspAcceptor.close()
            managementAcceptor.close()
            throw error
        }
        return (dspServer, managementServer, publicServer)
    }

    /// The public listener (`publicListen`), or nil when none is configured: HTTPS with `publicTLS` (no client
    /// certificate asked for), else plain HTTP for the city's web server to put in front.
    private static func makePublicServer(context: ConnectorContext, router: Router, options: ConnectorOptions) throws -> HTTPServer? {
        let configuration = context.configuration
        guard let listen = configuration.publicListen else { return nil }
        guard let address = HostPort(listen) else { throw ConnectorStartError.listener("publicListen is not HOST:PORT") }
        let acceptor: any StreamAcceptor
        if let tls = configuration.publicTLS {
            let slot: TLSContextSlot
            do {
                let chain = try Certificate.all(pemFile: tls.certificate)
                let key = try PrivateKey(pemFile: tls.key)
                slot = TLSContextSlot(try TLSContext(configuration: TLSConfiguration(
                    role: .server, certificateChain: chain, privateKey: key, trustRoots: [], clientCertificate: .notRequested)))
            } catch {
                throw ConnectorStartError.identity("publicTLS (\(tls.certificate), \(tls.key)): \(error); give the PEM "
                    + "certificate chain and the private key (mode 0600) the city issued for the public listener")
            }
            do {
                acceptor = try TLSAcceptor<Never>(host: address.host, port: address.port, contexts: slot,
                                                  identityCheck: PeerIdentityCheck { _ in throw PeerRefusal("no client certificate is asked for") })
            } catch {
                throw ConnectorStartError.cannotListen(on: listen, setting: "publicListen", error)
            }
        } else {
            do {
                acceptor = try TCPAcceptor(host: address.host, port: address.port)
            } catch {
                throw ConnectorStartError.cannotListen(on: listen, setting: "publicListen", error)
            }
        }
        return HTTPServer(acceptor: acceptor, router: router, configuration: options.publicServer,
                          log: ServerLogBridge.sink(listener: "public", logger: context.logger),
                          logRequests: ServerLogBridge.logsRequests(context.logger))
    }

    /// The DSP listener's refused and evicted handshakes, read at scrape time (the server keeps the counts); a
    /// stopped server is not kept alive for them.
    private static func exportHandshakeCounters(of server: HTTPServer, to metrics: MetricsRegistry) {
        metrics.sampledCounter(ConnectorMetrics.dspHandshakesRefused,
                               help: "DSP connections closed right after accept: handshake stage full or too many from one source.") {
            [weak server] in server.map { [(labels: [:], value: Double($0.refusedConnections))] } ?? []
        }
        metrics.sampledCounter(ConnectorMetrics.dspHandshakesEvicted,
                               help: "DSP handshakes cut off to make room for newer connections.") {
            [weak server] in server.map { [(labels: [:], value: Double($0.evictedHandshakes))] } ?? []
        }
    }

    /// The DSP listener's handshake check: the certificate must admit under the federation trust held now (docs/design.md §6:
    /// an unknown, suspended or revoked member "gets no handshake past TLS"). Refusals are logged with the reason.
    static func admissionCheck(context: ConnectorContext) -> PeerIdentityCheck<AdmittedPeer> {
        PeerIdentityCheck { peer in
            switch context.trust.admit(peer.certificate, at: context.clock()) {
            case let .success(member):
                return AdmittedPeer(member: member, certificate: peer.certificate)
            case let .failure(refusal):
                context.logger.warning("dsp.handshake.refused", [
                    "reason": .string(refusal.description), "kind": .string(refusal.kind),
                    "subject": .string(peer.subject), "participant": .array(peer.uris.map { .string($0) }),
                    "fingerprint": .string(peer.sha256Fingerprint),
                ])
                context.metrics.increment(ConnectorMetrics.refusedPeers, labels: ["reason": refusal.kind])
                throw PeerRefusal(refusal.description)
            }
        }
    }

    private static func warnAboutOwnMembership(_ context: ConnectorContext) {
        let registry = context.trust.registry
        guard let own = registry.member(id: context.identity.memberId) else {
            context.logger.error("federation.self.unlisted", [
                "member": .string(context.identity.memberId), "registrySerial": .uint(registry.serial),
                "advice": "peers will refuse this connector until the admin admits it and a registry listing it arrives",
            ])
            return
        }
        if own.status != .active {
            context.logger.error("federation.self.not-active", [
                "member": .string(own.id), "status": .string(own.status.rawValue),
                "reason": own.statusReason.map { .string($0) } ?? .null,
            ])
        }
        if own.certificate(fingerprint: context.identity.certificate.fingerprintSHA256) == nil {
            context.logger.error("federation.self.certificate-unlisted", [
                "member": .string(own.id), "fingerprint": .string(context.identity.certificate.fingerprintSHA256),
                "advice": "the registry does not list this certificate; peers will refuse it",
            ])
        }
        if own.endpoint != context.configuration.endpoint {
            context.logger.warning("federation.self.endpoint-differs", [
                "registry": .string(own.endpoint), "configured": .string(context.configuration.endpoint),
            ])
        }
    }
}
