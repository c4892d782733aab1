import COpenSSL
import VerbundTrust

/// Remembers the first certificate that failed verification during one handshake, so the error can
/// say *whose* certificate was refused ("certificate revoked" alone does not tell an operator which
/// member it was). OpenSSL does not keep a refused peer certificate (`SSL_get0_peer_certificate`
/// is empty after a failed handshake), so a verify callback records it.
///
/// The record is attached to its `SSL*` as ex_data without a reference; the owning `TLSConnection`
/// keeps it alive for as long as the `SSL*` exists.
final class RefusedCertificateRecord {
    private(set) var certificate: Certificate?
    private(set) var depth: Int32 = 0

    /// The ex_data slot of `SSL` objects that holds the record (allocated once per process).
    private static let exDataIndex: Int32 = shim_SSL_get_ex_new_index()

    /// Passed to `SSL_CTX_set_verify`. Never changes OpenSSL's decision: it returns `preverifyOK` as is.
    static let verifyCallback: @convention(c) (Int32, OpaquePointer?) -> Int32 = { preverifyOK, store in
        guard preverifyOK == 0, let store,
              let sslPointer = X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()),
              let raw = SSL_get_ex_data(OpaquePointer(sslPointer), RefusedCertificateRecord.exDataIndex) else {
            return preverifyOK
        }
        let record = Unmanaged<RefusedCertificateRecord>.fromOpaque(raw).takeUnretainedValue()
        if record.certificate == nil, let current = X509_STORE_CTX_get_current_cert(store) {
            record.certificate = try? Certificate.retaining(current)
            record.depth = X509_STORE_CTX_get_error_depth(store)
        }
        return preverifyOK
    }

    /// Makes the callback find this record through `ssl`.
    func attach(to ssl: OpaquePointer) throws {
        guard SSL_set_ex_data(ssl, Self.exDataIndex, Unmanaged.passUnretained(self).toOpaque()) == 1 else {
            throw TransportError.tls(OpenSSLError.drain("attaching the verification record (SSL_set_ex_data)").description)
        }
    }

    /// " (refused certificate: CN=…, serial …, URI …)" or "" when no certificate failed verification.
    var explanation: String {
        guard let certificate else { return "" }
        let uris = certificate.subjectAltNameURIs
        let position = depth == 0 ? "peer certificate" : "chain certificate at depth \(depth)"
        return " (refused \(position): \(certificate.subject), serial \(certificate.serialNumber.hex)"
            + (uris.isEmpty ? "" : ", URI \(uris.joined(separator: ", "))") + ")"
    }
}
