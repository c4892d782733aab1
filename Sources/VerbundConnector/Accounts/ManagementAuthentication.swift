import Synchronization
import VerbundTrust

/// Who sent a management request: the operator token file (`Bearer`, compared in constant time) or an account
/// (`Basic name:secret`, checked with PBKDF2 against the state database). See `ManagementCredential` for the wire
/// forms and docs/management-api.md "Accounts and roles".
///
/// PBKDF2 with 600 000 iterations is meant to be slow, too slow to pay on every request of a console page or a
/// script. A secret verified once is remembered in `VerifiedSecrets` (keyed by a SHA-256 digest, never the secret;
/// at most 256 entries of 10 minutes) and, while the account's row still holds the hash it was verified against,
/// costs one SHA-256 and one indexed read. A wrong secret and an unknown account both cost a full PBKDF2
/// (`AccountStore.verify`) and are counted by the caller's failure limit, which refuses accounts (401) without checking after
/// 20 failures a minute — the CPU a guesser can burn is bounded too.
package final class ManagementAuthentication: Sendable {
    package enum Outcome: Sendable, Equatable {
        /// No `Authorization` field.
        case missing
        /// A Bearer token that is not the token file's.
        case wrongToken
        /// An account that does not exist or a secret that is not its own (deliberately not told apart).
        case wrongAccount
        /// A field that is neither form; says why.
        case malformed(String)
        /// The accounts could not be read (the state database failed); says why.
        case unavailable(String)
        case authenticated(ManagementCaller)
    }

    package let token: ManagementToken
    package let accounts: AccountStore
    private let verified: Mutex<VerifiedSecrets>

    package init(token: ManagementToken, accounts: AccountStore, verified: VerifiedSecrets = VerifiedSecrets()) {
        self.token = token
        self.accounts = accounts
        self.verified = Mutex(verified)
    }

    /// Checks an `Authorization` field value.
    package func authenticate(_ field: String?, now: ContinuousClock.Instant = .now) -> Outcome {
        switch ManagementCredential.parse(field) {
        case .none:
            return .missing
        case let .malformed(reason):
            return .malformed(reason)
        case .bearer:
            return token.authorizes(field) ? .authenticated(.tokenFile) : .wrongToken
        case let .account(name, secret):
            do {
                return try authenticate(name: name, secret: secret, now: now).map { .authenticated($0) } ?? .wrongAccount
            } catch {
                return .unavailable("reading the accounts failed: \(error)")
            }
        }
    }

    /// The account `name` when `secret` is its secret, else nil; what a login form calls too.
    package func authenticate(name: String, secret: String, now: ContinuousClock.Instant = .now) throws -> ManagementCaller? {
        var key = Array(name.utf8)
        key.append(0)
        key += Array(secret.utf8)
        let digest = SHA256.hash(key)
        if let entry = verified.withLock({ $0.lookup(digest, now: now) }) {
            if let row = try accounts.stored(entry.name), row.storedHash == entry.storedHash {
                return ManagementCaller(name: entry.name, role: row.role, credential: .account)
            }
            verified.withLock { $0.forget(digest) }
        }
        guard let (account, storedHash) = try accounts.verify(name, secret: secret) else { return nil }
        verified.withLock { $0.insert(digest, .init(name: account.name, storedHash: storedHash, verifiedAt: now)) }
        return ManagementCaller(name: account.name, role: account.role, credential: .account)
    }

    /// How many verified secrets are remembered (for tests and metrics).
    package var rememberedSecrets: Int { verified.withLock { $0.count } }
}
