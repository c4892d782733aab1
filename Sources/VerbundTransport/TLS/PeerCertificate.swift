import COpenSSL
import VerbundTrust

/// What a TLS peer proved during the handshake: its leaf certificate and the chain OpenSSL verified
/// it with (leaf first, trust root last), as a `Sendable` value.
///
/// Verbund identifies a member by the URN in its subjectAltName URI (docs/design.md §9: participant id
/// `urn:verbund:<federation>:<member>`), not by a host name; `sha256Fingerprint` ties it to the
/// registry's certificate list. The shortcuts below read `certificate`.
package struct PeerCertificate: Sendable, Equatable, CustomStringConvertible {
    /// The peer's leaf certificate (VerbundTrust's `Certificate`, so callers can re-verify or log it).
    package let certificate: Certificate
    /// The verified chain, leaf first, ending with the trust root that anchored it.
    package let verifiedChain: [Certificate]

    package init(certificate: Certificate, verifiedChain: [Certificate]) {
        self.certificate = certificate
        self.verifiedChain = verifiedChain
    }

    /// subjectAltName URIs (RFC 5280 §4.2.1.6), e.g. `urn:verbund:test:jena`.
    package var uris: [String] { certificate.subjectAltNameURIs }
    /// subjectAltName DNS names.
    package var dnsNames: [String] { certificate.subjectAltNameDNSNames }
    /// SHA-256 of the certificate's DER, lower-case hex.
    package var sha256Fingerprint: String { certificate.fingerprintSHA256 }
    /// Subject in RFC 2253 form, e.g. `CN=jena,O=Verbund Test`.
    package var subject: String { certificate.subject }
    /// Serial number.
    package var serialNumber: SerialNumber { certificate.serialNumber }

    package var description: String {
        "\(subject) (URIs: \(uris.isEmpty ? "none" : uris.joined(separator: ", ")), SHA-256 \(sha256Fingerprint))"
    }

    /// Reads the peer certificate and verified chain of a finished handshake; nil when the peer sent
    /// no certificate (possible only for a client of a `.requestedButOptional` server).
    init?(connection ssl: OpaquePointer) throws {
        // get0: borrowed pointers; `Certificate.retaining` takes its own reference.
        guard let leaf = SSL_get0_peer_certificate(ssl) else { return nil }
        do {
            certificate = try Certificate.retaining(leaf)
            var chain: [Certificate] = []
            if let stack = SSL_get0_verified_chain(ssl) {
                for index in 0..<shim_sk_X509_num(stack) {
                    if let x509 = shim_sk_X509_value(stack, index) { chain.append(try Certificate.retaining(x509)) }
                }
            }
            verifiedChain = chain
        } catch {
            throw TransportError.tls("reading the peer certificate failed: \(error)")
        }
    }
}
