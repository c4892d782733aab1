import Foundation
import VerbundHTTP
import VerbundTransport

/// The accounts through the management API (issue 12; docs/management-api.md, "Accounts"), permission
/// `manageAccounts` (operators only): list, add, remove, reset. A new or reset secret is drawn by the daemon
/// (`AccountStore.generateSecret`) and shown once, in the answer; it is never logged and never stored but as its
/// PBKDF2 hash. `ManagementMount` writes each change to the audit log as `management.action` with the account that
/// asked. `verbund accounts` works on the state database directly and stays as it is.
struct AccountManagementRoutes {
    let store: AccountStore
    let clock: @Sendable () -> Date

    /// `POST /api/accounts`.
    struct NewAccount: Codable {
        static let fields: Set<String> = ["name", "role"]
        let name: String
        let role: AccountRole
    }

    /// What add and reset answer: the account and its secret, this once.
    struct IssuedSecret: Codable {
        let name: String
        let role: AccountRole
        let secret: String
    }

    func register(into router: inout Router) {
        router.get("/api/accounts") { _, _ in try ManagementJSON.response(["accounts": try store.list()]) }
        router.post("/api/accounts", bodyLimit: 4096) { _, body in
            let request = try ManagementBody.decode(NewAccount.self, from: try body.readAll(), fields: NewAccount.fields)
            guard AccountStore.isValidName(request.name), request.name != ManagementToken.fileName else {
                throw HTTPError(.badRequest, "'\(DatasetPublication.printable(request.name))' is no account name: use 1-64 characters "
                                + "a-z, 0-9, '.', '_', '-' (not \(ManagementToken.fileName))")
            }
            guard try store.stored(request.name) == nil else {
                throw HTTPError(.conflict, "an account '\(request.name)' exists already; reset its secret or remove it first")
            }
            let secret = try AccountStore.generateSecret()
            do {
                let account = try store.add(request.name, role: request.role, secret: secret, now: clock())
                return try ManagementJSON.response(IssuedSecret(name: account.name, role: account.role, secret: secret), status: .created)
            } catch let error as AccountError {
                throw HTTPError(.conflict, error.description)
            }
        }
        router.delete("/api/accounts/:name") { request, _ in
            let name = try existing(request)
            try store.remove(name)
            return try ManagementJSON.response(["removed": name])
        }
        router.post("/api/accounts/:name/reset") { request, _ in
            let name = try existing(request)
            let role = try store.stored(name)?.role ?? .viewer
            let secret = try AccountStore.generateSecret()
            try store.reset(name, secret: secret, now: clock())
            return try ManagementJSON.response(IssuedSecret(name: name, role: role, secret: secret))
        }
    }

    private func existing(_ request: HTTPRequest) throws -> String {
        let name = request.parameter("name") ?? ""
        guard AccountStore.isValidName(name), try store.stored(name) != nil else {
            throw HTTPError(.notFound, "there is no account '\(DatasetPublication.printable(name))'; list them with GET /api/accounts")
        }
        return name
    }
}
