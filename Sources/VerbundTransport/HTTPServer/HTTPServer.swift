import Foundation
import Synchronization
import VerbundHTTP

/// An HTTP/1.1 server: one accept thread and at most `maxConnections` connection threads, all plain
/// `Thread`s with blocking streams (DESIGN.md: no blocking call inside Swift's cooperative pool). Connection threads
/// park for the next connection when theirs ends (`parkedThreads`), rather than one thread per connection.
///
/// Works over any `StreamAcceptor`: plain TCP, or TLS whose handshake runs on the connection's thread.
public final class HTTPServer: Sendable {
    public enum ServerError: Error, CustomStringConvertible, Equatable {
        case alreadyStarted

        public var description: String { "the server was already started or stopped; create a new HTTPServer to serve again" }
    }

    struct Connection {
        let socket: Socket
        var busy: Bool
    }

    struct State {
        var started = false
        var stopping = false
        var acceptThreadRunning = false
        var nextID = 0
        var connections: [Int: Connection] = [:]
        var rejecting = 0
        var accepted = 0
    }

    let acceptor: any StreamAcceptor
    let router: Router
    let configuration: HTTPServerConfiguration
    let log: HTTPServerLog
    let state = Mutex(State())
    let threads: ConnectionThreads

    /// - Parameters:
    ///   - log: receives one JSON object per line (requests, refusals, failures); nothing is printed.
    ///   - logRequests: whether `log` also receives an `http.request` record for every request served; pass false
    ///     when the sink would drop them (e.g. its level filters them out), so they are not built.
    public init(acceptor: any StreamAcceptor, router: Router, configuration: HTTPServerConfiguration = HTTPServerConfiguration(),
                log: (@Sendable (String) -> Void)? = nil, logRequests: Bool = true) {
        self.acceptor = acceptor
        self.router = router
        self.configuration = configuration
        self.log = HTTPServerLog(sink: log, logsRequests: logRequests)
        self.threads = ConnectionThreads(maxParked: min(configuration.parkedThreads, configuration.maxConnections),
                                         stackSize: configuration.threadStackSize)
    }

    public var localPort: UInt16 { acceptor.localPort }

    /// Connections currently being served (not counting 503 refusals).
    public var activeConnections: Int { state.withLock { $0.connections.count } }

    /// Connections accepted since start, refused ones included.
    public var acceptedConnections: Int { state.withLock { $0.accepted } }

    /// Starts the accept thread and returns.
    public func start() throws {
        try state.withLock { state in
            guard !state.started, !state.stopping else { throw ServerError.alreadyStarted }
            state.started = true
            state.acceptThreadRunning = true
        }
        let thread = Thread { [self] in acceptLoop() }
        thread.stackSize = configuration.threadStackSize
        thread.start()
    }

    /// Stops accepting, closes idle connections, lets in-flight requests finish within `grace`, then cuts
    /// the rest off, and returns once every thread of this server has ended.
    public func stop(grace: Duration = .seconds(5)) {
        let (idle, started): ([Socket], Bool) = state.withLock { state in
            state.stopping = true
            return (state.connections.values.filter { !$0.busy }.map(\.socket), state.started)
        }
        acceptor.stopAccepting()
        // Without an accept thread nobody else releases the listener.
        if !started { acceptor.close() }
        for socket in idle { socket.shutdownBoth() }
        if !waitForThreads(until: ContinuousClock.now + grace) {
            let remaining = state.withLock { $0.connections.values.map(\.socket) }
            for socket in remaining { socket.shutdownBoth() }
            log.record("http.stop.forced", ["connections": remaining.count])
            // Every blocking call is bounded by a timeout, so this wait ends.
            _ = waitForThreads(until: nil)
        }
        threads.close()  // the parked connection threads end too
    }

    private func waitForThreads(until deadline: ContinuousClock.Instant?) -> Bool {
        while true {
            let done = state.withLock { $0.connections.isEmpty && !$0.acceptThreadRunning && $0.rejecting == 0 }
            if done { return true }
            if let deadline, ContinuousClock.now >= deadline { return false }
            Thread.sleep(forTimeInterval: 0.005)
        }
    }

    // MARK: Accepting

    private enum Admission {
        case serve(Int)
        case reject
        case drop
    }

    private func acceptLoop() {
        defer {
            acceptor.close()
            state.withLock { $0.acceptThreadRunning = false }
        }
        while true {
            let connection: AcceptedConnection
            do {
                connection = try acceptor.accept()
            } catch {
                if state.withLock({ $0.stopping }) { return }
                log.record("http.accept.failed", ["error": String(describing: error)])
                // Out of descriptors and the like: back off instead of spinning.
                Thread.sleep(forTimeInterval: 0.05)
                continue
            }
            let admission: Admission = state.withLock { state in
                state.accepted += 1
                if state.stopping { return .drop }
                if state.connections.count < configuration.maxConnections {
                    let id = state.nextID
                    state.nextID += 1
                    state.connections[id] = Connection(socket: connection.socket, busy: false)
                    return .serve(id)
                }
                if state.rejecting < configuration.maxRejections {
                    state.rejecting += 1
                    return .reject
                }
                return .drop
            }
            switch admission {
            case let .serve(id):
                spawn { [self] in
                    defer { _ = state.withLock { $0.connections.removeValue(forKey: id) } }
                    serve(connection, id: id)
                }
            case .reject:
                spawn { [self] in
                    defer { state.withLock { $0.rejecting -= 1 } }
                    refuse(connection)
                }
            case .drop:
                connection.socket.close()
            }
        }
    }

    private func spawn(_ body: @escaping @Sendable () -> Void) {
        threads.run(body)
    }

    /// Over capacity: a short 503 with `Connection: close`, everything bounded by `rejectionTimeout`.
    private func refuse(_ connection: AcceptedConnection) {
        let timeout = configuration.rejectionTimeout
        guard let established = try? connection.establish(handshakeTimeout: timeout) else { return }
        let stream = established.stream
        stream.writeTimeout = timeout
        var response = HTTPResponse.text("too many connections, retry shortly\n", status: .serviceUnavailable)
        response.headers.add("Retry-After", "1")
        response = rendered(response, target: nil)
        _ = try? ResponseWriter(stream: stream).write(response, omitBody: false, keepAlive: false)
        log.record("http.refused", ["reason": "connection limit", "peer": connection.socket.peerDescription])
        Lingering.close(stream, within: timeout)
    }

    // MARK: Connection state

    /// Marks a connection busy (serving a request) or idle; false when the server is stopping.
    func mark(_ id: Int, busy: Bool) -> Bool {
        state.withLock { state in
            state.connections[id]?.busy = busy
            return !state.stopping
        }
    }

    var isStopping: Bool { state.withLock { $0.stopping } }
}
