import Foundation
import VerbundTrust

/// A member registry signed as a JWS compact serialization (RFC 7515 §7.1) with ES256 (RFC 7518 §3.4), `x5c` =
/// the registry signer's certificate chain (§4.1.6) and `typ` = `verbund-registry+json` (§4.1.9). The payload is
/// the registry's canonical JSON. Parsing verifies: signature, signer chain to the federation root at `now`,
/// signer profile, payload, federation id.
public struct SignedRegistry: Sendable {
    public static let mediaType = "verbund-registry+json"

    /// The JWS exactly as received or produced (no trailing newline).
    public let compact: String
    public let registry: MemberRegistry
    /// The certificate whose key signed it (`x5c[0]`).
    public let signer: Certificate

    private struct Header: Codable {
        var alg: String
        var typ: String?
        var x5c: [String]?
        var crit: [String]?
    }

    /// Signs `registry` with the signer's key; `x5c` carries the signer and root certificates.
    public static func sign(_ registry: MemberRegistry, signer: RegistrySigner, root: Certificate) throws -> SignedRegistry {
        let header = Header(alg: "ES256", typ: mediaType, x5c: [signer.certificate, root].map { Data($0.der).base64EncodedString() })
        let signingInput = Base64URL.encode(try CanonicalJSON.encode(header)) + "." + Base64URL.encode(try registry.canonicalJSON())
        let signature = try ES256.sign(Array(signingInput.utf8), with: signer.key)
        return SignedRegistry(compact: signingInput + "." + Base64URL.encode(signature), registry: registry, signer: signer.certificate)
    }

    private init(compact: String, registry: MemberRegistry, signer: Certificate) {
        self.compact = compact
        self.registry = registry
        self.signer = signer
    }

    /// Parses and verifies a compact JWS. `crl`, when given, must not list the signer. `expectedFederation`, when
    /// given, must equal the registry's federation id.
    public init(
        compact text: String, root: Certificate, crl: CertificateRevocationList?, expectedFederation: String?, at now: Date
    ) throws(RegistryVerificationError) {
        let compact = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let parts = compact.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .malformed("expected 3 dot-separated parts, found \(parts.count)") }
        guard let headerBytes = Base64URL.decode(String(parts[0])) else { throw .malformed("the header is not base64url") }
        guard let payloadBytes = Base64URL.decode(String(parts[1])) else { throw .malformed("the payload is not base64url") }
        guard let signature = Base64URL.decode(String(parts[2])) else { throw .malformed("the signature is not base64url") }
        let header: Header
        do { header = try CanonicalJSON.decode(Header.self, from: headerBytes) } catch {
            throw .malformed("the header is not a JSON object with alg: \(CanonicalJSON.describe(error))")
        }
        // The token never picks the algorithm (RFC 8725 §3.1): only ES256, never `none`.
        guard header.alg == "ES256" else { throw .unsupportedHeader("alg '\(header.alg)' (only ES256 is accepted)") }
        guard header.typ == nil || header.typ == Self.mediaType else {
            throw .unsupportedHeader("typ '\(header.typ ?? "")' (expected \(Self.mediaType))")
        }
        // RFC 7515 §4.1.11: extensions we do not understand must make the JWS invalid.
        if let critical = header.crit, !critical.isEmpty { throw .unsupportedHeader("crit \(critical) is not understood") }
        guard let chainText = header.x5c, let first = chainText.first else { throw .missingSignerCertificate }
        let signer: Certificate
        var intermediates: [Certificate] = []
        do {
            // x5c entries are standard base64 DER, not base64url (RFC 7515 §4.1.6).
            let certificates = try chainText.map { entry -> Certificate in
                guard let der = Data(base64Encoded: entry) else { throw RegistryVerificationError.malformed("an x5c entry is not base64") }
                return try Certificate(der: Array(der))
            }
            signer = certificates[0]
            intermediates = Array(certificates.dropFirst()).filter { $0 != root }
        } catch let error as RegistryVerificationError {
            throw error
        } catch {
            throw .malformed("x5c certificate \(first.prefix(12))… is not a DER certificate: \(error)")
        }
        let signingInput = Array(compact.utf8.prefix(parts[0].utf8.count + 1 + parts[1].utf8.count))
        let signerKey: PublicKey
        do { signerKey = try signer.publicKey } catch { throw .malformed("the signer certificate's key cannot be read: \(error)") }
        guard ES256.verify(signature, for: signingInput, with: signerKey) else { throw .signatureInvalid }

        switch FederationChain(root: root, crl: crl).verify(signer, intermediates: intermediates, at: now) {
        case .valid: break
        case .revoked: throw .signerNotAcceptable("it is revoked (serial \(signer.serialNumber.hex) is on the federation CRL)")
        case let .invalid(reason):
            if reason.contains("not issued by the federation root") {
                throw .signerNotIssuedByRoot("\(signer.subject) was issued by \(signer.issuer)")
            }
            throw .signerNotAcceptable(reason)
        }
        // A connector certificate also chains to the root; only the registry-signer profile may sign registries.
        guard signer.extendedKeyUsage?.contains(.codeSigning) == true, signer.isCA == false else {
            throw .signerNotAcceptable("\(signer.subject) is not a registry signer certificate (extendedKeyUsage codeSigning)")
        }

        let registry: MemberRegistry
        do { registry = try CanonicalJSON.decode(MemberRegistry.self, from: payloadBytes) } catch {
            throw .payloadMalformed(CanonicalJSON.describe(error))
        }
        guard registry.version == MemberRegistry.currentVersion else {
            throw .payloadMalformed("format version \(registry.version) is not supported (this Verbund reads version \(MemberRegistry.currentVersion)); update Verbund")
        }
        if let expectedFederation, registry.federation.id != expectedFederation {
            throw .federationMismatch(expected: expectedFederation, found: registry.federation.id)
        }
        self.init(compact: compact, registry: registry, signer: signer)
    }
}
