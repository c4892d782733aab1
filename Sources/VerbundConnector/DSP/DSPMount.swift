import Foundation
import VerbundHTTP
import VerbundTransport

/// Mounts modules' DSP routes under the endpoint's path and wraps every handler in the DSP guard:
///
/// 1. The peer's certificate is admitted again against the registry and CRL held *now* (docs/design.md §11: refused "from the
///    next request on"). A member that is no longer admitted gets 404 — DSP does not reveal what exists to
///    non-members — with `Connection: close`, a log line and a metric.
/// 2. The handler gets a `DSPRequest` that carries the freshly admitted `AdmittedPeer` as a typed value.
/// 3. `DSPFailure` and `HTTPError` become their answers; any other error a 500 without details (logged).
/// 4. Every answer carries `Verbund-Registry-Serial`, `Verbund-CRL-Number` and (with the audit module) `Verbund-Tree-Head`.
///
/// A client without a certificate (possible only with `openVersionEndpoint`, see `ConnectorTLS`) gets the GET routes
/// mounted with `openToAnonymous` — the version endpoint — and for everything else the same 404 with
/// `Connection: close` as a member that is not admitted, logged as `dsp.request.refused`.
enum DSPMount {
    /// Mounts a module's DSP routes under `basePath`; each handler runs only for a peer admitted now.
    static func mount(_ routes: DSPRoutes, under basePath: String, into router: inout Router, context: ConnectorContext) {
        for route in routes.routes {
            let pattern = full(route.pattern, under: basePath)
            router.add(route.method, pattern, bodyLimit: route.bodyLimit, guarded(route.handler, pattern: pattern, context: context))
        }
    }

    /// Mounts routes that need no peer identity (the core's version endpoint at the root). Members reach them through
    /// the guard like any route; `openToAnonymous` names full patterns whose GET route also answers clients without a
    /// certificate.
    static func mountOpen(_ routes: Router, under basePath: String, into router: inout Router, context: ConnectorContext,
                          openToAnonymous: Set<String> = []) {
        for route in routes.routes {
            let pattern = full(route.pattern.description, under: basePath)
            let handler = route.handler
            let servesAnonymous = route.method == .get && openToAnonymous.contains(pattern)
            router.add(route.method, pattern, bodyLimit: route.bodyLimit,
                       guarded({ dsp, body in try handler(dsp.http, body) }, pattern: pattern, context: context,
                               anonymous: servesAnonymous ? handler : nil))
        }
    }

    private static func full(_ pattern: String, under basePath: String) -> String {
        let joined = basePath + (pattern.hasPrefix("/") ? "" : "/") + pattern
        return joined.count > 1 && joined.hasSuffix("/") ? String(joined.dropLast()) : joined
    }

    /// Catch-all routes at the end of the DSP router, so unknown paths and methods are answered through the guard as
    /// well (admitted peers only, registry serial on the answer) with the 404 or 405 the plain router would give.
    static func addFallback(into router: inout Router, context: ConnectorContext) {
        let known = router
        let fallback: DSPHandler = { dsp, _ in
            let request = dsp.http
            switch known.resolve(method: request.method, path: request.target.segments) {
            case let .methodNotAllowed(allowed):
                var response = HTTPResponse.text("\(request.method) is not allowed on \(request.path)\n", status: .methodNotAllowed)
                response.headers.add("Allow", allowed.map(\.rawValue).joined(separator: ", "))
                return response
            case .matched, .notFound:
                return .text("no resource at \(request.path)\n", status: .notFound)
            }
        }
        for method in [HTTPMethod.get, .post, .put, .delete, .patch, .options] {
            router.add(method, "/*", guarded(fallback, pattern: "(unmatched)", context: context))
        }
    }

    /// The guard around one handler. With an `anonymous` handler, a request on a connection without a client
    /// certificate runs that handler unguarded (only the open version endpoint has one).
    static func guarded(_ handler: @escaping DSPHandler, pattern: String, context: ConnectorContext,
                        anonymous open: HTTPHandler? = nil) -> HTTPHandler {
        return { request, body in
            // `request.peer` is nil only when the TLS listener let a client through without a certificate; a member's
            // connection always carries its `AdmittedPeer` and takes the admission path below.
            if let open, request.peer == nil {
                return anonymous(open, request, body, pattern: pattern, context: context)
            }
            let peer = try admit(request, context: context, pattern: pattern)
            let admitted = HTTPRequest(head: request.head, target: request.target, pathParameters: request.pathParameters,
                                       peer: peer, remoteAddress: request.remoteAddress,
                                       abortConnection: request.abortConnection)
            var response: HTTPResponse
            do {
                response = try handler(DSPRequest(http: admitted, peer: peer), body)
            } catch let failure as DSPFailure {
                response = failure.response
            } catch let error as HTTPError {
                response = .text(error.message + "\n", status: error.status)
                for field in error.headers { response.headers.add(field.name, field.value) }
            } catch let error as HTTPParseError {
                // Body framing or limit broken: the server must answer and close, which it does for this error type.
                count(pattern, status: error.status.code, context: context)
                throw error
            } catch {
                context.logger.error("dsp.handler.failed", [
                    "route": .string(pattern), "member": .string(peer.member.id), "error": .error(error),
                ])
                response = .text("internal error\n", status: .internalServerError)
            }
            stamp(&response, context: context)
            count(pattern, status: response.status.code, context: context)
            return response
        }
    }

    /// An open route for a client without a certificate: no admission and no federation headers (they are for
    /// members); a failing handler answers 500 without details, as for members.
    private static func anonymous(_ handler: HTTPHandler, _ request: HTTPRequest, _ body: RequestBody,
                                  pattern: String, context: ConnectorContext) -> HTTPResponse {
        let response: HTTPResponse
        do {
            response = try handler(request, body)
        } catch {
            context.logger.error("dsp.handler.failed", [
                "route": .string(pattern), "peer": .string(request.remoteAddress), "error": .error(error),
            ])
            response = .text("internal error\n", status: .internalServerError)
        }
        count(pattern, status: response.status.code, context: context)
        return response
    }

    /// The peer admitted now, or a 404 that closes the connection.
    static func admit(_ request: HTTPRequest, context: ConnectorContext, pattern: String) throws -> AdmittedPeer {
        guard let handshake = request.peer as? AdmittedPeer else {
            let anonymous = request.peer == nil
            context.logger.warning("dsp.request.refused", [
                "reason": .string(anonymous
                    ? "the client presented no certificate; only GET /.well-known/dspace-version is open to it"
                    : "no admitted client certificate on this connection"),
                "method": .string(request.method.rawValue), "path": .string(request.path),
                "peer": .string(request.remoteAddress),
            ])
            if anonymous { context.metrics.increment(ConnectorMetrics.refusedPeers, labels: ["reason": "noCertificate"]) }
            throw refusal(request, pattern: pattern, context: context)
        }
        switch context.trust.admit(handshake.certificate, at: context.clock()) {
        case let .success(member):
            context.announcements.report(member, FederationHeaders.Announcement(request.headers))
            return AdmittedPeer(member: member, certificate: handshake.certificate)
        case let .failure(reason):
            context.logger.warning("dsp.request.refused", [
                "member": .string(handshake.member.id), "reason": .string(reason.description),
                "path": .string(request.path), "peer": .string(request.remoteAddress),
            ])
            context.metrics.increment(ConnectorMetrics.refusedPeers, labels: ["reason": reason.kind])
            throw refusal(request, pattern: pattern, context: context)
        }
    }

    /// HTTPServer answers an `HTTPParseError` with its status and then closes the connection, which is exactly what a
    /// refused peer gets: 404 (DSP: "unknown … answer 404") and `Connection: close`, so the next request handshakes anew.
    private static func refusal(_ request: HTTPRequest, pattern: String, context: ConnectorContext) -> HTTPParseError {
        count(pattern, status: 404, context: context)
        return HTTPParseError(.notFound, "no resource at \(request.path)")
    }

    static func stamp(_ response: inout HTTPResponse, context: ConnectorContext) {
        FederationHeaders.stamp(&response.headers, registrySerial: context.trust.registry.serial,
                                crlNumber: context.trust.crl.number)
        context.treeHeads.stamp(&response.headers)
    }

    static func count(_ pattern: String, status: Int, context: ConnectorContext) {
        context.metrics.increment(ConnectorMetrics.requests, labels: ["listener": "dsp", "route": pattern, "status": String(status)])
    }
}
