import Dispatch
import Foundation
import Synchronization
import VerbundFederation
import VerbundJSON
import VerbundHTTP
import VerbundTransport
import VerbundTrust

/// Keeps the connector's registry and CRL current (docs/design.md §11: newer registries spread from a file, from a
/// configured URL, and from peers). Runs on its own thread:
///
/// - polls the configured registry and CRL files (inode/size/mtime) every `federationPollSeconds`, and starts a poll
///   of `registryURL` on a thread of its own (one at a time, total deadline, size cap);
/// - has `<endpoint>/federation/registry` or `/federation/crl` fetched from a peer that announced a higher serial or
///   CRL number (`PeerFetches`: on threads of their own, rate-limited per peer, each under a total deadline and a size
///   cap), and offers what arrived here, so a peer that trickles its answer never delays the files or the URL;
/// - warns loudly while the CRL is stale.
///
/// Everything offered goes through `FederationTrust.offer` (valid signature, strictly higher serial); the outcome is
/// logged, counted and written to the audit log. Accepted material is also kept in `<data>/federation/`, so a restart
/// never falls back to an older registry. After a new CRL (or the CRL turning stale) the TLS contexts are rebuilt;
/// after a new registry pooled peer connections are dropped and modules are told.
final class FederationSync: Sendable {
    private struct State {
        var registryStamp: FileStamp?
        var crlStamp: FileStamp?
        /// What peer fetches and the URL poll brought, waiting to be offered on the sync thread.
        var fetched: [(source: TrustSource, material: FederationFetchSchedule.Material, body: [UInt8])] = []
        /// Whether a poll of `registryURL` is running (on a thread of its own; one at a time).
        var urlInFlight = false
        var lastPoll: ContinuousClock.Instant?
        var lastStaleWarning: ContinuousClock.Instant?
        var crlWasStale = false
    }

    let context: ConnectorContext
    private let modules: [any ConnectorModule]
    private let state = Mutex(State())
    private let thread = WorkerThread(name: "verbund.federation-sync")
    private let urlIsHTTPS: Bool
    private let fetches = Mutex<PeerFetches?>(nil)
    /// Where accepted registries and CRLs are kept between runs.
    let storedRegistry: String
    let storedCRL: String
    private let fetchBounds: PeerMaterialFetch.Bounds

    init(context: ConnectorContext, modules: [any ConnectorModule], fetchSettings: FederationFetchSettings = .init()) {
        self.context = context
        self.modules = modules
        let folder = context.configuration.dataDirectory + "/federation"
        storedRegistry = folder + "/registry.jws"
        storedCRL = folder + "/crl.pem"
        fetchBounds = fetchSettings.bounds
        urlIsHTTPS = context.configuration.federation.registryURL.flatMap { URLComponents(string: $0)?.scheme?.lowercased() } == "https"
        let fetches = PeerFetches(context: context, settings: fetchSettings) { [weak self] fetch, outcome in
            guard let self, case let .success(body) = outcome else { return }
            state.withLock { $0.fetched.append((.peer(fetch.member), fetch.material, body)) }
            thread.wake()
        }
        self.fetches.withLock { $0 = fetches }
    }

    // MARK: Lifecycle

    /// Takes in what earlier runs kept (when newer than the configured files) and notes the files' current versions.
    func loadStored() {
        try? FileManager.default.createDirectory(atPath: context.configuration.dataDirectory + "/federation",
                                                 withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if FileManager.default.fileExists(atPath: storedCRL) { offerCRL(file: storedCRL, source: .stored(storedCRL)) }
        if let data = FileManager.default.contents(atPath: storedRegistry) {
            offerRegistry(String(decoding: data, as: UTF8.self), source: .stored(storedRegistry))
        }
        let files = context.configuration.federation
        state.withLock { state in
            state.registryStamp = FileStamp(path: files.registry)
            state.crlStamp = FileStamp(path: files.crl)
            state.crlWasStale = context.trust.crlFreshness(at: context.clock()).isStale
        }
        checkCRLFreshness(force: true)
    }

    func start() {
        context.announcements.setReceiver { [weak self] member, announcement in self?.report(member, announcement) }
        thread.start { [self] in run() }
    }

    func stop() {
        context.announcements.setReceiver(nil)
        thread.stop()
        fetches.withLock { fetches in
            fetches?.stop()
            fetches = nil
        }
    }

    /// A peer announced numbers in a header: `PeerFetches` decides whether and when to fetch (returns at once).
    func report(_ member: Member, _ announcement: FederationHeaders.Announcement) {
        fetches.withLock { $0 }?.report(member, announcement)
    }

    private var isStopping: Bool { thread.isStopping }

    private func run() {
        let interval = Duration.milliseconds(Int64(context.configuration.federationPollInterval * 1000))
        while !isStopping {
            offerFetched()
            fetches.withLock { $0 }?.tick()
            let pollDue = state.withLock { state -> Bool in
                guard let last = state.lastPoll else { return true }
                return ContinuousClock.now - last >= interval
            }
            if pollDue {
                state.withLock { $0.lastPoll = ContinuousClock.now }
                poll()
            }
            if isStopping { return }
            thread.pause(interval)
        }
    }

    // MARK: Sources

    /// One round over the files, the URL and the CRL's freshness.
    func poll() {
        let files = context.configuration.federation
        let (registryChanged, crlChanged) = state.withLock { state -> (Bool, Bool) in
            let registry = FileStamp(path: files.registry)
            let crl = FileStamp(path: files.crl)
            defer {
                state.registryStamp = registry
                state.crlStamp = crl
            }
            return (registry != nil && registry != state.registryStamp, crl != nil && crl != state.crlStamp)
        }
        // CRL first: a registry that revokes a member usually comes with a CRL listing its certificate.
        if crlChanged { offerCRL(file: files.crl, source: .file(files.crl)) }
        if registryChanged, let data = FileManager.default.contents(atPath: files.registry) {
            offerRegistry(String(decoding: data, as: UTF8.self), source: .file(files.registry))
        }
        if let url = files.registryURL { startURLPoll(url) }
        checkCRLFreshness(force: false)
    }

    /// Polls the URL on a thread of its own, unless the last poll is still running: whoever serves the URL (it may
    /// be a member's endpoint) cannot hold up the files. What it brings is offered on the sync thread.
    private func startURLPoll(_ url: String) {
        let start = state.withLock { state -> Bool in
            defer { state.urlInFlight = true }
            return !state.urlInFlight
        }
        guard start else { return }
        let thread = Thread { [self] in
            let body = fetchURL(url)
            state.withLock { state in
                if let body { state.fetched.append((.url(url), .registry, body)) }
                state.urlInFlight = false
            }
            if body != nil { self.thread.wake() }
        }
        thread.name = "verbund.federation-url"
        thread.start()
    }

    /// GET of the admin's URL under the same total deadline and size cap as a peer fetch; nil (logged) on failure.
    private func fetchURL(_ url: String) -> [UInt8]? {
        guard let components = URLComponents(string: url), let host = components.encodedHost else { return nil }
        let port = components.port ?? (urlIsHTTPS ? 443 : 80)
        var target = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        if let query = components.percentEncodedQuery { target += "?" + query }
        let bounds = fetchBounds
        // The federation's own TLS: the server must present a certificate of the federation CA.
        let connect = urlIsHTTPS
            ? TLSConnector(contexts: context.tls.client, identityCheck: PeerIdentityCheck<PeerCertificate>.verifiedChain,
                           connectTimeout: min(.seconds(5), bounds.deadline), handshakeTimeout: min(.seconds(10), bounds.deadline)).httpConnect
            : HTTPClient.tcp
        let client = HTTPClient(
            configuration: HTTPClientConfiguration(connectTimeout: min(.seconds(5), bounds.deadline), maxIdleConnectionsPerPeer: 0),
            connect: connect)
        defer { client.closeIdleConnections() }
        do {
            let response = try client.send(HTTPClientRequest(method: .get, host: host, port: UInt16(clamping: port), target: target),
                                           maxBodyBytes: bounds.maxRegistryBytes, deadline: bounds.deadline)
            guard response.status.code == 200 else {
                context.logger.warning("federation.registry-url.failed", ["url": .string(url), "status": .int(response.status.code)])
                return nil
            }
            return response.body
        } catch {
            context.logger.warning("federation.registry-url.failed", ["url": .string(url), "error": .error(error)])
            return nil
        }
    }

    /// Offers what peer fetches and the URL poll brought (on this thread, so offers never race each other).
    private func offerFetched() {
        while let next = state.withLock({ state in state.fetched.isEmpty ? nil : state.fetched.removeFirst() }) {
            switch next.material {
            case .registry:
                offerRegistry(String(decoding: next.body, as: UTF8.self), source: next.source)
            case .crl:
                do {
                    offerCRL(try CertificateRevocationList(der: next.body), source: next.source)
                } catch {
                    context.logger.warning("federation.crl.fetch-failed", ["from": .string(next.source.detail), "error": .error(error)])
                }
            }
        }
    }

    // MARK: Offers

    /// Offers a registry and acts on the outcome. Returns whether it was accepted.
    @discardableResult
    func offerRegistry(_ compact: String, source: TrustSource) -> Bool {
        let trust = context.trust
        let before = trust.registry
        let held = trust.signedRegistry.compact
        let text = compact.trimmingCharacters(in: .whitespacesAndNewlines)
        switch trust.offer(registry: text, now: context.clock()) {
        case let .accepted(from, to, warning):
            var fields: [String: LogValue] = ["source": .string(source.kind), "from": .string(source.detail),
                                              "previousSerial": .uint(from), "serial": .uint(to)]
            if let warning { fields["warning"] = .string(warning) }
            context.logger.notice("federation.registry.accepted", fields)
            context.metrics.increment(ConnectorMetrics.trustUpdates, labels: ["what": "registry", "source": source.kind, "result": "accepted"])
            audit("federation.registry.accepted", source: source, extra: [
                "previousSerial": .integer(Int64(clamping: from)), "serial": .integer(Int64(clamping: to)),
                "sha256": .string(SHA256.hexHash(Array(text.utf8))),
            ])
            keep(text + "\n", at: storedRegistry)
            context.peerClient.resetConnections()
            logStatusChanges(from: before, to: trust.registry)
            for module in modules { module.registryChanged(from: before, to: trust.registry, context: context) }
            return true
        case let .refused(reason):
            // The file or stored copy we already hold is not news; anything else refused is (rollback, bad signature).
            let alreadyHeld = text == held
            context.metrics.increment(ConnectorMetrics.trustUpdates, labels: ["what": "registry", "source": source.kind, "result": "refused"])
            if alreadyHeld { return false }
            if case .stored = source {
                context.logger.info("federation.registry.stored-not-newer", ["path": .string(source.detail), "reason": .string(reason)])
                return false
            }
            if case let .peer(member) = source, !context.memberWrites.allow(member, .refusedTrustUpdate) { return false }
            context.logger.error("federation.registry.refused", [
                "source": .string(source.kind), "from": .string(source.detail), "reason": .string(reason),
                "heldSerial": .uint(before.serial),
            ])
            audit("federation.registry.refused", source: source, extra: ["reason": .string(reason)])
            return false
        }
    }

    func offerCRL(file path: String, source: TrustSource) {
        do {
            offerCRL(try CertificateRevocationList(pemFile: path), source: source)
        } catch {
            context.logger.error("federation.crl.unreadable", ["path": .string(path), "error": .error(error)])
        }
    }

    @discardableResult
    func offerCRL(_ crl: CertificateRevocationList, source: TrustSource) -> Bool {
        let trust = context.trust
        if crl.der == trust.crl.der { return false }
        switch trust.offer(crl: crl, now: context.clock()) {
        case let .accepted(from, to, warning):
            var fields: [String: LogValue] = ["source": .string(source.kind), "from": .string(source.detail),
                                              "previousNumber": .uint(from), "number": .uint(to),
                                              "revoked": .int(crl.entries.count)]
            if let warning { fields["warning"] = .string(warning) }
            context.logger.log(warning == nil ? .notice : .warning, "federation.crl.accepted", fields)
            context.metrics.increment(ConnectorMetrics.trustUpdates, labels: ["what": "crl", "source": source.kind, "result": "accepted"])
            audit("federation.crl.accepted", source: source, extra: [
                "previousNumber": .integer(Int64(clamping: from)), "number": .integer(Int64(clamping: to)),
                "sha256": .string(SHA256.hexHash(crl.der)),
            ])
            keep(crl.pem, at: storedCRL)
            for module in modules { module.crlChanged(to: crl, context: context) }
            rebuildTLS(reason: "new CRL \(to)")
            state.withLock { $0.crlWasStale = trust.crlFreshness(at: context.clock()).isStale }
            context.peerClient.resetConnections()
            return true
        case let .refused(reason):
            context.metrics.increment(ConnectorMetrics.trustUpdates, labels: ["what": "crl", "source": source.kind, "result": "refused"])
            if case .stored = source { return false }
            if case let .peer(member) = source, !context.memberWrites.allow(member, .refusedTrustUpdate) { return false }
            context.logger.error("federation.crl.refused", ["source": .string(source.kind), "from": .string(source.detail),
                                                            "reason": .string(reason)])
            audit("federation.crl.refused", source: source, extra: ["reason": .string(reason)])
            return false
        }
    }

    /// Loud while the CRL is past nextUpdate (at most once a minute), and rebuilds TLS when it turns stale.
    private func checkCRLFreshness(force: Bool) {
        let now = context.clock()
        let freshness = context.trust.crlFreshness(at: now)
        let (turnedStale, warn) = state.withLock { state -> (Bool, Bool) in
            let stale = freshness.isStale
            let turned = stale && !state.crlWasStale
            state.crlWasStale = stale
            guard stale else { return (false, false) }
            let due = force || turned || state.lastStaleWarning.map { ContinuousClock.now - $0 >= .seconds(60) } ?? true
            if due { state.lastStaleWarning = ContinuousClock.now }
            return (turned, due)
        }
        context.metrics.set(ConnectorMetrics.crlStale, to: freshness.isStale ? 1 : 0)
        if warn, case let .stale(nextUpdate) = freshness {
            let fatal = context.trust.staleCRLPolicy == .refuse
            context.logger.log(fatal ? .error : .warning, "federation.crl.stale", [
                "nextUpdate": .string(InternetDateTime.string(from: nextUpdate)),
                "policy": .string(fatal ? "refuse every peer (crlStaleIsFatal)" : "warn and keep serving"),
                "advice": "ask the federation admin for a fresh crl.pem and put it at the configured path",
            ])
        }
        if turnedStale { rebuildTLS(reason: "the CRL turned stale") }
    }

    private func rebuildTLS(reason: String) {
        do {
            try context.tls.rebuild(now: context.clock())
            context.logger.info("tls.contexts.rebuilt", ["reason": .string(reason)])
        } catch {
            context.logger.error("tls.contexts.rebuild-failed", ["reason": .string(reason), "error": .error(error)])
        }
    }

    private func logStatusChanges(from old: MemberRegistry, to new: MemberRegistry) {
        let selfId = context.identity.memberId
        let before = old.member(id: selfId)?.status
        let own = new.member(id: selfId)
        if let own, own.status != before, own.status != .active,
           let warning = HealthReport.membershipWarning(own, registrySerial: new.serial) {
            context.logger.error("federation.self.not-active", [
                "member": .string(selfId), "status": .string(own.status.rawValue),
                "reason": own.statusReason.map { .string($0) } ?? .null, "advice": .string(warning),
            ])
        }
        for member in new.members {
            let previous = old.member(id: member.id)
            guard previous?.status != member.status else { continue }
            context.logger.notice("federation.member.status", [
                "member": .string(member.id), "from": .string(previous?.status.rawValue ?? "absent"),
                "to": .string(member.status.rawValue), "reason": member.statusReason.map { .string($0) } ?? .null,
            ])
        }
    }

    private func audit(_ kind: String, source: TrustSource, extra: [String: JSONValue]) {
        var fields = extra
        fields["source"] = .string(source.kind)
        fields["from"] = .string(source.detail)
        do {
            try context.audit.record(AuditEvent(kind: kind, fields: fields))
        } catch {
            context.logger.error("audit.record.failed", ["kind": .string(kind), "error": .error(error)])
        }
    }

    private func keep(_ text: String, at path: String) {
        do {
            try AtomicFile.write(text, to: path, mode: 0o644)
        } catch {
            context.logger.warning("federation.keep.failed", ["path": .string(path), "error": .error(error)])
        }
    }
}
