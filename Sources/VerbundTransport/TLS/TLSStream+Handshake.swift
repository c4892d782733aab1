#if canImport(Glibc)
import Glibc
#endif
import COpenSSL

extension TLSStream {
    /// Runs the server side of the handshake on an accepted socket, within `handshakeTimeout`.
    ///
    /// The client must present a certificate that chains to the context's trust roots (and is not
    /// revoked); otherwise this throws `TransportError.tls` with OpenSSL's reason, e.g.
    /// "certificate revoked", "peer did not return a certificate". Under a `.requestedButOptional`
    /// context a client may send no certificate at all (the stream's `peerCertificate` is then nil),
    /// but one it sends must pass the same checks. A client that sends nothing throws
    /// `TransportError.timedOut` when the deadline passes. The socket is closed on failure.
    package static func accept(socket: Socket, context: TLSContext, handshakeTimeout: Duration,
                              readTimeout: Duration = .seconds(30), writeTimeout: Duration = .seconds(30)) throws -> TLSStream {
        guard context.role == .server else {
            throw TransportError.tls("a client TLS context cannot accept connections; build it with role .server")
        }
        return try handshake(role: .server, socket: socket, context: context, serverName: nil,
                             handshakeTimeout: handshakeTimeout, readTimeout: readTimeout, writeTimeout: writeTimeout)
    }

    /// Runs the client side of the handshake on a connected socket, within `handshakeTimeout`.
    ///
    /// `serverName` is sent as SNI when it is a DNS name, and checked against the server certificate
    /// only if the context `verifiesServerHostname`. The server's chain is always verified against the
    /// trust roots. With TLS 1.3 a server's refusal of *our* certificate shows only on the first read.
    package static func connect(socket: Socket, context: TLSContext, serverName: String?, handshakeTimeout: Duration,
                               readTimeout: Duration = .seconds(30), writeTimeout: Duration = .seconds(30)) throws -> TLSStream {
        guard context.role == .client else {
            throw TransportError.tls("a server TLS context cannot connect; build it with role .client")
        }
        return try handshake(role: .client, socket: socket, context: context, serverName: serverName,
                             handshakeTimeout: handshakeTimeout, readTimeout: readTimeout, writeTimeout: writeTimeout)
    }

    private static func handshake(role: Role, socket: Socket, context: TLSContext, serverName: String?,
                                  handshakeTimeout: Duration, readTimeout: Duration, writeTimeout: Duration) throws -> TLSStream {
        let deadline = ContinuousClock.now + handshakeTimeout
        do {
            let connection = try TLSConnection(context: context, socket: socket)
            if role == .client, let serverName, !serverName.isEmpty {
                let host = serverName.hasPrefix("[") && serverName.hasSuffix("]")
                    ? String(serverName.dropFirst().dropLast()) : serverName
                // RFC 6066 §3: "Literal IPv4 and IPv6 addresses are not permitted in HostName".
                if !isIPAddress(host) { try connection.setServerNameIndication(host) }
                if context.verifiesServerHostname { try connection.requireServerHost(host) }
            }
            try connection.handshake(role: role, socket: socket, deadline: deadline)
            let peer = try connection.peerCertificate()
            // OpenSSL already enforces this (FAIL_IF_NO_PEER_CERT; a server always sends a certificate with the
            // suites we allow); checked again so a missing certificate can never pass where one is required.
            if peer == nil && !(role == .server && context.clientCertificate != .required) {
                throw TransportError.tls("the \(role == .server ? "client" : "server") presented no certificate")
            }
            return TLSStream(connection: connection, socket: socket, role: role, peer: peer,
                             readTimeout: readTimeout, writeTimeout: writeTimeout)
        } catch TransportError.tls(let reason) where role == .server {
            lingeringClose(socket)
            throw TransportError.tls(reason)
        } catch {
            socket.close()
            throw error
        }
    }

    /// Closes a server socket after a failed handshake without resetting it: unread client bytes
    /// would make the kernel send RST, and an RST can destroy the alert we just sent before the
    /// client reads it. So stop writing, drain briefly (bounded in time and bytes), then close.
    private static func lingeringClose(_ socket: Socket) {
        _ = Glibc.shutdown(socket.fileDescriptor, Int32(SHUT_WR))
        let deadline = ContinuousClock.now + .milliseconds(250)
        var drained = 0
        var buffer = [UInt8](repeating: 0, count: 4096)
        while drained < 64 * 1024 {
            let remaining = deadline - .now
            guard remaining > .zero, (try? socket.wait(for: .read, timeout: remaining)) == true else { break }
            let count = buffer.withUnsafeMutableBytes { Glibc.recv(socket.fileDescriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            guard count > 0 else { break }
            drained += count
        }
        socket.close()
    }

    private static func isIPAddress(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }
}
