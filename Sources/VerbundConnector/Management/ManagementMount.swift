import Foundation
import Synchronization
import VerbundHTTP
import VerbundTransport

/// The management listener's router. In order, every request must:
/// 1. name a loopback host or the listener's own in `Host` (DNS rebinding: 400 without one, 421 for another name);
/// 2. for every route but the open ones (`/healthz`, `/metrics`), not come while failed logins are over their limit
///    (429, the token is not even checked), and carry `Authorization: Bearer <token>` (compared in constant time).
/// Only a request that passed all of that reaches the handler and, if it may change something, the audit log: a
/// stranger can neither write audit entries nor fill the log (refusals are logged at most `refusalLogsPerMinute`).
/// Errors answer JSON `{"error": …}`; requests are counted per route and status.
enum ManagementMount {
    static let openPaths: Set<String> = ["/healthz", "/metrics", "/api/openapi.json"]
    /// Log lines about refused requests (wrong host, no token) per minute; the rest are only counted.
    static let refusalLogsPerMinute = 10
    static let misdirected = HTTPStatus(code: 421, reasonPhrase: "Misdirected Request")
    static let tooManyRequests = HTTPStatus(code: 429, reasonPhrase: "Too Many Requests")

    /// Shared by every route of one listener.
    private final class Guard: Sendable {
        let hosts: ManagementHostCheck
        let failures: Mutex<AuthenticationFailureLimit>
        let refusalLogs = Mutex(TokenBucket(capacity: ManagementMount.refusalLogsPerMinute, per: .seconds(60)))

        init(listenerHost: String, settings: AuthenticationFailureLimit.Settings) {
            hosts = ManagementHostCheck(listenerHost: listenerHost)
            failures = Mutex(AuthenticationFailureLimit(settings: settings))
        }

        func mayLogRefusal() -> Bool { refusalLogs.withLock { $0.take(now: .now) } }
    }

    static func mount(_ routes: Router, token: ManagementToken, context: ConnectorContext,
                      failureLimit: AuthenticationFailureLimit.Settings = .init()) -> Router {
        let listenerHost = HostPort(context.configuration.management)?.host ?? "127.0.0.1"
        let guardian = Guard(listenerHost: listenerHost, settings: failureLimit)
        var router = Router()
        for route in routes.routes {
            let pattern = route.pattern.description
            let open = openPaths.contains(pattern)
            router.add(route.method, pattern, bodyLimit: route.bodyLimit) { request, body in
                let response: HTTPResponse
                if let refusal = refuse(request, open: open, token: token, guardian: guardian, context: context) {
                    response = refusal
                } else {
                    response = answer(request, body, handler: route.handler, context: context, pattern: pattern)
                    AdminActionRecord.record(request, pattern: pattern, status: response.status.code, context: context)
                }
                context.metrics.increment(ConnectorMetrics.requests,
                                          labels: ["listener": "management", "route": pattern, "status": String(response.status.code)])
                return response
            }
        }
        addFallback(into: &router, known: routes, guardian: guardian, context: context)
        return router
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

    /// The answer for a request that may not reach the handler, or nil when it may.
    private static func refuse(_ request: HTTPRequest, open: Bool, token: ManagementToken, guardian: Guard,
                               context: ConnectorContext) -> HTTPResponse? {
        switch guardian.hosts.check(request.headers["Host"]) {
        case .accepted:
            break
        case .missing:
            return ManagementJSON.error("the request has no Host field (RFC 9112 §3.2)", status: .badRequest)
        case let .foreign(host):
            if guardian.mayLogRefusal() {
                context.logger.warning("management.host.refused", ["host": .string(host), "peer": .string(request.remoteAddress)])
            }
            return ManagementJSON.error(
                "this listener answers only requests for a loopback host or \(guardian.hosts.listenerHost), not '\(host)'",
                status: misdirected)
        }
        guard !open else { return nil }
        let decision = guardian.failures.withLock { $0.decide(now: .now) }
        if case let .locked(first) = decision {
            if first {
                context.logger.warning("management.authentication.rate-limited", [
                    "peer": .string(request.remoteAddress),
                    "advice": "too many requests without a valid token; check who is calling the management API",
                ])
            }
            var response = ManagementJSON.error("too many failed authentications; try again in a minute", status: tooManyRequests)
            response.headers.set("Retry-After", "60")  // RFC 9110 §10.2.3
            return response
        }
        guard token.authorizes(request.headers["Authorization"]) else {
            guardian.failures.withLock { $0.failed(now: .now) }
            if guardian.mayLogRefusal() {
                context.logger.notice("management.unauthorized", ["path": .string(request.path), "peer": .string(request.remoteAddress)])
            }
            // RFC 6750 §3.1: no credentials get a bare challenge, wrong ones `invalid_token`, so the two are told apart.
            let given = request.headers["Authorization"] != nil
            var response = ManagementJSON.error(given
                ? "the token is not this connector's: use the one in the data directory's \(ManagementToken.fileName) "
                    + "(a new one is made when that file is deleted and the connector restarts)"
                : "this route needs Authorization: Bearer <token> (the token is in the data directory's \(ManagementToken.fileName))",
                status: .unauthorized)
            response.headers.add("WWW-Authenticate", given ? "Bearer realm=\"verbund\", error=\"invalid_token\"" : "Bearer realm=\"verbund\"")
            return response
        }
        return nil
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
