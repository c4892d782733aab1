import Dispatch
import Foundation
import Synchronization
import VerbundHTTP
import VerbundStore

/// Delivers outbox messages to peers with retry and backoff. A scheduling thread (not Swift concurrency: delivery
/// blocks on sockets) finds due messages and hands each to a GCD worker, at most `parallelDeliveries` at once; it
/// sleeps until the earliest message falls due, and `enqueue` or a finished delivery wakes it at once.
///
/// Order: messages of one *lane* — the same destination and correlation (one negotiation or transfer process), or the
/// same destination for messages without a correlation — go one after another in schedule order; different lanes go
/// in parallel, so one slow peer or process does not hold up the others (DSP orders messages only within a process).
///
/// Which messages are in flight is kept in memory, not claimed in the database: only this dispatcher delivers from
/// its database, and a claim would cost a write transaction (an `fsync`) per message. After a crash, messages that
/// were in flight are simply due again (delivery is at-least-once; peers deduplicate by `Verbund-Message-Id`).
///
/// Outcomes: 2xx acknowledged, 4xx (except 408/425/429) refused, unknown or revoked member undeliverable — each is
/// final and reported to the kind's `OutboxAcknowledgementHandler` in the transaction that marks the message done.
/// Everything else (no connection, 5xx, 408/425/429, a suspended member) is retried with `RetryBackoff`.
public final class OutboxDispatcher: Sendable {
    public struct Settings: Sendable {
        /// Due messages looked at per scheduling pass.
        public var batchSize: Int
        /// Longest sleep between passes even when nothing is due (messages enqueued by another process).
        public var maximumIdle: Duration
        /// Messages delivered at once (each on its own worker thread while it waits for the peer).
        public var parallelDeliveries: Int
        public var backoff: RetryBackoff

        public init(batchSize: Int = 32, maximumIdle: Duration = .seconds(2), parallelDeliveries: Int = 8,
                    backoff: RetryBackoff = .standard) {
            self.batchSize = batchSize
            self.maximumIdle = maximumIdle
            self.parallelDeliveries = parallelDeliveries
            self.backoff = backoff
        }
    }

    private struct State {
        var handlers: [String: any OutboxAcknowledgementHandler] = [:]
        var context: ConnectorContext?
        var running = false
        var stopping = false
        /// Ids and lanes of the deliveries in flight. Only the scheduling thread removes entries, at the start of a
        /// pass (from `finished`), so a pass never reads a message as due that a worker has just finished.
        var inFlight: Set<String> = []
        var busyLanes: Set<String> = []
        var finished: [(id: String, lane: String)] = []
        /// Messages whose failed attempt could not be recorded (the database refused the write): not retried before
        /// the given time, so they are not resent in a tight loop while their schedule in the database says "due".
        var held: [String: Date] = [:]
    }

    public let store: OutboxStore
    public let settings: Settings
    private let state = Mutex(State())
    private let wakeSignal = DispatchSemaphore(value: 0)
    private let stopped = DispatchSemaphore(value: 0)
    private let workers = DispatchGroup()

    public init(database: Database, settings: Settings = Settings()) {
        self.store = OutboxStore(database: database)
        self.settings = settings
    }

    // MARK: Enqueueing (inside the caller's transaction)

    /// Adds `request` in `tx` and wakes the dispatcher; it is sent once `tx` commits. A member destination must be a
    /// member of the current registry (its endpoint is looked up again at delivery time).
    public func enqueue(_ request: OutboxRequest, in tx: Transaction, context: ConnectorContext) throws {
        let now = context.clock()
        let destinationURL: URL
        let path: String
        var memberId: String?
        var memberPath: String?
        switch request.destination {
        case let .member(id, relative):
            guard let member = context.peers.member(id: id) else { throw PeerError.unknownMember(id) }
            guard let endpoint = PeerEndpoint(member.endpoint) else { throw PeerError.invalidEndpoint(member: id, member.endpoint) }
            guard relative.hasPrefix("/") else { throw PeerError.invalidURL("\(relative) (a member path must start with /)") }
            destinationURL = URL(string: "https://\(Self.authority(endpoint))")!
            path = endpoint.target(relative)
            memberId = id
            memberPath = relative
        case let .url(text):
            guard let endpoint = PeerEndpoint(text) else { throw PeerError.invalidURL(text) }
            destinationURL = URL(string: "https://\(Self.authority(endpoint))")!
            var target = endpoint.basePath.isEmpty ? "/" : endpoint.basePath
            if let query = URLComponents(url: endpoint.url, resolvingAgainstBaseURL: false)?.percentEncodedQuery {
                target += "?" + query
            }
            path = target
        }
        try store.enqueue(OutboxMessage(id: request.id, destination: destinationURL, method: request.method.rawValue,
                                        path: path, body: request.body, createdAt: now, nextAttemptAt: now), in: tx)
        try OutboxRouteTable.insert(id: request.id, kind: request.kind, correlation: request.correlation,
                                    memberId: memberId, memberPath: memberPath, in: tx)
        // The database lock is held until `tx` commits, so the woken dispatcher cannot read before the row is there.
        wake()
    }

    private static func authority(_ endpoint: PeerEndpoint) -> String {
        (endpoint.host.contains(":") ? "[\(endpoint.host)]" : endpoint.host) + ":\(endpoint.port)"
    }

    /// Messages not yet finished.
    public func pendingCount() throws -> Int { try store.pendingCount() }

    // MARK: Running

    /// Registers the handler of a kind (the connector does this for every module's `outboxHandlers`).
    public func register(kind: String, handler: any OutboxAcknowledgementHandler) {
        state.withLock { $0.handlers[kind] = handler }
    }

    /// Starts the dispatcher thread; it delivers until `stop()`.
    public func start(context: ConnectorContext) {
        let started = state.withLock { state -> Bool in
            guard !state.running else { return false }
            state.running = true
            state.stopping = false
            state.context = context
            return true
        }
        guard started else { return }
        let thread = Thread { [self] in
            run()
            stopped.signal()
        }
        thread.name = "verbund.outbox"
        thread.start()
    }

    /// Stops after the attempts in flight have finished; returns when the thread has ended.
    public func stop() {
        let wasRunning = state.withLock { state -> Bool in
            state.stopping = true
            return state.running
        }
        guard wasRunning else { return }
        wake()
        stopped.wait()
        // Drops the context and handlers so nothing keeps the connector alive after it stopped.
        state.withLock { state in
            state.running = false
            state.context = nil
            state.handlers.removeAll()
        }
    }

    /// Makes the dispatcher look for due messages now.
    public func wake() { wakeSignal.signal() }

    private var isStopping: Bool { state.withLock { $0.stopping } }

    private func run() {
        while !isStopping {
            guard let context = state.withLock({ $0.context }) else { break }
            if deliverDue(context: context) { continue }  // more may be waiting
            _ = wakeSignal.wait(timeout: .now() + sleepInterval(context: context))
        }
        workers.wait()  // stop() returns only after the attempts in flight have finished
    }

    private func sleepInterval(context: ConnectorContext) -> DispatchTimeInterval {
        var seconds = settings.maximumIdle.seconds
        let now = context.clock()
        // Messages due now are in flight or wait for their lane; a finishing delivery wakes the dispatcher for those.
        if let next = try? context.database.read({ tx in try OutboxRouteTable.nextAttempt(after: now, in: tx) }) {
            seconds = min(seconds, max(next.timeIntervalSince(now), 0))
        }
        return .milliseconds(max(Int((seconds * 1000).rounded(.up)), 1))
    }

    /// One scheduling pass: reads due messages and starts a delivery for each whose lane is free, up to
    /// `parallelDeliveries` in flight. Returns whether another pass should follow at once (it started deliveries and
    /// there may be more due messages than it read). Only the dispatcher thread runs it (see `State.inFlight`).
    private func deliverDue(context: ConnectorContext) -> Bool {
        let inFlightCount = state.withLock { state -> Int in
            for done in state.finished {
                state.inFlight.remove(done.id)
                state.busyLanes.remove(done.lane)
            }
            state.finished.removeAll()
            return state.inFlight.count
        }
        guard inFlightCount < settings.parallelDeliveries else { return false }
        let limit = settings.batchSize + inFlightCount
        let candidates: [(message: OutboxMessage, route: OutboxRouteTable.Route?)]
        do {
            candidates = try context.database.read { tx in
                try store.due(now: context.clock(), limit: limit, in: tx).map { ($0, try OutboxRouteTable.route(id: $0.id, in: tx)) }
            }
        } catch {
            context.logger.error("outbox.read.failed", ["error": .error(error)])
            return false
        }
        var started = 0
        for (message, route) in candidates {
            let lane = Self.lane(of: message, route: route)
            let now = context.clock()
            let admitted = state.withLock { state -> Bool in
                if let until = state.held[message.id] {
                    guard until <= now else { return false }
                    state.held[message.id] = nil
                }
                guard !state.stopping, state.inFlight.count < settings.parallelDeliveries,
                      !state.inFlight.contains(message.id), !state.busyLanes.contains(lane) else { return false }
                state.inFlight.insert(message.id)
                state.busyLanes.insert(lane)
                return true
            }
            guard admitted else { continue }
            started += 1
            workers.enter()
            // GCD worker threads, not the cooperative pool: a delivery blocks on its socket.
            DispatchQueue.global().async { [self] in
                deliver(message, route: route, context: context)
                state.withLock { $0.finished.append((message.id, lane)) }
                workers.leave()
                wake()
            }
        }
        return started > 0 && candidates.count == limit
    }

    /// Messages in one lane are delivered in order; see the type's documentation.
    private static func lane(of message: OutboxMessage, route: OutboxRouteTable.Route?) -> String {
        message.destination.absoluteString + "\n" + (route?.correlation ?? "")
    }

    private func deliver(_ message: OutboxMessage, route: OutboxRouteTable.Route?, context: ConnectorContext) {
        let kind = route?.kind ?? "unknown"
        let destination: OutboxDestination
        if let memberId = route?.memberId, let memberPath = route?.memberPath {
            destination = .member(memberId, path: memberPath)
        } else {
            destination = .url(message.destination.absoluteString.trimmingSuffix("/") + message.path)
        }
        let delivery = OutboxDelivery(id: message.id, kind: kind, correlation: route?.correlation, destination: destination,
                                      method: message.method, body: message.body, createdAt: message.createdAt,
                                      previousAttempts: message.attempts)
        var headers: HTTPHeaders = ["Verbund-Message-Id": message.id]
        if !message.body.isEmpty { headers.set("Content-Type", "application/json") }
        let outcome: OutboxOutcome
        // The state the message announces commits before the request goes out (see OutboxAcknowledgementHandler).
        if let handler = state.withLock({ $0.handlers[kind] }) {
            do {
                try context.database.transaction { tx in try handler.outboxMessageWillSend(delivery, in: tx, context: context) }
            } catch {
                retry(delivery, reason: "the \(kind) handler could not commit the state before sending: \(error)", context: context,
                      tellHandler: false)
                return
            }
        }
        do {
            let response: PeerResponse
            switch destination {
            case let .member(id, path):
                response = try context.peerClient.send(toMember: id, method: HTTPMethod(message.method), path: path,
                                                       headers: headers, body: message.body)
            case let .url(url):
                response = try context.peerClient.send(toURL: url, method: HTTPMethod(message.method), headers: headers,
                                                       body: message.body)
            }
            let code = response.status.code
            if (200..<300).contains(code) {
                outcome = .acknowledged(status: code, body: response.body)
            } else if (400..<500).contains(code) && ![408, 425, 429].contains(code) {
                outcome = .refused(status: code, body: response.body)
            } else {
                retry(delivery, reason: "the peer answered \(code)", context: context)
                return
            }
        } catch {
            guard !error.isTransient else {
                retry(delivery, reason: error.description, context: context)
                return
            }
            outcome = .undeliverable(reason: error.description)
        }
        finish(delivery, outcome: outcome, context: context)
    }

    /// Records a failed attempt and, with `tellHandler`, lets the kind's handler go back to the state before the
    /// message in the same transaction: the peer does not hold the message.
    private func retry(_ delivery: OutboxDelivery, reason: String, context: ConnectorContext, tellHandler: Bool = true) {
        let handler = tellHandler ? state.withLock { $0.handlers[delivery.kind] } : nil
        do {
            let next = try context.database.transaction { tx -> Date in
                let next = try store.recordFailure(id: delivery.id, error: reason, now: context.clock(), backoff: settings.backoff,
                                                   jitter: Double.random(in: 0...1), in: tx)
                try handler?.outboxMessage(delivery, attemptFailed: reason, in: tx, context: context)
                return next
            }
            context.metrics.increment(ConnectorMetrics.outboxAttempts, labels: ["kind": delivery.kind, "result": "retry"])
            context.logger.warning("outbox.retry", [
                "id": .string(delivery.id), "kind": .string(delivery.kind), "destination": .string(delivery.destination.description),
                "attempt": .int(delivery.previousAttempts + 1), "reason": .string(reason),
                "nextAttemptInSeconds": .double((next.timeIntervalSince(context.clock()) * 10).rounded() / 10),
            ])
        } catch {
            context.logger.error("outbox.retry.failed", ["id": .string(delivery.id), "error": .error(error)])
            let until = context.clock().addingTimeInterval(settings.maximumIdle.seconds)
            state.withLock { $0.held[delivery.id] = until }
        }
    }

    private func finish(_ delivery: OutboxDelivery, outcome: OutboxOutcome, context: ConnectorContext) {
        let handler = state.withLock { $0.handlers[delivery.kind] }
        do {
            try context.database.transaction { tx in
                let now = context.clock()
                try store.markDelivered(id: delivery.id, at: now, in: tx)
                try OutboxRouteTable.finish(id: delivery.id, outcome: outcome, at: now, in: tx)
                try handler?.outboxMessage(delivery, finishedWith: outcome, in: tx, context: context)
            }
        } catch {
            context.logger.error("outbox.handler.failed", [
                "id": .string(delivery.id), "kind": .string(delivery.kind), "outcome": .string(outcome.name), "error": .error(error),
            ])
            retry(delivery, reason: "the \(delivery.kind) handler failed: \(error)", context: context)
            return
        }
        if handler == nil {
            context.logger.warning("outbox.kind.unhandled", ["id": .string(delivery.id), "kind": .string(delivery.kind)])
        }
        context.metrics.increment(ConnectorMetrics.outboxAttempts, labels: ["kind": delivery.kind, "result": outcome.name])
        var fields: [String: LogValue] = [
            "id": .string(delivery.id), "kind": .string(delivery.kind), "destination": .string(delivery.destination.description),
            "outcome": .string(outcome.name),
        ]
        if let status = outcome.status { fields["status"] = .int(status) }
        if case let .undeliverable(reason) = outcome { fields["reason"] = .string(reason) }
        context.logger.log(outcome.name == "acknowledged" ? .info : .warning, "outbox.finished", fields)
    }
}

extension Duration {
    var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) / 1e18
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
