import Foundation
import VerbundStore
import VerbundTrust

/// One management account as listed: never its secret or hash.
package struct Account: Sendable, Equatable, Codable {
    package let name: String
    package let role: AccountRole
}

/// Why an account operation failed, in words for the operator.
package struct AccountError: Error, Sendable, Equatable, CustomStringConvertible {
    package let description: String
    init(_ description: String) { self.description = description }
}

/// The accounts in the connector's state database (core migration 3). Names are 1–64 characters of
/// `a-z 0-9 . _ -` (they appear in the audit log and in URLs); `management.token` stays the implicit operator, and
/// is the one valid name no account may take (the audit log names the token file's holder so).
package struct AccountStore: Sendable {
    package let database: Database
    package let iterations: Int

    package init(database: Database, iterations: Int = SecretHash.defaultIterations) {
        self.database = database
        self.iterations = iterations
    }

    /// Whether `name` may name an account.
    package static func isValidName(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count)
            && name.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7a) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2e || $0 == 0x5f || $0 == 0x2d }
    }

    /// A fresh secret: 24 random bytes as 48 hex digits.
    package static func generateSecret() throws -> String {
        Hex.encode(try SecretHash.randomBytes(24, purpose: "drawing an account secret"))
    }

    /// Adds an account; the secret is hashed before the transaction (PBKDF2 takes a while; no work inside it).
    package func add(_ name: String, role: AccountRole, secret: String, now: Date) throws -> Account {
        guard Self.isValidName(name) else {
            throw AccountError("'\(name.prefix(64))' is no account name: use 1-64 characters a-z, 0-9, '.', '_', '-'")
        }
        guard name != ManagementToken.fileName else {
            throw AccountError("'\(name)' names the operator token file in the audit log; choose another account name")
        }
        guard secret.utf8.count >= 12, secret.utf8.count <= 1024 else {
            throw AccountError("the secret must have 12 to 1024 bytes")
        }
        let hash = try SecretHash.make(secret: Array(secret.utf8), iterations: iterations).encoded
        let ms = Int64(now.timeIntervalSince1970 * 1000)
        let inserted = try database.transaction { tx -> Int in
            guard try tx.queryFirst("SELECT name FROM connector_account WHERE name = ?", [.text(name)]) == nil else { return 0 }
            return try tx.execute("INSERT INTO connector_account (name, role, secret_hash, created_at_ms, changed_at_ms) VALUES (?, ?, ?, ?, ?)",
                                  [.text(name), .text(role.rawValue), .text(hash), .integer(ms), .integer(ms)])
        }
        guard inserted == 1 else { throw AccountError("an account '\(name)' exists already; use reset or remove") }
        return Account(name: name, role: role)
    }

    package func list() throws -> [Account] {
        try database.read { tx in
            try tx.query("SELECT name, role FROM connector_account ORDER BY name").compactMap { row in
                let name = try row.string("name")
                return AccountRole(rawValue: try row.string("role")).map { Account(name: name, role: $0) }
            }
        }
    }

    package func remove(_ name: String) throws {
        let removed = try database.transaction { tx in try tx.execute("DELETE FROM connector_account WHERE name = ?", [.text(name)]) }
        guard removed == 1 else { throw AccountError("there is no account '\(name.prefix(64))'") }
    }

    /// Gives the account a new secret.
    package func reset(_ name: String, secret: String, now: Date) throws {
        guard secret.utf8.count >= 12, secret.utf8.count <= 1024 else { throw AccountError("the secret must have 12 to 1024 bytes") }
        let hash = try SecretHash.make(secret: Array(secret.utf8), iterations: iterations).encoded
        let changed = try database.transaction { tx in
            try tx.execute("UPDATE connector_account SET secret_hash = ?, changed_at_ms = ? WHERE name = ?",
                           [.text(hash), .integer(Int64(now.timeIntervalSince1970 * 1000)), .text(name)])
        }
        guard changed == 1 else { throw AccountError("there is no account '\(name.prefix(64))'") }
    }

    /// The account when `secret` is its secret; nil otherwise (unknown name, wrong secret, unreadable hash).
    /// An unknown name costs the same PBKDF2 work as a wrong secret, so timing does not tell which names exist.
    package func authenticate(_ name: String, secret: String) throws -> Account? {
        try verify(name, secret: secret)?.account
    }

    /// `authenticate`, also returning the stored hash text the secret was checked against (what `VerifiedSecrets`
    /// remembers to notice a reset).
    package func verify(_ name: String, secret: String) throws -> (account: Account, storedHash: String)? {
        // A name no account can have, or an over-long secret, is refused at once: that tells nothing about who exists.
        guard Self.isValidName(name), secret.utf8.count <= 1024 else { return nil }
        let row = try stored(name)
        guard let row, let hash = SecretHash(encoded: row.storedHash) else {
            _ = try? SecretHash.derive(secret: Array(secret.utf8), salt: [UInt8](repeating: 0, count: 16),
                                       iterations: iterations, length: SecretHash.keyByteCount)
            return nil
        }
        return hash.matches(secret: Array(secret.utf8)) ? (Account(name: name, role: row.role), row.storedHash) : nil
    }

    /// The role and stored hash text of account `name`; nil when there is none (or its role is unknown).
    package func stored(_ name: String) throws -> (role: AccountRole, storedHash: String)? {
        let row = try database.read { tx -> [String]? in
            try tx.queryFirst("SELECT role, secret_hash FROM connector_account WHERE name = ?", [.text(name)])
                .map { [try $0.string("role"), try $0.string("secret_hash")] }
        }
        guard let row, let role = AccountRole(rawValue: row[0]) else { return nil }
        return (role, row[1])
    }
}
