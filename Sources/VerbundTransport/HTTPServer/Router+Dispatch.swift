import VerbundHTTP

extension Router {
    /// Answers a request in process, without sockets, exactly as the server routes it (404, 405 with
    /// `Allow`, handler errors as their status, error answers through `errorRenderer` as the server's configuration
    /// would render them). For tests and in-process calls; HEAD bodies are not stripped.
    package func respond(to head: HTTPRequestHead, body: [UInt8] = [], peer: (any Sendable)? = nil,
                        errorRenderer: HTTPErrorRenderer? = nil) -> HTTPResponse {
        answer(to: head, body: body, peer: peer).rendered(by: errorRenderer, target: head.target)
    }

    private func answer(to head: HTTPRequestHead, body: [UInt8], peer: (any Sendable)?) -> HTTPResponse {
        let target: HTTPRequestTarget
        do {
            target = try HTTPRequestTarget(head.target)
        } catch {
            return .text("\(error.reason)\n", status: error.status)
        }
        switch resolve(method: head.method, path: target.segments) {
        case .notFound:
            return .notFound(target)
        case let .methodNotAllowed(allowed):
            return .methodNotAllowed(head.method, target, allowed: allowed)
        case let .matched(route, parameters):
            if let limit = route.bodyLimit, body.count > limit {
                return .text("request body of \(body.count) bytes exceeds the limit of \(limit) bytes\n", status: .contentTooLarge)
            }
            let request = HTTPRequest(head: head, target: target, pathParameters: parameters, peer: peer, remoteAddress: "in-process")
            do {
                return try route.handler(request, RequestBody(bytes: body))
            } catch {
                return .answer(to: error)
            }
        }
    }
}

extension HTTPResponse {
    static func notFound(_ target: HTTPRequestTarget) -> HTTPResponse {
        .text("no resource at \(target.path)\n", status: .notFound)
    }

    static func methodNotAllowed(_ method: HTTPMethod, _ target: HTTPRequestTarget, allowed: [HTTPMethod]) -> HTTPResponse {
        var response = HTTPResponse.text("\(method) is not allowed on \(target.path)\n", status: .methodNotAllowed)
        response.headers.add("Allow", allowed.map(\.rawValue).joined(separator: ", "))
        return response
    }

    /// The answer to an error thrown by a handler: its own status for `HTTPError` and `HTTPParseError`,
    /// 500 without details for anything else (details go to the log, not to the peer).
    static func answer(to error: any Error) -> HTTPResponse {
        switch error {
        case let error as HTTPError:
            var response = HTTPResponse.text(error.message + "\n", status: error.status)
            for field in error.headers { response.headers.add(field.name, field.value) }
            return response
        case let error as HTTPParseError:
            return .text("\(error.reason)\n", status: error.status)
        default:
            return .text("internal error\n", status: .internalServerError)
        }
    }
}
