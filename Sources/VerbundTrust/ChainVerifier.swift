import COpenSSL
import Foundation

/// Verifies certificate chains to a fixed set of trust anchors (RFC 5280 §6) with OpenSSL's `X509_verify_cert`,
/// at a chosen time and, when CRLs are given, with revocation checking of the leaf (`X509_V_FLAG_CRL_CHECK`).
package struct ChainVerifier: Sendable {
    /// What the leaf must be good for (its extendedKeyUsage), checked by OpenSSL's purpose rules.
    package enum Purpose: Sendable, Hashable {
        /// No purpose check (e.g. signer certificates of JWS).
        case any
        /// TLS client authentication (a connector calling a peer).
        case tlsClient
        /// TLS server authentication.
        case tlsServer

        var openSSLPurpose: Int32? {
            switch self {
            case .any: return nil
            case .tlsClient: return X509_PURPOSE_SSL_CLIENT
            case .tlsServer: return X509_PURPOSE_SSL_SERVER
            }
        }
    }

    package let trustAnchors: [Certificate]
    package let revocationLists: [CertificateRevocationList]

    /// With no CRLs, revocation is not checked; with CRLs, a leaf whose issuer has no CRL here fails
    /// ("unable to get certificate CRL"), so revocation can never be skipped by accident.
    package init(trustAnchors: [Certificate], revocationLists: [CertificateRevocationList] = []) {
        self.trustAnchors = trustAnchors
        self.revocationLists = revocationLists
    }

    /// One root and optionally its CRL.
    package init(root: Certificate, crl: CertificateRevocationList? = nil) {
        self.init(trustAnchors: [root], revocationLists: crl.map { [$0] } ?? [])
    }

    /// Verifies `leaf` (with untrusted `intermediates`) at `time`; returns the chain from leaf to trust anchor.
    /// Throws `ChainVerificationError` naming the reason, or `OpenSSLError` if OpenSSL could not even start.
    @discardableResult
    package func verify(_ leaf: Certificate, intermediates: [Certificate] = [], at time: Date = Date(),
                       purpose: Purpose = .any) throws -> [Certificate] {
        let store = try VerificationStore(anchors: trustAnchors, crls: revocationLists)
        guard let context = X509_STORE_CTX_new() else { throw OpenSSLError.drain("allocating a verification context") }
        defer { X509_STORE_CTX_free(context) }
        guard let untrusted = shim_sk_X509_new_null() else { throw OpenSSLError.drain("allocating the intermediate list") }
        // The stack borrows the pointers (sk_X509_free, not pop_free): `intermediates` keeps them alive until return.
        defer { shim_sk_X509_free(untrusted) }
        for certificate in intermediates {
            try certificate.withUnsafeX509 { x509 in
                guard shim_sk_X509_push(untrusted, x509) > 0 else { throw OpenSSLError.drain("adding an intermediate") }
            }
        }
        return try withExtendedLifetime(intermediates) {
            try leaf.withUnsafeX509 { x509 in
                guard X509_STORE_CTX_init(context, store.pointer, x509, untrusted) == 1 else {
                    throw OpenSSLError.drain("starting chain verification")
                }
                X509_STORE_CTX_set_time(context, 0, ASN1.epochSeconds(time))
                if let code = purpose.openSSLPurpose, X509_STORE_CTX_set_purpose(context, code) != 1 {
                    throw OpenSSLError.drain("setting the verification purpose")
                }
                let verified = X509_verify_cert(context)
                ERR_clear_error()  // the outcome is in the context, not on the error queue
                guard verified == 1 else { throw Self.failure(of: context) }
                return try Self.chain(of: context)
            }
        }
    }

    private static func failure(of context: OpaquePointer) -> ChainVerificationError {
        let code = X509_STORE_CTX_get_error(context)
        let reason = X509_verify_cert_error_string(Int(code)).map { String(cString: $0) } ?? "unknown error \(code)"
        let subject = X509_STORE_CTX_get_current_cert(context).map { ASN1.rfc2253(X509_get_subject_name($0)) }
        return ChainVerificationError(code: code, reason: reason, depth: Int(X509_STORE_CTX_get_error_depth(context)),
                                      subject: subject)
    }

    private static func chain(of context: OpaquePointer) throws -> [Certificate] {
        guard let chain = X509_STORE_CTX_get1_chain(context) else { throw OpenSSLError.drain("reading the verified chain") }
        defer { shim_sk_X509_pop_free(chain) }
        return try (0..<shim_sk_X509_num(chain)).map { index in
            guard let x509 = shim_sk_X509_value(chain, index) else { throw OpenSSLError.drain("reading the verified chain") }
            return try Certificate.retaining(x509)
        }
    }
}

/// An owned `X509_STORE` with the anchors and CRLs of one verification.
private final class VerificationStore {
    let pointer: OpaquePointer

    init(anchors: [Certificate], crls: [CertificateRevocationList]) throws {
        guard let store = X509_STORE_new() else { throw OpenSSLError.drain("allocating a certificate store") }
        pointer = store
        // add_cert / add_crl take their own references.
        for anchor in anchors {
            try anchor.withUnsafeX509 { guard X509_STORE_add_cert(store, $0) == 1 else { throw OpenSSLError.drain("adding a trust anchor") } }
        }
        for crl in crls {
            try crl.withUnsafeX509CRL { guard X509_STORE_add_crl(store, $0) == 1 else { throw OpenSSLError.drain("adding a CRL") } }
        }
        if !crls.isEmpty {
            guard X509_STORE_set_flags(store, UInt(X509_V_FLAG_CRL_CHECK)) == 1 else { throw OpenSSLError.drain("enabling CRL checks") }
        }
    }

    deinit { X509_STORE_free(pointer) }
}
