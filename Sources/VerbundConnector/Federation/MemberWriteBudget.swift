/// How much one member can make this connector write, per kind of record (a pure value; time is passed in). A member
/// is admitted, but may be compromised: without a bound it could fill the disk with refused registries (each an
/// error log line and an audit entry) or with new negotiation and transfer processes. Each (member, kind) has a token
/// bucket of `perMinute` records; beyond it the record is not written (and the request is answered 429).
struct MemberWriteBudget: Sendable {
    enum Kind: String, Sendable, Hashable, CaseIterable {
        /// A registry or CRL from this member that was refused (log line and audit entry).
        case refusedTrustUpdate = "refused_trust_update"
        /// A new contract negotiation the member starts (provider side) or offers (consumer side).
        case negotiation
        /// A new transfer process the member requests.
        case transfer
    }

    struct Limits: Sendable, Equatable {
        var perMinute: [Kind: Int]
        /// Members with state kept (members come from the registry; this is a backstop).
        var maxMembers: Int

        init(perMinute: [Kind: Int] = [.refusedTrustUpdate: 10, .negotiation: 120, .transfer: 120], maxMembers: Int = 4096) {
            self.perMinute = perMinute
            self.maxMembers = maxMembers
        }
    }

    /// What `spend` decided.
    enum Decision: Equatable, Sendable {
        case write
        /// Over budget; `firstOfEpisode` is true the first time since the member was last within it (log it once).
        case overBudget(firstOfEpisode: Bool)
    }

    private struct Key: Hashable, Sendable {
        let member: String
        let kind: Kind
    }

    private struct Account: Sendable {
        var bucket: TokenBucket
        var exceeded = false
    }

    let limits: Limits
    private var accounts: [Key: Account] = [:]

    init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Accounts kept (bounded by `maxMembers` × kinds).
    var accountCount: Int { accounts.count }

    /// Spends one record of `kind` for `member` if its budget allows.
    mutating func spend(_ member: String, _ kind: Kind, now: ContinuousClock.Instant) -> Decision {
        guard let perMinute = limits.perMinute[kind] else { return .write }
        let key = Key(member: member, kind: kind)
        if accounts[key] == nil {
            if accounts.count >= limits.maxMembers * Kind.allCases.count { forgetFullAccounts(now: now) }
            guard accounts.count < limits.maxMembers * Kind.allCases.count else { return .overBudget(firstOfEpisode: false) }
            accounts[key] = Account(bucket: TokenBucket(capacity: perMinute, per: .seconds(60)))
        }
        guard var account = accounts[key] else { return .write }
        defer { accounts[key] = account }
        if account.bucket.take(now: now) {
            account.exceeded = false
            return .write
        }
        defer { account.exceeded = true }
        return .overBudget(firstOfEpisode: !account.exceeded)
    }

    /// Accounts whose bucket is full again hold nothing worth keeping.
    private mutating func forgetFullAccounts(now: ContinuousClock.Instant) {
        for (key, var account) in accounts where account.bucket.isFull(now: now) {
            accounts.removeValue(forKey: key)
        }
    }
}
