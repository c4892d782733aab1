import VerbundTrust

/// The console's logged-in sessions, in memory only: a restart of the daemon logs everyone out (docs/console.md).
/// A session id and its CSRF token are 256 random bits each (OpenSSL `RAND_bytes`), written as 64 hex digits.
/// A pure value: the caller passes the time, so lifetimes and the bound are tested without a clock.
package struct ConsoleSessions: Sendable {
    package struct Session: Sendable, Equatable {
        package let id: String
        package let csrf: String
        /// The account; its role is read again from the state database on every request (`ConsoleRoutes`).
        package var caller: ManagementCaller
        /// The account's stored secret hash at login: a `reset` changes it and so ends the session.
        package let storedHash: String
        package let created: ContinuousClock.Instant
        package var lastUsed: ContinuousClock.Instant
    }

    package struct Limits: Sendable {
        package var maxSessions: Int
        package var idle: Duration
        package var absolute: Duration
        package init(maxSessions: Int = 64, idle: Duration = .seconds(30 * 60), absolute: Duration = .seconds(8 * 3600)) {
            self.maxSessions = maxSessions
            self.idle = idle
            self.absolute = absolute
        }
    }

    package let limits: Limits
    private var sessions: [String: Session] = [:]

    package init(limits: Limits = Limits()) { self.limits = limits }

    package var count: Int { sessions.count }

    static func token() throws -> String {
        try SecretHash.randomBytes(32, purpose: "drawing a console session id").map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// A new session for `caller`; the oldest session goes when the bound is reached.
    package mutating func open(for caller: ManagementCaller, storedHash: String = "",
                               now: ContinuousClock.Instant) throws -> Session {
        expire(now: now)
        while sessions.count >= limits.maxSessions, let oldest = sessions.values.min(by: { $0.lastUsed < $1.lastUsed }) {
            sessions[oldest.id] = nil
        }
        let session = Session(id: try Self.token(), csrf: try Self.token(), caller: caller, storedHash: storedHash,
                              created: now, lastUsed: now)
        sessions[session.id] = session
        return session
    }

    /// The live session with this id (its idle time restarts), or nil.
    package mutating func use(_ id: String?, now: ContinuousClock.Instant) -> Session? {
        guard let id, var session = sessions[id] else { return nil }
        guard live(session, now: now) else {
            sessions[id] = nil
            return nil
        }
        session.lastUsed = now
        sessions[id] = session
        return session
    }

    package mutating func close(_ id: String) { sessions[id] = nil }

    private func live(_ session: Session, now: ContinuousClock.Instant) -> Bool {
        now - session.lastUsed < limits.idle && now - session.created < limits.absolute
    }

    private mutating func expire(now: ContinuousClock.Instant) {
        sessions = sessions.filter { live($0.value, now: now) }
    }

    /// Whether a form's token is the session's, compared in constant time.
    package static func csrfMatches(_ session: Session, _ sent: String?) -> Bool {
        guard let sent else { return false }
        let expected = Array(session.csrf.utf8), given = Array(sent.utf8)
        guard expected.count == given.count else { return false }
        return SecretHash.constantTimeEqual(expected, given)
    }
}
