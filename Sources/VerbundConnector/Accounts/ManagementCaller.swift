import VerbundJSON
import VerbundTransport

/// Who a management request authenticated as: an account of the state database, or the operator token file.
/// `ManagementMount` sets it on the request it hands to a route (in `HTTPRequest.peer`, as `DSPMount` does with the
/// admitted member), so a route that records an action names the account without any global state.
package struct ManagementCaller: Sendable, Equatable {
    /// How the caller proved who it is.
    package enum Credential: String, Sendable, Equatable {
        /// `Authorization: Basic` with an account's name and secret (RFC 7617).
        case account
        /// `Authorization: Bearer` with the token of `management.token` (RFC 6750).
        case tokenFile = "token-file"
    }

    /// The account name; `management.token` for the token file (a name no account can have, see `AccountStore`).
    package let name: String
    package let role: AccountRole
    package let credential: Credential

    package init(name: String, role: AccountRole, credential: Credential) {
        self.name = name
        self.role = role
        self.credential = credential
    }

    /// The token file's holder: an operator.
    package static let tokenFile = ManagementCaller(name: ManagementToken.fileName, role: .operator, credential: .tokenFile)
}

extension Optional where Wrapped == ManagementCaller {
    /// `account` for an audit entry of an action this caller asked for; empty when nobody authenticated.
    package var auditFields: [String: JSONValue] {
        map { ["account": .string($0.name)] } ?? [:]
    }
}

extension HTTPRequest {
    /// The authenticated caller of a management route; nil on the DSP listener and on the open routes.
    package var caller: ManagementCaller? { peer as? ManagementCaller }
}
