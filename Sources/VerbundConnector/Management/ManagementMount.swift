import Foundation
import Synchronization
import VerbundHTTP
import VerbundTransport

/// The management listener's router. In order, every request must:
/// 1. name a loopback host or the listener's own in `Host` (DNS rebinding: 400 without one, 421 for another name);
/// 2. for every route but the open ones (`ManagementRoutePermissions.open`), authenticate (`ManagementAuthentication`):
///    the operator token as `Authorization: Bearer <token>`, or an account as `Authorization: Basic <name:secret>`
///    (401); while failed logins are over their limit only the operator token is checked — accounts' secrets are not,
///    and refusals are not logged;
/// 3. come from a role that holds the permission the route needs (`ManagementRoutePermissions`; 403 naming the roles
///    that may).
/// Only a request that passed all of that reaches the handler — with its `ManagementCaller` in `request.caller` — and,
/// if it may change something, the audit log with the account's name: a stranger can neither write audit entries nor
/// fill the log (refusals are logged at most `refusalLogsPerMinute`).
/// Errors answer JSON `{"error": …}`; requests are counted per route and status.
enum ManagementMount {
    /// Log lines about refused requests (wrong host, no token) per minute; the rest are only counted.
    static let refusalLogsPerMinute = 10
    static let misdirected = HTTPStatus(code: 421, reasonPhrase: "Misdirected Request")

    /// Shared by every route of one listener.
    private final class Guard: Sendable {
        let hosts: ManagementHostCheck
        let failures: AuthenticationFailures
        let refusalLogs = Mutex(TokenBucket(capacity: ManagementMount.refusalLogsPerMinute, per: .seconds(60)))

        init(listenerHost: String, failures: AuthenticationFailures) {
            hosts = ManagementHostCheck(listenerHost: listenerHost)
            self.failures = failures
        }

        func mayLogRefusal() -> Bool { refusalLogs.withLock { $0.take(now: .now) } }
    }

    /// Mounts `routes` behind the guard; `authentication` defaults to `token` and the accounts of the state database;
    /// `failures` is the listener's failure limit (shared with the console's login), a new one from `failureLimit`
    /// when not given.
    static func mount(_ routes: Router, token: ManagementToken, context: ConnectorContext,
                      failureLimit: AuthenticationFailureLimit.Settings = .init(),
                      failures: AuthenticationFailures? = nil,
                      authentication: ManagementAuthentication? = nil) -> Router {
        let listenerHost = HostPort(context.configuration.management)?.host ?? "127.0.0.1"
        let guardian = Guard(listenerHost: listenerHost, failures: failures ?? AuthenticationFailures(settings: failureLimit))
        let authentication = authentication
            ?? ManagementAuthentication(token: token, accounts: AccountStore(database: context.database))
        var router = Router()
        for route in routes.routes {
            let pattern = route.pattern.description
            // Console pages check their session cookie and role themselves (`ConsoleRoutes`); only the host is checked here.
            let open = ManagementRoutePermissions.open.contains(pattern) || ManagementRoutePermissions.isConsole(pattern)
            router.add(route.method, pattern, bodyLimit: route.bodyLimit) { request, body in
                let response: HTTPResponse
                switch admit(request, open: open, authentication: authentication, guardian: guardian, context: context) {
                case let .refused(refusal):
                    response = refusal
                case let .admitted(caller?):
                    if let refusal = forbid(request, caller: caller, pattern: pattern, guardian: guardian, context: context) {
                        response = refusal
                    } else {
                        response = handle(request, body, as: caller, route: route, pattern: pattern, context: context)
                    }
                case .admitted(nil):
                    response = handle(request, body, as: nil, route: route, pattern: pattern, context: context)
                }
                context.metrics.increment(ConnectorMetrics.requests,
                                          labels: ["listener": "management", "route": pattern, "status": String(response.status.code)])
                return response
            }
        }
        addFallback(into: &router, known: routes, guardian: guardian, context: context)
        return router
    }

    /// Runs the route's handler and records the action; `caller` travels with the request, as `DSPMount` hands
    /// routes the admitted member.
    private static func handle(_ request: HTTPRequest, _ body: RequestBody, as caller: ManagementCaller?, route: Router.Route,
                               pattern: String, context: ConnectorContext) -> HTTPResponse {
        let admitted = HTTPRequest(head: request.head, target: request.target, pathParameters: request.pathParameters,
                                   peer: caller, remoteAddress: request.remoteAddress, abortConnection: request.abortConnection)
        let response = answer(admitted, body, handler: route.handler, context: context, pattern: pattern)
        // The console records the API calls it makes, with the session's account (`ConsoleRoutes.call`).
        if !ManagementRoutePermissions.isConsole(pattern) {
            AdminActionRecord.record(admitted, pattern: pattern, status: response.status.code, context: context)
        }
        return response
    }

    /// Catch-all routes after the real ones, so an unknown path (404) or method (405 with `Allow`, RFC 9110 §15.5.6)
    /// is answered in JSON like every other error of this API. Only the host check applies: they reveal nothing.
    private static func addFallback(into router: inout Router, known: Router, guardian: Guard, context: ConnectorContext) {
        let fallback: HTTPHandler = { request, _ in
            let response: HTTPResponse
            if case .foreign = guardian.hosts.check(request.headers["Host"]) {
                response = ManagementJSON.error("this listener answers only requests for a loopback host or "
                    + "\(guardian.hosts.listenerHost)", status: misdirected)
            } else if case let .methodNotAllowed(allowed) = known.resolve(method: request.method, path: request.target.segments) {
                var refusal = ManagementJSON.error("\(request.method) is not allowed on \(request.path); use "
                    + allowed.map(\.rawValue).joined(separator: " or "), status: .methodNotAllowed)
                refusal.headers.add("Allow", allowed.map(\.rawValue).joined(separator: ", "))
                response = refusal
            } else {
                response = ManagementJSON.error("no route \(request.path); the routes are in GET /api/openapi.json "
                    + "(docs/management-api.md)", status: .notFound)
            }
            context.metrics.increment(ConnectorMetrics.requests, labels: [
                "listener": "management", "route": "(unmatched)", "status": String(response.status.code)])
            return response
        }
        // Not HEAD: the router answers HEAD with the GET route of a path, which a HEAD catch-all would shadow.
        for method in [HTTPMethod.get, .post, .put, .delete, .patch, .options] {
            router.add(method, "/*", fallback)
        }
    }

    private enum Admission {
        case refused(HTTPResponse)
        /// May reach the handler; the caller is nil on the open routes.
        case admitted(ManagementCaller?)
    }

    /// Host check, failure limit and authentication of one request.
    private static func admit(_ request: HTTPRequest, open: Bool, authentication: ManagementAuthentication,
                              guardian: Guard, context: ConnectorContext) -> Admission {
        switch guardian.hosts.check(request.headers["Host"]) {
        case .accepted:
            break
        case .missing:
            return .refused(ManagementJSON.error("the request has no Host field (RFC 9112 §3.2)", status: .badRequest))
        case let .foreign(host):
            if guardian.mayLogRefusal() {
                context.logger.warning("management.host.refused", ["host": .string(host), "peer": .string(request.remoteAddress)])
            }
            return .refused(ManagementJSON.error(
                "this listener answers only requests for a loopback host or \(guardian.hosts.listenerHost), not '\(host)'",
                status: misdirected))
        }
        guard !open else { return .admitted(nil) }
        // The operator token is 256 random bits compared in constant time: guessing it is hopeless, so even during a
        // lockout it passes and a local process cannot lock the operator out. The lockout stops logging refusals and
        // checking accounts' secrets (each check costs a PBKDF2).
        let operatorToken = authentication.token.authorizes(request.headers["Authorization"])
        let decision = operatorToken ? .check : guardian.failures.decide(now: .now)
        if case let .locked(first) = decision {
            if first {
                context.logger.warning("management.authentication.rate-limited", [
                    "peer": .string(request.remoteAddress),
                    "advice": "too many requests without valid credentials; check who is calling the management API",
                ])
            }
            var response = ManagementJSON.error("too many failed authentications within a minute; only the operator token "
                + "is accepted now (it is in the data directory's \(ManagementToken.fileName)); accounts can log in again "
                + "in a minute", status: .unauthorized)
            response.headers.add("WWW-Authenticate", "Bearer realm=\"verbund\", error=\"invalid_token\"")
            return .refused(response)
        }
        let outcome = authentication.authenticate(request.headers["Authorization"])
        let message: String
        var challenge = "Bearer realm=\"verbund\""
        switch outcome {
        case let .authenticated(caller):
            return .admitted(caller)
        case let .unavailable(reason):
            if guardian.mayLogRefusal() { context.logger.error("management.accounts.unavailable", ["error": .string(reason)]) }
            // The details (paths, SQLite's words) go to the log only, not to a caller not yet known.
            return .refused(ManagementJSON.error("cannot check the account now: the state database failed (the connector's "
                + "log says why, event management.accounts.unavailable)", status: .serviceUnavailable))
        case .missing:
            // RFC 6750 §3.1: no credentials get a bare challenge, wrong ones `invalid_token`, so the two are told apart.
            message = "this route needs Authorization: Bearer <token> (the token is in the data directory's "
                + "\(ManagementToken.fileName)) or an account's name and secret as Authorization: Basic (curl -u NAME:SECRET)"
        case .wrongToken:
            message = "the token is not this connector's: use the one in the data directory's \(ManagementToken.fileName) "
                + "(a new one is made when that file is deleted and the connector restarts)"
            challenge = "Bearer realm=\"verbund\", error=\"invalid_token\""
        case .wrongAccount:
            message = "no account with this name and secret; an operator can reset it with `verbund accounts reset NAME`"
            challenge = "Basic realm=\"verbund\", charset=\"UTF-8\""  // RFC 7617 §2.1
        case let .malformed(reason):
            message = reason + "; send Authorization: Bearer <token> or Basic <base64 of name:secret>"
            challenge = "Bearer realm=\"verbund\", error=\"invalid_token\""
        }
        guardian.failures.failed(now: .now)
        if guardian.mayLogRefusal() {
            context.logger.notice("management.unauthorized", ["path": .string(request.path), "peer": .string(request.remoteAddress)])
        }
        var response = ManagementJSON.error(message, status: .unauthorized)
        response.headers.add("WWW-Authenticate", challenge)
        return .refused(response)
    }

    /// 403 when `caller`'s role lacks the permission `pattern` needs, naming the roles that hold it; nil when allowed.
    private static func forbid(_ request: HTTPRequest, caller: ManagementCaller, pattern: String, guardian: Guard,
                               context: ConnectorContext) -> HTTPResponse? {
        guard case let .refused(needs, roles) = ManagementRoutePermissions.decide(caller.role, request.method, pattern) else {
            return nil
        }
        if guardian.mayLogRefusal() {
            context.logger.notice("management.forbidden", ["account": .string(caller.name), "role": .string(caller.role.rawValue),
                                                           "route": .string(pattern), "method": .string(request.method.rawValue)])
        }
        return ManagementJSON.forbidden(RoleRefusal(
            error: ManagementRoutePermissions.refusalMessage(caller.role, request.method, pattern, needs: needs, roles: roles),
            account: caller.name, role: caller.role, permission: needs, roles: roles))
    }

    private static func answer(_ request: HTTPRequest, _ body: RequestBody, handler: HTTPHandler, context: ConnectorContext,
                               pattern: String) -> HTTPResponse {
        do {
            return try handler(request, body)
        } catch let error as HTTPError {
            return ManagementJSON.error(error.message, status: error.status)
        } catch let error as HTTPParseError {
            return ManagementJSON.error(error.reason, status: error.status)
        } catch {
            context.logger.error("management.handler.failed", ["route": .string(pattern), "error": .error(error)])
            return ManagementJSON.error("internal error: \(error)", status: .internalServerError)
        }
    }
}
