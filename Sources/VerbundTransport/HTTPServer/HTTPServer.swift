import Foundation
import VerbundHTTP

/// An HTTP/1.1 server: one accept thread and connection threads, all plain `Thread`s with blocking streams
/// (docs/design.md §7: no blocking call inside Swift's cooperative pool). Connection threads park for the next connection
/// when theirs ends (`parkedThreads`), rather than one thread per connection.
///
/// Works over any `StreamAcceptor`: plain TCP, or TLS whose handshake runs on the connection's thread. Handshakes and
/// admitted connections are bounded separately (`ConnectionAdmission`): at most `maxHandshakes` (per source
/// `maxHandshakesPerSource`) handshaking within `handshakeTimeout` in all, at most `maxConnections` served, so
/// strangers that never finish a handshake cannot take the slots of members.
package final class HTTPServer: Sendable {
    package enum ServerError: Error, CustomStringConvertible, Equatable {
        case alreadyStarted

        package var description: String { "the server was already started or stopped; create a new HTTPServer to serve again" }
    }

    struct Connection {
        let socket: Socket
        var busy: Bool
    }

    struct State {
        var lifecycle = HTTPServerLifecycle.idle
        var admission: ConnectionAdmission
        /// Handshaking and admitted connections (evicted handshakes too, until their thread ends).
        var connections: [Int: Connection] = [:]
        var accepted = 0
        var refused = 0
        var evicted = 0
        var refusalLog = LogBudget()

        /// Nothing of the server runs any more but parked connection threads: stop may close those.
        var isDrained: Bool { connections.isEmpty && !lifecycle.acceptThreadRunning && admission.isIdle }
    }

    let acceptor: any StreamAcceptor
    let router: Router
    let configuration: HTTPServerConfiguration
    let log: HTTPServerLog
    /// Waited on by `stop` until the connections, the accept thread and the 503 refusals have ended.
    let state: ConditionLocked<State>
    let threads: ConnectionThreads

    /// - Parameters:
    ///   - log: receives one JSON object per line (requests, refusals, failures); nothing is printed.
    ///   - logRequests: whether `log` also receives an `http.request` record for every request served; pass false
    ///     when the sink would drop them (e.g. its level filters them out), so they are not built.
    package init(acceptor: any StreamAcceptor, router: Router, configuration: HTTPServerConfiguration = HTTPServerConfiguration(),
                log: (@Sendable (String) -> Void)? = nil, logRequests: Bool = true) {
        self.acceptor = acceptor
        self.router = router
        self.configuration = configuration
        self.log = HTTPServerLog(sink: log, logsRequests: logRequests)
        self.state = ConditionLocked(State(admission: ConnectionAdmission(limits: .init(
            maxHandshakes: configuration.maxHandshakes, maxHandshakesPerSource: configuration.maxHandshakesPerSource,
            maxConnections: configuration.maxConnections, maxRejections: configuration.maxRejections))))
        self.threads = ConnectionThreads(maxParked: min(configuration.parkedThreads, configuration.maxConnections),
                                         stackSize: configuration.threadStackSize)
    }

    package var localPort: UInt16 { acceptor.localPort }

    /// Connections currently handshaking or being served (not counting 503 refusals).
    package var activeConnections: Int { state.withLock { $0.connections.count } }

    /// Connections whose handshake is under way.
    package var handshakingConnections: Int { state.withLock { $0.admission.handshaking } }

    /// Connections accepted since start, refused ones included.
    package var acceptedConnections: Int { state.withLock { $0.accepted } }

    /// Connections closed right after accept (per-source bound, handshake stage full) since start.
    package var refusedConnections: Int { state.withLock { $0.refused } }

    /// Handshakes cut off to make room for newer ones since start.
    package var evictedHandshakes: Int { state.withLock { $0.evicted } }

    /// Starts the accept thread and returns. A server serves once: after `stop` this throws `alreadyStarted`.
    package func start() throws {
        let action = state.withLock { $0.lifecycle.start() }
        guard action == .spawnAcceptThread else { throw ServerError.alreadyStarted }
        let thread = Thread { [self] in acceptLoop() }
        thread.stackSize = configuration.threadStackSize
        thread.start()
    }

    /// Stops accepting, closes idle connections, lets in-flight requests finish within `grace`, then cuts
    /// the rest off, and returns once every thread of this server has ended. A second call (also a concurrent one)
    /// waits for the first to finish.
    package func stop(grace: Duration = .seconds(5)) {
        let (action, idle) = state.withLock { state -> (HTTPServerLifecycle.StopAction, [Socket]) in
            let action = state.lifecycle.stop()
            state.admission.stop()
            return (action, state.connections.values.filter { !$0.busy }.map(\.socket))
        }
        switch action {
        case .none:
            return
        case .join:
            _ = state.wait(until: nil) { $0.lifecycle == .stopped }
            return
        case .closeListener:
            // Without an accept thread nobody else releases the listener.
            acceptor.stopAccepting()
            acceptor.close()
        case .stopAccepting:
            acceptor.stopAccepting()
        }
        for socket in idle { socket.shutdownBoth() }
        if !state.wait(until: ContinuousClock.now + grace, for: \.isDrained) {
            let remaining = state.withLock { $0.connections.values.map(\.socket) }
            for socket in remaining { socket.shutdownBoth() }
            log.record("http.stop.forced", ["connections": remaining.count])
            // Every blocking call is bounded by a timeout, so this wait ends.
            _ = state.wait(until: nil, for: \.isDrained)
        }
        threads.close()  // the parked connection threads end too
        state.withLock { $0.lifecycle.finished() }
    }

    // MARK: Accepting

    private func acceptLoop() {
        defer {
            acceptor.close()
            state.withLock { $0.lifecycle.acceptThreadEnded() }
        }
        while true {
            let connection: AcceptedConnection
            do {
                connection = try acceptor.accept()
            } catch {
                if state.withLock({ $0.lifecycle.isStopping }) { return }
                log.record("http.accept.failed", ["error": String(describing: error)])
                // Out of descriptors and the like: back off instead of spinning.
                Thread.sleep(forTimeInterval: 0.05)
                continue
            }
            let source = connection.socket.peerSource
            let (decision, victim) = state.withLock { state -> (ConnectionAdmission.Decision, Socket?) in
                state.accepted += 1
                let decision = state.admission.accept(from: source)
                switch decision {
                case let .handshake(id, evicting):
                    state.connections[id] = Connection(socket: connection.socket, busy: false)
                    guard let evicting else { return (decision, nil) }
                    state.evicted += 1
                    return (decision, state.connections[evicting]?.socket)
                case .refuse:
                    state.refused += 1
                    return (decision, nil)
                }
            }
            switch decision {
            case let .handshake(id, evicting):
                if let victim {
                    let peer = victim.peerDescription
                    // Wakes the evicted handshake's thread, which closes its socket and ends.
                    victim.shutdownBoth()
                    recordRefusal("http.handshake.evicted", ["reason": "handshake stage full; oldest handshake cut off",
                                                             "peer": peer, "connection": evicting ?? -1])
                }
                spawn { [self] in serve(connection, id: id) }
            case let .refuse(reason):
                // Cheap on purpose: no thread, no TLS, no answer.
                connection.socket.close()
                if reason != .stopping {
                    recordRefusal("http.connection.refused", ["reason": reason.rawValue, "source": source])
                }
            }
        }
    }

    private func spawn(_ body: @escaping @Sendable () -> Void) {
        threads.run(body)
    }

    /// Over capacity after the handshake: a short 503 with `Connection: close`, everything bounded by `rejectionTimeout`.
    func refuse(_ stream: any ByteStream, remote: String) {
        let timeout = configuration.rejectionTimeout
        stream.writeTimeout = timeout
        var response = HTTPResponse.text("too many connections, retry shortly\n", status: .serviceUnavailable)
        response.headers.add("Retry-After", "1")
        response = rendered(response, target: nil)
        _ = try? ResponseWriter(stream: stream).write(response, omitBody: false, keepAlive: false)
        recordRefusal("http.refused", ["reason": "connection limit", "peer": remote])
        Lingering.close(stream, within: timeout)
    }

    /// Logs a refusal within the refusal log budget (a flood of strangers must not become a flood of log lines).
    func recordRefusal(_ event: String, _ fields: [String: any Sendable]) {
        let verdict = state.withLock { $0.refusalLog.admit(at: .now) }
        guard case let .write(suppressed) = verdict else { return }
        var fields = fields
        if suppressed > 0 { fields["suppressedBefore"] = suppressed }
        log.record(event, fields)
    }

    // MARK: Connection state

    /// Marks a connection busy (serving a request) or idle; false when the server is stopping.
    func mark(_ id: Int, busy: Bool) -> Bool {
        state.withLock { state in
            state.connections[id]?.busy = busy
            return !state.lifecycle.isStopping
        }
    }

    var isStopping: Bool { state.withLock { $0.lifecycle.isStopping } }
}
