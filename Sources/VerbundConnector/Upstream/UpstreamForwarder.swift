import Foundation
import Synchronization
import VerbundHTTP
import VerbundTransport

/// Sends checked requests to API datasets' upstreams with the project's `HTTPClient` (keep-alive per upstream, a total
/// deadline and a body cap per exchange) on a thread of its own, and hands the answer over through an `UpstreamRelay`.
///
/// What reaches the upstream: the method, the checked target below the base, `Host` (the upstream's), the consumer's
/// negotiation, conditional and range fields when they are sane (`UpstreamRequestHeaders`), `User-Agent: verbund`, and
/// `Authorization` from the dataset's credential file — never anything else of the consumer's request, in particular
/// not its transfer token.
final class UpstreamForwarder: Sendable {
    /// Clients per upstream declaration (its TLS and bounds) and state of its TLS files, at most `maxClients`; the
    /// oldest is dropped, and so is one whose files changed on disk.
    private let clients = Mutex<[(key: Key, client: HTTPClient)]>([])

    private struct Key: Hashable {
        let upstream: DatasetUpstream
        let files: String
    }
    private let maxClients = 32

    init() {}

    /// Why an upstream could not be reached or answered badly, as the consumer is told (status 502 or 504).
    struct Failure: Error, Sendable {
        let status: Int
        let reason: String
        /// What the provider's log and audit entry add for its operator (OpenSSL's reason, say); never sent on.
        var detail: String? = nil
    }

    /// Starts the exchange; the relay gets the head and body. Credential and CA files are read here, so a credential
    /// rotated on disk applies to the next request.
    func start(_ upstream: DatasetUpstream, method: HTTPMethod, subPath: String, query: String?,
               consumerHeaders: HTTPHeaders) throws(Failure) -> UpstreamRelay {
        guard let base = upstream.parsedBase else {
            throw Failure(status: 502, reason: "the dataset's upstream address is not valid any more; ask the provider")
        }
        var headers = UpstreamRequestHeaders.forwarded(consumerHeaders)
        headers.add("User-Agent", "verbund")
        if let file = upstream.credentialFile, let kind = upstream.credentialKind {
            do {
                let contents = try UpstreamCredentialFile.read(file)
                headers.add("Authorization", try UpstreamAuthorization.value(kind: kind, contents: contents, file: file))
            } catch {
                // Logged by the caller with the file's path only; the consumer learns that the provider must act.
                throw Failure(status: 502, reason: "the provider cannot use its credential for this API (\(error)); "
                              + "ask the provider to fix it")
            }
        }
        let request = HTTPClientRequest(method: method, host: base.host, port: base.port,
                                        target: base.target(subPath: subPath, query: query), headers: headers)
        let client = try self.client(for: upstream, base: base)
        let relay = UpstreamRelay()
        let cap = Int(clamping: upstream.maxResponseBytes)
        let deadline = Duration.seconds(upstream.timeoutSeconds)
        let thread = Thread {
            do throws(HTTPClientError) {
                let head = try client.send(request, maxBodyBytes: cap, deadline: deadline) { head, piece in
                    try relay.push(head, piece)
                }
                relay.finish(head: head, error: nil)
            } catch {
                relay.finish(head: nil, error: error)
            }
        }
        thread.name = "verbund.upstream"
        thread.start()
        return relay
    }

    private func client(for upstream: DatasetUpstream, base: UpstreamBase) throws(Failure) -> HTTPClient {
        let key = Key(upstream: upstream, files: base.secure ? UpstreamTLS.fileStamp(upstream) : "")
        if let found = clients.withLock({ $0.first { $0.key == key }?.client }) { return found }
        let connect: HTTPClient.Connect
        if base.secure {
            do {
                connect = try UpstreamTLS.connect(upstream)
            } catch {
                throw Failure(status: 502, reason: "the provider cannot set up TLS for this API; ask the provider",
                              detail: error.description)
            }
        } else {
            connect = HTTPClient.tcp
        }
        let timeout = Duration.seconds(upstream.timeoutSeconds)
        let configuration = HTTPClientConfiguration(
            connectTimeout: min(.seconds(10), timeout), exchangeDeadline: timeout, responseHeadTimeout: timeout,
            bodyProgressTimeout: timeout, writeTimeout: min(.seconds(30), timeout),
            limits: HTTPParserLimits(maxHeaderBytes: 64 * 1024, maxBodyBytes: Int(clamping: upstream.maxResponseBytes)))
        let client = HTTPClient(configuration: configuration, connect: connect)
        return clients.withLock { clients in
            if let found = clients.first(where: { $0.key == key }) { return found.client }
            clients.removeAll { $0.key.upstream == upstream }
            if clients.count >= maxClients { clients.removeFirst() }
            clients.append((key, client))
            return client
        }
    }

    /// The consumer's answer for an exchange that failed before its head.
    static func failure(_ error: HTTPClientError, upstream: DatasetUpstream) -> Failure {
        if error.isTimeout {
            return Failure(status: 504, reason: "the upstream did not answer within \(upstream.timeoutSeconds) s")
        }
        switch error {
        case let .invalidResponse(_, parse) where parse.status.code == 413:
            return Failure(status: 502, reason: "the upstream's answer is larger than this API's cap of "
                           + "\(upstream.maxResponseBytes) bytes")
        case .invalidResponse:
            return Failure(status: 502, reason: "the upstream's answer is not valid HTTP/1.1")
        case let .connectFailed(_, .tls(reason)):
            return Failure(status: 502, reason: "TLS with the upstream failed: its certificate is not trusted by the CA "
                           + "file or trust store the provider configured for this API, or the handshake was refused; "
                           + "ask the provider", detail: reason)
        case let .connectFailed(_, underlying):
            return Failure(status: 502, reason: "the upstream cannot be reached", detail: "\(underlying)")
        case let .transport(_, underlying):
            return Failure(status: 502, reason: "the exchange with the upstream failed", detail: "\(underlying)")
        case .invalidRequest:
            return Failure(status: 502, reason: "the exchange with the upstream failed")
        }
    }
}
