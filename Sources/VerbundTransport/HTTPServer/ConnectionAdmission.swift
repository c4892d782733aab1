/// Which stage each connection of an `HTTPServer` is in, and what happens to the next one: a pure value (events in,
/// decisions out) the server keeps behind its lock.
///
/// Two stages with separate bounds, so strangers who never finish a handshake cannot take the slots of admitted
/// members (the pre-authentication exhaustion of issue 9):
/// - *handshaking*: accepted, TLS (or any establishment) not finished. At most `maxHandshakes` in all and
///   `maxHandshakesPerSource` per source address. Over the per-source bound a new connection is refused (closed at
///   once, no thread). When the whole stage is full the *oldest* handshake is evicted for the new one: a real
///   handshake takes milliseconds, so the one that has waited longest is the likeliest to be a silent stranger, and a
///   flood from many addresses cannot keep a member's fresh handshake out.
/// - *admitted*: established, served by its own thread, at most `maxConnections`; beyond it a handshaken connection
///   gets a short 503 (at most `maxRejections` at once) or is closed.
struct ConnectionAdmission: Sendable {
    struct Limits: Sendable, Equatable {
        var maxHandshakes: Int
        var maxHandshakesPerSource: Int
        var maxConnections: Int
        var maxRejections: Int
    }

    enum Refusal: String, Sendable, Equatable {
        case sourceLimit = "too many handshakes from this source address"
        case handshakeStageFull = "handshake stage full"
        case stopping = "server stopping"
    }

    enum Decision: Sendable, Equatable {
        /// Start the handshake of connection `id`; first cut off connection `evicting` (an older handshake).
        case handshake(id: Int, evicting: Int?)
        /// Close the new connection at once.
        case refuse(Refusal)
    }

    enum AfterHandshake: Sendable, Equatable {
        /// Serve HTTP; call `closed(id)` when the connection ends.
        case serve
        /// Answer 503 and close; call `rejectionEnded()` afterwards.
        case reject
        /// Close without a word (evicted meanwhile, stopping, or too many 503s under way).
        case close
    }

    private struct Handshake {
        let source: String
        var evicted = false
    }

    let limits: Limits
    private var handshakes: [Int: Handshake] = [:]
    private var perSource: [String: Int] = [:]
    private var admitted: Set<Int> = []
    private var evictedCount = 0
    private var nextID = 0
    private(set) var rejecting = 0
    private(set) var stopping = false

    init(limits: Limits) {
        self.limits = Limits(maxHandshakes: max(1, limits.maxHandshakes), maxHandshakesPerSource: max(1, limits.maxHandshakesPerSource),
                             maxConnections: max(1, limits.maxConnections), maxRejections: max(0, limits.maxRejections))
    }

    /// Handshakes under way, evicted ones whose thread has not noticed yet included (each still holds a thread).
    var handshaking: Int { handshakes.count }
    /// Connections past the handshake, being served.
    var admittedCount: Int { admitted.count }
    /// Handshakes under way from `source`.
    func handshaking(from source: String) -> Int { perSource[source, default: 0] }

    /// A connection from `source` was accepted.
    mutating func accept(from source: String) -> Decision {
        if stopping { return .refuse(.stopping) }
        if perSource[source, default: 0] >= limits.maxHandshakesPerSource { return .refuse(.sourceLimit) }
        var evicting: Int?
        let live = handshakes.count - evictedCount
        if live >= limits.maxHandshakes {
            // Evicted handshakes still hold a thread until they notice; never let those exceed the stage's own size.
            guard evictedCount < limits.maxHandshakes,
                  let oldest = handshakes.lazy.filter({ !$0.value.evicted }).map(\.key).min() else {
                return .refuse(.handshakeStageFull)
            }
            handshakes[oldest]!.evicted = true
            evictedCount += 1
            release(source: handshakes[oldest]!.source)
            evicting = oldest
        }
        let id = nextID
        nextID += 1
        handshakes[id] = Handshake(source: source)
        perSource[source, default: 0] += 1
        return .handshake(id: id, evicting: evicting)
    }

    /// The handshake of `id` ended, `established` or not.
    mutating func handshakeEnded(_ id: Int, established: Bool) -> AfterHandshake {
        guard let handshake = handshakes.removeValue(forKey: id) else { return .close }
        if handshake.evicted {
            evictedCount -= 1
            return .close
        }
        release(source: handshake.source)
        guard established, !stopping else { return .close }
        if admitted.count < limits.maxConnections {
            admitted.insert(id)
            return .serve
        }
        guard rejecting < limits.maxRejections else { return .close }
        rejecting += 1
        return .reject
    }

    /// An admitted connection ended.
    mutating func closed(_ id: Int) {
        admitted.remove(id)
    }

    /// A 503 refusal ended.
    mutating func rejectionEnded() {
        rejecting = max(0, rejecting - 1)
    }

    /// From now on every new connection is refused and no handshake leads to service.
    mutating func stop() {
        stopping = true
    }

    /// Nothing holds a thread any more (for the server's stop).
    var isIdle: Bool { handshakes.isEmpty && admitted.isEmpty && rejecting == 0 }

    // MARK: Bookkeeping

    private mutating func release(source: String) {
        let remaining = perSource[source, default: 0] - 1
        perSource[source] = remaining > 0 ? remaining : nil
    }
}
