import Foundation
import VerbundHTTP
import VerbundTransport

/// The management listener's router: every route needs `Authorization: Bearer <token>` (compared in constant time)
/// except the open ones (`/healthz`, `/metrics` — the listener is loopback-only). Errors answer JSON
/// `{"error": …}`; requests are counted per route and status.
enum ManagementMount {
    static let openPaths: Set<String> = ["/healthz", "/metrics"]

    static func mount(_ routes: Router, token: ManagementToken, context: ConnectorContext) -> Router {
        var router = Router()
        for route in routes.routes {
            let pattern = route.pattern.description
            let open = openPaths.contains(pattern)
            router.add(route.method, pattern, bodyLimit: route.bodyLimit) { request, body in
                let response = answer(request, body, handler: route.handler, open: open, token: token, context: context,
                                      pattern: pattern)
                context.metrics.increment(ConnectorMetrics.requests,
                                          labels: ["listener": "management", "route": pattern, "status": String(response.status.code)])
                AdminActionRecord.record(request, pattern: pattern, status: response.status.code, context: context)
                return response
            }
        }
        return router
    }

    private static func answer(_ request: HTTPRequest, _ body: RequestBody, handler: HTTPHandler, open: Bool,
                               token: ManagementToken, context: ConnectorContext, pattern: String) -> HTTPResponse {
        if !open && !token.authorizes(request.headers["Authorization"]) {
            var response = ManagementJSON.error(
                "this route needs Authorization: Bearer <token> (the token is in the data directory's \(ManagementToken.fileName))",
                status: .unauthorized)
            response.headers.add("WWW-Authenticate", "Bearer realm=\"verbund\"")  // RFC 6750 §3
            context.logger.notice("management.unauthorized", ["path": .string(request.path), "peer": .string(request.remoteAddress)])
            return response
        }
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
