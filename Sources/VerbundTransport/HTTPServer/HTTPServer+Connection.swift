import VerbundHTTP

extension HTTPServer {
    /// Runs the handshake of connection `id` within the total `handshakeTimeout`, then, if admitted, serves it until
    /// it closes, times out, fails, or the server stops.
    func serve(_ connection: AcceptedConnection, id: Int) {
        let remote = connection.socket.peerDescription
        var established: EstablishedConnection?
        do {
            established = try connection.establish(handshakeTimeout: configuration.handshakeTimeout)
        } catch {
            recordRefusal("http.handshake.failed", ["peer": remote, "error": String(describing: error)])
        }
        let next = state.withLock { state in
            let next = state.admission.handshakeEnded(id, established: established != nil)
            if next != .serve { state.connections.removeValue(forKey: id) }
            return next
        }
        switch next {
        case .serve:
            defer {
                state.withLock { state in
                    state.admission.closed(id)
                    state.connections.removeValue(forKey: id)
                }
            }
            serve(established!, id: id, remote: remote)
        case .reject:
            defer { state.withLock { $0.admission.rejectionEnded() } }
            if let established { refuse(established.stream, remote: remote) }
        case .close:
            established?.stream.close()
        }
    }

    /// Serves an established connection.
    private func serve(_ established: EstablishedConnection, id: Int, remote: String) {
        let connectedAt = ContinuousClock.now
        let stream = established.stream
        stream.writeTimeout = configuration.writeTimeout
        let reader = RequestReader(stream: stream, limits: configuration.limits)
        let writer = ResponseWriter(stream: stream)
        var first = true
        while true {
            let head: HTTPRequestHead
            do {
                head = try reader.readHead(
                    firstByteWait: first ? configuration.headerTimeout : configuration.idleTimeout,
                    headTimeout: configuration.headerTimeout,
                    deadline: first ? connectedAt + configuration.headerTimeout : nil,
                    onStart: { _ = mark(id, busy: true) })
            } catch RequestReader.Stop.idle {
                stream.close()
                return
            } catch RequestReader.Stop.headTimeout {
                fail(.requestTimeout, "the request head did not arrive in time", writer: writer, stream: stream, remote: remote)
                return
            } catch let error as HTTPParseError {
                fail(error.status, error.reason, writer: writer, stream: stream, remote: remote)
                return
            } catch {
                stream.close()
                return
            }
            first = false
            _ = mark(id, busy: true)
            let keepAlive = handle(head, reader: reader, writer: writer, peer: established.peer, remote: remote,
                                   abort: { [socket = stream.underlyingSocket] in socket?.shutdownBoth() })
            guard keepAlive, mark(id, busy: false) else {
                if reader.inBody || reader.hasBufferedInput {
                    Lingering.close(stream, within: configuration.rejectionTimeout)
                } else {
                    stream.close()
                }
                return
            }
        }
    }

    /// Routes and answers one request; returns whether the connection may carry another.
    private func handle(_ head: HTTPRequestHead, reader: RequestReader, writer: ResponseWriter,
                        peer: (any Sendable)?, remote: String, abort: @escaping @Sendable () -> Void) -> Bool {
        let started = ContinuousClock.now
        var response: HTTPResponse
        var keepAlive = head.keepAlive
        var bodyLimit = configuration.limits.maxBodyBytes
        var handler: HTTPHandler?
        var request: HTTPRequest?
        do {
            let target = head.target == "*" ? try HTTPRequestTarget("/") : try HTTPRequestTarget(head.target)
            switch router.resolve(method: head.method, path: target.segments) {
            case let .matched(route, parameters):
                bodyLimit = route.bodyLimit ?? bodyLimit
                handler = route.handler
                request = HTTPRequest(head: head, target: target, pathParameters: parameters, peer: peer, remoteAddress: remote,
                                      abortConnection: abort)
                response = .text("")
            case .notFound:
                response = .notFound(target)
            case let .methodNotAllowed(allowed):
                response = .methodNotAllowed(head.method, target, allowed: allowed)
            }
        } catch {
            response = .text("\(error.reason)\n", status: error.status)
            keepAlive = false
        }
        reader.setBodyLimit(bodyLimit)
        if case let .contentLength(length) = head.framing, length > bodyLimit {
            // Refuse before the client sends (or we read) the body (RFC 9110 §15.5.14).
            response = .text("request body of \(length) bytes exceeds the limit of \(bodyLimit) bytes\n", status: .contentTooLarge)
            handler = nil
            keepAlive = false
        }
        if let handler, let request {
            let body = RequestBody(reader: reader, progressTimeout: configuration.bodyProgressTimeout) {
                if head.expectsContinue {
                    try writer.send(HTTPResponseHead(status: .continue).serialized())
                }
            }
            do {
                response = try handler(request, body)
            } catch let error as HTTPError {
                response = .answer(to: error)
            } catch let error as HTTPParseError {
                // The body broke framing or its limit: the rest of the stream cannot be trusted.
                response = .answer(to: error)
                keepAlive = false
            } catch let error as TransportError {
                log.record("http.request.failed", ["peer": remote, "path": head.target, "error": error.description])
                return false
            } catch {
                log.record("http.handler.failed", ["peer": remote, "path": head.target, "error": String(describing: error)])
                response = .answer(to: error)
            }
        }
        if keepAlive && reader.inBody {
            // An unread body must be consumed before the next request can be parsed; a client that
            // waits for 100 Continue never sends it, so give up on the connection instead.
            keepAlive = !head.expectsContinue
                && reader.drainBody(limit: configuration.maxDrainBytes, progressTimeout: configuration.bodyProgressTimeout)
        }
        if isStopping { keepAlive = false }
        response = rendered(response, target: head.target)
        let status = response.status.code
        do {
            let sent = try writer.write(response, omitBody: head.method == .head, keepAlive: keepAlive)
            if log.recordsRequests {
                log.record("http.request", [
                    "method": head.method.rawValue, "target": head.target, "status": status, "bytes": sent,
                    "ms": HTTPServerLog.milliseconds(ContinuousClock.now - started),
                    "peer": remote,
                ])
            }
        } catch let error as HTTPFieldError {
            // Nothing was sent: answer 500 rather than let a value with CR/LF add fields to the response.
            log.record("http.response.refused", ["peer": remote, "target": head.target, "status": status,
                                                 "error": error.description])
            _ = try? writer.write(.text("the response could not be sent: one of its header fields is invalid\n",
                                        status: .internalServerError), omitBody: head.method == .head, keepAlive: false)
            return false
        } catch {
            log.record("http.response.failed", ["peer": remote, "target": head.target, "status": status,
                                                "error": String(describing: error)])
            return false
        }
        return keepAlive
    }

    /// Answers a request that could not be read, then closes.
    private func fail(_ status: HTTPStatus, _ reason: String, writer: ResponseWriter, stream: any ByteStream, remote: String) {
        log.record("http.request.refused", ["peer": remote, "status": status.code, "reason": reason])
        _ = try? writer.write(rendered(.text(reason + "\n", status: status), target: nil), omitBody: false, keepAlive: false)
        Lingering.close(stream, within: configuration.rejectionTimeout)
    }

    /// An error answer as `configuration.errorRenderer` makes it (see `HTTPResponse.rendered(by:target:)`).
    func rendered(_ response: HTTPResponse, target: String?) -> HTTPResponse {
        response.rendered(by: configuration.errorRenderer, target: target)
    }
}
