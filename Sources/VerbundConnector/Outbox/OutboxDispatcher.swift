import Dispatch
import Foundation
import Synchronization
import VerbundHTTP
import VerbundStore

/// Delivers outbox messages to peers with retry and backoff: a thin shell around `OutboxSchedule`, which decides
/// what goes out when. A scheduling thread (a `WorkerThread`, not Swift concurrency: delivery blocks on sockets) reads
/// due messages, feeds them to the schedule and hands each `deliver` action to a GCD worker; it sleeps until the
/// schedule's `sleep` time, and `enqueue` or a finished delivery wakes it at once.
///
/// Order and fairness (see `OutboxSchedule`): messages of one *lane* — the same destination and correlation (one
/// negotiation or transfer process), or the same destination for messages without a correlation — go one after
/// another in schedule order; different lanes go in parallel, at most `perPeerDeliveries` to one destination, so one
/// slow peer or process does not hold up the others. Every attempt ends by `deliveryDeadline`, whatever the peer does.
///
/// Which messages are in flight is kept in memory, not claimed in the database: only this dispatcher delivers from
/// its database, and a claim would cost a write transaction (an `fsync`) per message. After a crash, messages that
/// were in flight are simply due again (delivery is at-least-once; peers deduplicate by `Verbund-Message-Id`).
///
/// Outcomes: 2xx acknowledged, 4xx (except 408/425/429) refused, unknown or revoked member undeliverable — each is
/// final and reported to the kind's `OutboxAcknowledgementHandler` in the transaction that marks the message done.
/// Everything else (no connection, 5xx, 408/425/429, a suspended member, the deadline) is retried with `RetryBackoff`.
package final class OutboxDispatcher: Sendable {
    package struct Settings: Sendable {
        /// Due messages looked at per scheduling pass.
        package var batchSize: Int
        /// Longest sleep between passes even when nothing is due (messages enqueued by another process).
        package var maximumIdle: Duration
        /// Messages delivered at once (each on its own worker thread while it waits for the peer).
        package var parallelDeliveries: Int
        /// Messages delivered at once to one destination (one member's endpoint or callback origin).
        package var perPeerDeliveries: Int
        /// The longest one delivery attempt may take in total (connect, send, answer); then it is retried later.
        package var deliveryDeadline: Duration
        /// The largest answer body taken from a peer (DSP acknowledgements are small JSON objects); a larger one fails
        /// the attempt, so peers cannot make the dispatcher hold `parallelDeliveries` large bodies at once.
        package var maxResponseBytes: Int
        package var backoff: RetryBackoff

        package init(batchSize: Int = 32, maximumIdle: Duration = .seconds(2), parallelDeliveries: Int = 8,
                    perPeerDeliveries: Int = 2, deliveryDeadline: Duration = .seconds(30), maxResponseBytes: Int = 1 << 20,
                    backoff: RetryBackoff = .standard) {
            self.batchSize = batchSize
            self.maximumIdle = maximumIdle
            self.parallelDeliveries = parallelDeliveries
            self.perPeerDeliveries = perPeerDeliveries
            self.deliveryDeadline = deliveryDeadline
            self.maxResponseBytes = maxResponseBytes
            self.backoff = backoff
        }

        var limits: OutboxSchedule.Limits {
            OutboxSchedule.Limits(parallel: max(parallelDeliveries, 1), perPeer: max(perPeerDeliveries, 1),
                                  batchSize: max(batchSize, 1), maximumIdle: maximumIdle.seconds, hold: maximumIdle.seconds,
                                  deliveryDeadline: deliveryDeadline.seconds)
        }
    }

    private struct State {
        var handlers: [String: any OutboxAcknowledgementHandler] = [:]
        var context: ConnectorContext?
        var schedule: OutboxSchedule
    }

    package let store: OutboxStore
    package let settings: Settings
    private let state: Mutex<State>
    private let thread = WorkerThread(name: "verbund.outbox")
    private let workers = DispatchGroup()

    package init(database: Database, settings: Settings = Settings()) {
        self.store = OutboxStore(database: database)
        self.settings = settings
        self.state = Mutex(State(schedule: OutboxSchedule(limits: settings.limits)))
    }

    // MARK: Enqueueing (inside the caller's transaction)

    /// Adds `request` in `tx` and wakes the dispatcher; it is sent once `tx` commits. A member destination must be a
    /// member of the current registry (its endpoint is looked up again at delivery time).
    package func enqueue(_ request: OutboxRequest, in tx: Transaction, context: ConnectorContext) throws {
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
        // Woken once `tx` committed: its reads only see committed rows (a write may wait for its group's commit).
        tx.afterCommit { [weak self] in self?.wake() }
    }

    private static func authority(_ endpoint: PeerEndpoint) -> String {
        (endpoint.host.contains(":") ? "[\(endpoint.host)]" : endpoint.host) + ":\(endpoint.port)"
    }

    /// Messages not yet finished.
    package func pendingCount() throws -> Int { try store.pendingCount() }

    // MARK: Running

    /// Registers the handler of a kind (the connector does this for every module's `outboxHandlers`).
    package func register(kind: String, handler: any OutboxAcknowledgementHandler) {
        state.withLock { $0.handlers[kind] = handler }
    }

    /// Starts the dispatcher thread; it delivers until `stop()`, and may be started again after it.
    package func start(context: ConnectorContext) {
        state.withLock { state in
            state.context = context
            state.schedule.restart()
        }
        thread.start { [self] in run(context: context) }
    }

    /// Stops after the attempts in flight have finished (each ends by its deadline); returns when the thread has ended.
    package func stop() {
        state.withLock { _ = $0.schedule.stop() }
        thread.stop()
        // Drops the context and handlers so nothing keeps the connector alive after it stopped.
        state.withLock { state in
            state.context = nil
            state.handlers.removeAll()
        }
    }

    /// Makes the dispatcher look for due messages now.
    package func wake() { thread.wake() }

    private func run(context: ConnectorContext) {
        while !thread.isStopping {
            switch pass(context: context) {
            case .readAgain:
                continue
            case let .sleep(until):
                thread.pause(.milliseconds(Int64((until.timeIntervalSince(context.clock()) * 1000).rounded(.up))))
            }
        }
        workers.wait()  // stop() returns only after the attempts in flight have finished
    }

    private enum Next {
        case readAgain
        case sleep(until: Date)
    }

    /// One scheduling pass: asks the schedule what to read, reads it, and executes the schedule's actions.
    private func pass(context: ConnectorContext) -> Next {
        let now = context.clock()
        guard let read = state.withLock({ $0.schedule.nextRead }) else {
            // Every slot is taken: a finishing delivery wakes the thread.
            return .sleep(until: now.addingTimeInterval(settings.maximumIdle.seconds))
        }
        let candidates: [(message: OutboxMessage, route: OutboxRouteTable.Route?)]
        let nextAttempt: Date?
        do {
            (candidates, nextAttempt) = try context.database.read { tx in
                let due = try store.due(now: now, limit: read.limit, skipping: read.skippingPeers, in: tx)
                    .map { ($0, try OutboxRouteTable.route(id: $0.id, in: tx)) }
                return (due, try OutboxRouteTable.nextAttempt(after: now, in: tx))
            }
        } catch {
            context.logger.error("outbox.read.failed", ["error": .error(error)])
            return .sleep(until: now.addingTimeInterval(settings.maximumIdle.seconds))
        }
        var byId: [String: (OutboxMessage, OutboxRouteTable.Route?)] = [:]
        let messages = candidates.map { candidate -> OutboxSchedule.Message in
            byId[candidate.message.id] = candidate
            return Self.scheduled(candidate.message, route: candidate.route)
        }
        let actions = state.withLock { $0.schedule.due(messages, readLimit: read.limit, nextAttempt: nextAttempt, now: now) }
        var next = Next.sleep(until: now.addingTimeInterval(settings.maximumIdle.seconds))
        for action in actions {
            switch action {
            case let .deliver(scheduled, deadline):
                guard let (message, route) = byId[scheduled.id] else { continue }
                start(message, route: route, deadline: deadline, context: context)
            case .readAgain:
                next = .readAgain
            case let .sleep(until):
                next = .sleep(until: until)
            case .hold:
                break
            }
        }
        return next
    }

    private func start(_ message: OutboxMessage, route: OutboxRouteTable.Route?, deadline: Date, context: ConnectorContext) {
        workers.enter()
        // GCD worker threads, not the cooperative pool: a delivery blocks on its socket (until its deadline at most).
        DispatchQueue.global().async { [self] in
            let instant = ContinuousClock.now + .milliseconds(Int64(max(deadline.timeIntervalSince(context.clock()), 0) * 1000))
            deliver(message, route: route, deadline: instant, context: context)
            let lookAgain = state.withLock { $0.schedule.finished(id: message.id) }
            workers.leave()
            if lookAgain { wake() }
        }
    }

    /// The schedule's view of a message: its lane (destination and correlation) and peer (destination origin).
    static func scheduled(_ message: OutboxMessage, route: OutboxRouteTable.Route?) -> OutboxSchedule.Message {
        let peer = message.destination.absoluteString
        return OutboxSchedule.Message(id: message.id, lane: peer + "\n" + (route?.correlation ?? ""), peer: peer)
    }

    private func deliver(_ message: OutboxMessage, route: OutboxRouteTable.Route?, deadline: ContinuousClock.Instant,
                         context: ConnectorContext) {
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
                                                       headers: headers, body: message.body, maxBodyBytes: settings.maxResponseBytes,
                                                       deadline: deadline - ContinuousClock.now)
            case let .url(url):
                response = try context.peerClient.send(toURL: url, method: HTTPMethod(message.method), headers: headers,
                                                       body: message.body, maxBodyBytes: settings.maxResponseBytes,
                                                       deadline: deadline - ContinuousClock.now)
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
            let now = context.clock()
            _ = state.withLock { $0.schedule.failureNotRecorded(id: delivery.id, now: now) }
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
