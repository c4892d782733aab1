/// Decides which registry/CRL fetches from peers start, and when (a pure value: no sockets, no clock — time is passed
/// in). Peers announce numbers in `Verbund-Registry-Serial` / `Verbund-CRL-Number`; a hostile member can announce a
/// higher number and then serve its answer one byte at a time, or announce a new number on every request. So:
///
/// - at most one fetch per peer is in flight, and at most `maxInFlight` in all;
/// - each peer has a token bucket of fetch starts (`burst`, one more every `refill`); announcements beyond it wait
///   (coalesced: only the highest number per material is remembered) until a token is back;
/// - numbers already tried from a peer are not tried again; the memory of that is bounded per peer and in peers.
///
/// The federation sync feeds it events (`announced`, `finished`, `tick`) and runs the fetches it returns on threads of
/// their own, so polling the admin's files and URL never waits on a peer.
struct FederationFetchSchedule: Sendable {
    enum Material: String, Sendable, Hashable, CaseIterable {
        case registry
        case crl
    }

    /// One fetch of `material` from `member`, started because it announced `number`.
    struct Fetch: Sendable, Hashable, CustomStringConvertible {
        let member: String
        let material: Material
        let number: UInt64
        var description: String { "\(material.rawValue) \(number) from \(member)" }
    }

    /// The registry serial and CRL number held now: announcements at or below them are not news.
    struct Held: Sendable, Equatable {
        var registrySerial: UInt64
        var crlNumber: UInt64

        func isNews(_ material: Material, _ number: UInt64) -> Bool {
            number > (material == .registry ? registrySerial : crlNumber)
        }
    }

    enum Action: Sendable, Equatable {
        /// Run this fetch now; report its end with `finished`.
        case start(Fetch)
        /// The peer's announcements are being deferred by its rate limit (said once per episode, for a log line).
        case rateLimited(member: String)
    }

    struct Limits: Sendable, Equatable {
        /// Fetches in flight over all peers.
        var maxInFlight: Int
        /// Fetch starts a peer may cause at once…
        var burst: Int
        /// …and the time after which it earns one more.
        var refill: Duration
        /// Numbers remembered as tried, per peer and material.
        var triedPerPeer: Int
        /// Peers remembered at all (members come from the registry, so this is a backstop).
        var maxPeers: Int

        init(maxInFlight: Int = 4, burst: Int = 3, refill: Duration = .seconds(20), triedPerPeer: Int = 8, maxPeers: Int = 1024) {
            self.maxInFlight = maxInFlight
            self.burst = burst
            self.refill = refill
            self.triedPerPeer = triedPerPeer
            self.maxPeers = maxPeers
        }
    }

    private struct Peer: Sendable {
        var tokens: Double
        var refilledAt: ContinuousClock.Instant
        var inFlight: Fetch?
        var wanted: [Material: UInt64] = [:]
        var tried: [Material: [UInt64]] = [:]
        var limitNoticed = false

        var isIdle: Bool { inFlight == nil && wanted.isEmpty }
    }

    let limits: Limits
    private var peers: [String: Peer] = [:]
    private(set) var inFlight = 0

    init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Fetches running now.
    var running: [Fetch] { peers.values.compactMap(\.inFlight) }
    /// Peers with state kept.
    var peerCount: Int { peers.count }
    /// Numbers remembered as tried, over all peers.
    var triedCount: Int { peers.values.reduce(0) { $0 + $1.tried.values.reduce(0) { $0 + $1.count } } }
    /// What waits for `member` (its rate limit or a free slot).
    func waiting(_ member: String) -> [Material: UInt64] { peers[member]?.wanted ?? [:] }

    /// `member` announced `number` for `material`.
    mutating func announced(member: String, _ material: Material, _ number: UInt64, held: Held,
                            now: ContinuousClock.Instant) -> [Action] {
        guard held.isNews(material, number) else { return [] }
        if peers[member] == nil {
            prune()
            guard peers.count < limits.maxPeers else { return [] }
            peers[member] = Peer(tokens: Double(limits.burst), refilledAt: now)
        }
        guard var peer = peers[member] else { return [] }
        let alreadyTried = peer.tried[material]?.contains(number) ?? false
        let alreadyRunning = peer.inFlight.map { $0.material == material && $0.number >= number } ?? false
        if !alreadyTried, !alreadyRunning, number > (peer.wanted[material] ?? 0) {
            peer.wanted[material] = number
        }
        peers[member] = peer
        return dispatch(held: held, now: now)
    }

    /// `fetch` ended (whatever its outcome): its slots are free again.
    mutating func finished(_ fetch: Fetch, held: Held, now: ContinuousClock.Instant) -> [Action] {
        if var peer = peers[fetch.member], peer.inFlight == fetch {
            peer.inFlight = nil
            peers[fetch.member] = peer
            inFlight -= 1
        }
        return dispatch(held: held, now: now)
    }

    /// Time passed (tokens refill) or what is held changed: start what may start now.
    mutating func tick(held: Held, now: ContinuousClock.Instant) -> [Action] {
        dispatch(held: held, now: now)
    }

    private mutating func dispatch(held: Held, now: ContinuousClock.Instant) -> [Action] {
        var actions: [Action] = []
        for id in peers.keys.sorted() {
            guard var peer = peers[id] else { continue }
            // What became old news (a newer registry arrived from elsewhere) is dropped.
            peer.wanted = peer.wanted.filter { held.isNews($0.key, $0.value) }
            refill(&peer, now: now)
            if peer.inFlight == nil, inFlight < limits.maxInFlight,
               let material = [Material.crl, .registry].first(where: { peer.wanted[$0] != nil }) {
                if peer.tokens >= 1, let number = peer.wanted.removeValue(forKey: material) {
                    peer.tokens -= 1
                    peer.limitNoticed = false
                    var tried = peer.tried[material] ?? []
                    tried.append(number)
                    if tried.count > limits.triedPerPeer { tried.removeFirst(tried.count - limits.triedPerPeer) }
                    peer.tried[material] = tried
                    let fetch = Fetch(member: id, material: material, number: number)
                    peer.inFlight = fetch
                    inFlight += 1
                    actions.append(.start(fetch))
                } else if peer.tokens < 1, !peer.limitNoticed {
                    peer.limitNoticed = true
                    actions.append(.rateLimited(member: id))
                }
            }
            peers[id] = peer
        }
        return actions
    }

    private func refill(_ peer: inout Peer, now: ContinuousClock.Instant) {
        guard now > peer.refilledAt, limits.refill > .zero else { return }
        let earned = (now - peer.refilledAt) / limits.refill
        peer.tokens = min(Double(limits.burst), peer.tokens + earned)
        peer.refilledAt = now
    }

    /// Forgets idle peers when the map is full (their tried numbers go with them; the rate limit still holds because
    /// only idle peers with a full bucket are forgotten).
    private mutating func prune() {
        guard peers.count >= limits.maxPeers else { return }
        for (id, peer) in peers where peer.isIdle && peer.tokens >= Double(limits.burst) {
            peers.removeValue(forKey: id)
        }
    }
}
