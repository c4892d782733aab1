import Foundation
import VerbundTrust

extension FederationAdministration {
    /// Replaces the registry signing key and certificate (before the old certificate expires, or after the key
    /// leaked): a new key, a new certificate from the root, the old certificate on the CRL (`superseded` or
    /// `keyCompromise`), and the registry re-signed under the next serial with the new key.
    package func rotateSigner(
        code: RevocationReason = .superseded, days: Int = 825, now: Date = Date()
    ) throws(AdminError) -> (registry: SignedRegistry, crl: CertificateRevocationList, signer: Certificate) {
        let old = signer.certificate
        let name = registry.federation.name
        let key = try Self.crypto("generating the new registry signing key") { try PrivateKey.generateP256() }
        let certificate = try Self.crypto("issuing the new registry signer certificate") {
            let csr = try CertificateSigningRequest(commonName: "\(name) Registry Signer", organization: name, key: key)
            return try root.issue(csr: csr, subjectAltNameURIs: [], organization: name, days: days, now: now, profile: .registrySigner)
        }
        // Key first under a temporary name, then certificate, then rename: the pair on disk always matches.
        let pending = folder.signerKey + ".new"
        try? FileManager.default.removeItem(atPath: pending)
        try Self.crypto("writing \(pending)") { try key.write(toFile: pending) }
        try AtomicFile.write(certificate.pem, to: folder.issuedCertificate(serial: certificate.serialNumber.hex), exclusive: true)
        guard rename(pending, folder.signerKey) == 0 else {
            throw .file(operation: "replacing", path: folder.signerKey, reason: AtomicFile.errnoText())
        }
        try AtomicFile.write(certificate.pem, to: folder.signerCertificate)

        // Registry before CRL: should the CRL write be lost, the files still verify together (the old signer is
        // merely not yet revoked); the other order would leave a registry whose signer the CRL already revokes.
        var rotated = self
        rotated.signer = RegistrySigner(certificate: certificate, key: key)
        let signed = try rotated.publish(registry.next(at: now) { _ in })
        var entries = crl.entries
        if !entries.contains(where: { $0.serialNumber == old.serialNumber }) {
            entries.append(RevokedCertificate(serialNumber: old.serialNumber, revocationDate: RegistryClock.truncated(now), reason: code))
        }
        let newCRL = try publishCRL(entries, now: now)
        return (signed, newCRL, certificate)
    }
}
