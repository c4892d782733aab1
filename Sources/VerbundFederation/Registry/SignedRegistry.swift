import Foundation
import VerbundTrust

/// A member registry signed as a JWS compact serialization (RFC 7515 §7.1) with ES256 (RFC 7518 §3.4), `x5c` =
/// the registry signer's certificate chain (§4.1.6) and `typ` = `verbund-registry+json` (§4.1.9). The payload is
/// the registry's canonical JSON. Parsing verifies: signature, signer chain to the federation root at `now`,
/// signer profile, payload, federation id.
package struct SignedRegistry: Sendable {
    package static let mediaType = "verbund-registry+json"

    /// The JWS exactly as received or produced (no trailing newline).
    package let compact: String
    package let registry: MemberRegistry
    /// The certificate whose key signed it (`x5c[0]`).
    package let signer: Certificate

    /// Signs `registry` with the signer's key; `x5c` carries the signer and root certificates, `kid` the signer's
    /// certificate fingerprint.
    package static func sign(_ registry: MemberRegistry, signer: RegistrySigner, root: Certificate) throws -> SignedRegistry {
        let header = JWSHeader(kid: signer.certificate.fingerprintSHA256, certificateChain: [signer.certificate, root], typ: mediaType)
        let jws = try CompactJWS.sign(payload: try registry.canonicalJSON(), header: header, key: signer.key)
        return SignedRegistry(compact: jws.serialized, registry: registry, signer: signer.certificate)
    }

    private init(compact: String, registry: MemberRegistry, signer: Certificate) {
        self.compact = compact
        self.registry = registry
        self.signer = signer
    }

    /// Parses and verifies a compact JWS. `crl`, when given, must not list the signer (a stale CRL is still
    /// consulted under `.warn`, and fails the check under `.refuse`). `expectedFederation`, when given, must equal
    /// the registry's federation id.
    package init(
        compact text: String, root: Certificate, crl: CertificateRevocationList?, expectedFederation: String?, at now: Date,
        staleCRLPolicy: StaleCRLPolicy = .warn
    ) throws(RegistryVerificationError) {
        let compact = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let jws: CompactJWS
        do { jws = try CompactJWS(parsing: compact) } catch let error as JWSError {
            switch error {
            case .unsupportedAlgorithm, .unsupportedCriticalHeader: throw .unsupportedHeader(error.description)
            default: throw .malformed(error.description)
            }
        } catch {
            throw .malformed("\(error)")
        }
        guard jws.header.typ == nil || jws.header.typ == Self.mediaType else {
            throw .unsupportedHeader("typ '\(jws.header.typ ?? "")' (expected \(Self.mediaType))")
        }
        guard jws.header.x5c?.isEmpty == false else { throw .missingSignerCertificate }
        let chain: [Certificate]
        do { chain = try jws.verifyWithX5C() } catch JWSError.signatureInvalid {
            throw .signatureInvalid
        } catch {
            throw .malformed("\(error)")
        }
        let signer = chain[0]
        // Only the root we hold is trusted; a root inside x5c is just a hint and is dropped.
        let intermediates = chain.dropFirst().filter { $0 != root }
        let payloadBytes = jws.payload

        switch FederationChain(root: root, crl: crl, staleCRLPolicy: staleCRLPolicy).verify(signer, intermediates: intermediates, at: now) {
        case .valid: break
        case .revoked: throw .signerNotAcceptable("it is revoked (serial \(signer.serialNumber.hex) is on the federation CRL)")
        case let .notIssuedByRoot(reason): throw .signerNotIssuedByRoot(reason)
        case let .invalid(reason): throw .signerNotAcceptable(reason)
        }
        // A connector certificate also chains to the root; only the registry-signer profile may sign registries.
        guard signer.extendedKeyUsage?.contains(.codeSigning) == true, signer.isCA == false else {
            throw .signerNotAcceptable("\(signer.subject) is not a registry signer certificate (extendedKeyUsage codeSigning)")
        }

        let registry: MemberRegistry
        do { registry = try RegistryJSON.decode(MemberRegistry.self, from: payloadBytes) } catch {
            throw .payloadMalformed(RegistryJSON.describe(error))
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
