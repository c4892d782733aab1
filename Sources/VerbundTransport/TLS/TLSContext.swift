#if canImport(Glibc)
import Glibc
#endif
import COpenSSL
import VerbundTrust

/// An OpenSSL `SSL_CTX` built once from a `TLSConfiguration` and never changed afterwards, so one
/// context is shared by every connection thread (the swift-nio-ssl precedent for `@unchecked Sendable`).
///
/// Reloading trust material (a new CRL, a renewed certificate) means building a new context and
/// swapping it in, e.g. with `TLSContextSlot`; connections already running keep the context they
/// started with, because each `SSL*` holds its own reference (notes §2.3, C14). A live
/// `X509_STORE` is never mutated.
package final class TLSContext: @unchecked Sendable {
    package let role: TLSConfiguration.Role
    /// Client contexts: check the server certificate's host name as well (`SSL_set1_host`).
    package let verifiesServerHostname: Bool
    /// Server contexts: whether a client must present a certificate (`.required` for client contexts).
    package let clientCertificate: TLSConfiguration.ClientCertificate
    let pointer: OpaquePointer

    /// TLS 1.2 suites: ECDHE key exchange with AEAD ciphers only (RFC 7525 §4.2 recommendations).
    static let tls12Ciphers = [
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-ECDSA-CHACHA20-POLY1305",
        "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-CHACHA20-POLY1305",
    ].joined(separator: ":")
    /// TLS 1.3 suites (RFC 8446 §9.1: AES-128-GCM is mandatory; all three are AEAD).
    static let tls13Ciphersuites = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256"

    /// Builds the context; throws `TLSConfigurationError` naming the refused material.
    package init(configuration: TLSConfiguration) throws {
        // Only a client may go without a certificate (`TLSConfiguration.anonymousClient`); it then may also trust the
        // system store instead of given roots.
        let anonymous = configuration.role == .client && configuration.certificateChain.isEmpty && configuration.privateKey == nil
        let identity = configuration.certificateChain.first.flatMap { leaf in configuration.privateKey.map { (leaf, $0) } }
        guard identity != nil || anonymous else { throw TLSConfigurationError.missingCertificate }
        let publicServer = configuration.role == .server && configuration.clientCertificate == .notRequested
        guard !configuration.trustRoots.isEmpty || anonymous || publicServer
            || (configuration.role == .client && configuration.trustsSystemStore) else {
            throw TLSConfigurationError.missingTrustRoot
        }
        guard !configuration.requiresRevocationList || !configuration.revocationLists.isEmpty else {
            throw TLSConfigurationError.revocationListRequired
        }
        guard configuration.minimumVersion <= configuration.maximumVersion else {
            throw TLSConfigurationError.invalidVersionRange
        }
        _ = Self.ignoreBrokenPipes
        ERR_clear_error()
        let method = configuration.role == .server ? TLS_server_method() : TLS_client_method()
        guard let context = SSL_CTX_new(method) else {
            throw TLSConfigurationError.openSSL(.drain("creating the TLS context (SSL_CTX_new)"))
        }
        pointer = context  // freed by deinit from here on, also when a step below throws
        role = configuration.role
        verifiesServerHostname = configuration.verifiesServerHostname
        clientCertificate = configuration.role == .server ? configuration.clientCertificate : .required

        try configureProtocol(configuration)
        if let (leaf, key) = identity {
            try configureIdentity(leaf: leaf, intermediates: configuration.certificateChain.dropFirst(), key: key)
        }
        try configureVerification(configuration)
    }

    deinit { SSL_CTX_free(pointer) }

    /// Versions, suites, groups and options: the protocol floor of docs/design.md §10.
    private func configureProtocol(_ configuration: TLSConfiguration) throws {
        try check(shim_SSL_CTX_set_min_proto_version(pointer, Self.wire(configuration.minimumVersion)), "setting the minimum TLS version")
        try check(shim_SSL_CTX_set_max_proto_version(pointer, Self.wire(configuration.maximumVersion)), "setting the maximum TLS version")
        try check(SSL_CTX_set_cipher_list(pointer, Self.tls12Ciphers), "setting the TLS 1.2 cipher list")
        try check(SSL_CTX_set_ciphersuites(pointer, Self.tls13Ciphersuites), "setting the TLS 1.3 cipher suites")
        try check(shim_SSL_CTX_set1_groups_list(pointer, "X25519:P-256"), "setting the key exchange groups")
        // At least 112-bit security for keys and signatures (RSA ≥ 2048, P-256), whatever the system default.
        SSL_CTX_set_security_level(pointer, 2)
        // No compression (CRIME), no renegotiation, no session tickets; server cipher preference.
        _ = SSL_CTX_set_options(pointer, shim_SSL_OP_hardening())
        // A failed write is never retried with other bytes, but a moved Swift buffer must not be an error.
        _ = shim_SSL_CTX_set_mode(pointer, Int(SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER))
        if configuration.role == .server {
            // No resumption at all: a resumed session would skip the chain and CRL check of this
            // handshake. TLS 1.3 sends tickets even with SSL_OP_NO_TICKET (stateful ones), so also
            // send none (SSL_CTX_set_num_tickets(3)) and keep no server-side cache.
            try check(SSL_CTX_set_num_tickets(pointer, 0), "turning off TLS 1.3 session tickets")
            _ = shim_SSL_CTX_set_session_cache_mode(pointer, shim_SSL_SESS_CACHE_OFF())
            let id = Array(configuration.sessionIDContext.utf8.prefix(Int(SSL_MAX_SID_CTX_LENGTH)))
            try check(SSL_CTX_set_session_id_context(pointer, id, UInt32(id.count)), "setting the session id context")
        }
    }

    /// Our certificate, intermediates and key; OpenSSL checks that the key matches the leaf.
    private func configureIdentity(leaf: Certificate, intermediates: ArraySlice<Certificate>, key: PrivateKey) throws {
        guard let stack = shim_sk_X509_new_null() else {
            throw TLSConfigurationError.openSSL(.drain("allocating the certificate chain"))
        }
        defer { shim_sk_X509_free(stack) }  // the stack only; SSL_CTX_use_cert_and_key takes its own references
        try Self.withPushed(intermediates, onto: stack) {
            try leaf.withUnsafeX509 { x509 in
                try key.withUnsafeEVPKey { evpKey in
                    try check(SSL_CTX_use_cert_and_key(pointer, x509, evpKey, stack, 1),
                              "installing our certificate and private key (do they belong together?)")
                }
            }
        }
    }

    /// Peer verification against the trust roots, with CRLs when given: always on both sides; only a server
    /// built with `.requestedButOptional` lets a client omit its certificate.
    private func configureVerification(_ configuration: TLSConfiguration) throws {
        guard let store = SSL_CTX_get_cert_store(pointer) else {  // borrowed from the context
            throw TLSConfigurationError.openSSL(.drain("reading the certificate store"))
        }
        for root in configuration.trustRoots {
            try root.withUnsafeX509 { x509 in
                try check(X509_STORE_add_cert(store, x509), "adding trust root \(root.subject)")
                if configuration.role == .server {
                    // Names the acceptable CAs in CertificateRequest (RFC 8446 §4.3.2 certificate_authorities).
                    try check(SSL_CTX_add_client_CA(pointer, x509), "listing \(root.subject) as acceptable client CA")
                }
            }
        }
        if configuration.trustRoots.isEmpty && configuration.role == .client {
            // An anonymous client without roots: the system trust store (SSL_CTX_set_default_verify_paths(3)).
            try check(SSL_CTX_set_default_verify_paths(pointer), "loading the system trust store")
        }
        for list in configuration.revocationLists {
            try list.withUnsafeX509CRL { crl in try check(X509_STORE_add_crl(store, crl), "adding CRL of \(list.issuer)") }
        }
        if !configuration.revocationLists.isEmpty {
            // Leaf only: Verbund's members are issued by the root itself (RFC 5280 §6.3).
            try check(X509_STORE_set_flags(store, UInt(X509_V_FLAG_CRL_CHECK)), "enabling CRL checking")
        }
        if let time = configuration.verificationTime, let parameters = SSL_CTX_get0_param(pointer) {
            X509_VERIFY_PARAM_set_time(parameters, time_t(time.timeIntervalSince1970.rounded(.down)))
        }
        // SSL_CTX_set_verify(3): on a server SSL_VERIFY_PEER sends a CertificateRequest and verifies whatever
        // certificate comes back; FAIL_IF_NO_PEER_CERT additionally fails the handshake when none comes.
        // SSL_VERIFY_NONE on a server sends no CertificateRequest at all (`.notRequested`).
        let mode = role == .server && clientCertificate == .notRequested ? SSL_VERIFY_NONE
            : role == .server && clientCertificate == .required ? SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT : SSL_VERIFY_PEER
        SSL_CTX_set_verify(pointer, mode, RefusedCertificateRecord.verifyCallback)
        SSL_CTX_set_verify_depth(pointer, Int32(configuration.maximumChainDepth))
    }

    private func check(_ result: Int32, _ operation: String) throws {
        guard result == 1 else { throw TLSConfigurationError.openSSL(.drain(operation)) }
    }

    private static func wire(_ version: TLSConfiguration.ProtocolVersion) -> Int32 {
        switch version {
        case .tls12: return TLS1_2_VERSION
        case .tls13: return TLS1_3_VERSION
        }
    }

    /// Pushes borrowed `X509*`s while their owners are guaranteed alive, then runs `body`.
    private static func withPushed(_ certificates: ArraySlice<Certificate>, onto stack: OpaquePointer,
                                   _ body: () throws -> Void) throws {
        guard let first = certificates.first else { return try body() }
        try first.withUnsafeX509 { x509 in
            guard shim_sk_X509_push(stack, x509) > 0 else {
                throw TLSConfigurationError.openSSL(.drain("building the certificate chain"))
            }
            try withPushed(certificates.dropFirst(), onto: stack, body)
        }
    }

    /// OpenSSL's socket BIO writes with write(2); a peer that went away would otherwise raise SIGPIPE
    /// and end the whole daemon (notes §2.4). Set once, process-wide, when the first context is built.
    private static let ignoreBrokenPipes: Bool = {
        signal(SIGPIPE, SIG_IGN)
        return true
    }()
}
