import Foundation
import VerbundTrust

/// What a city runs to join: a key pair that never leaves the city, a CSR for the federation admin, and the
/// files the city keeps (`member.key` 0600, `member.csr`, later `member.pem` from the admin).
package struct MemberEnrollment: Sendable {
    package let folder: String
    package let memberId: String
    package let name: String
    package let ags: MunicipalityKey?
    /// Known when the federation's public files were given; then it is the CSR's SAN URI.
    package let participant: ParticipantID?
    package let csr: CertificateSigningRequest

    package var keyFile: String { Self.keyFile(in: folder) }
    package var csrFile: String { Self.csrFile(in: folder) }
    package var certificateFile: String { folder + "/member.pem" }

    static func keyFile(in folder: String) -> String { folder + "/member.key" }
    static func csrFile(in folder: String) -> String { folder + "/member.csr" }

    /// Creates the key and CSR in `folder`. Refuses to overwrite an existing key or CSR.
    package static func create(
        in folder: String, memberId: String, name: String, ags agsText: String?, federationId: String?
    ) throws(AdminError) -> MemberEnrollment {
        let folder = (folder as NSString).standardizingPath
        do { try Identifier.check(memberId, kind: "member id") } catch { throw .invalidInput(error.description) }
        let trimmedName = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmedName.isEmpty else { throw .invalidInput("the member name is empty; pass --name \"Stadt Jena\"") }
        var ags: MunicipalityKey?
        if let agsText {
            do { ags = try MunicipalityKey(agsText) } catch { throw .invalidInput(error.description) }
        }
        var participant: ParticipantID?
        if let federationId {
            do { participant = try ParticipantID(validatingFederation: federationId, member: memberId) } catch {
                throw .invalidInput(error.description)
            }
        }
        for existing in [keyFile(in: folder), csrFile(in: folder)] where FileManager.default.fileExists(atPath: existing) {
            throw .alreadyExists(path: existing)
        }
        try FederationAdministration.makeFolder(folder, mode: 0o700)
        let key = try FederationAdministration.crypto("generating the member key") { try PrivateKey.generateP256() }
        try FederationAdministration.crypto("writing \(keyFile(in: folder))") { try key.write(toFile: keyFile(in: folder)) }
        let csr = try FederationAdministration.crypto("creating the CSR") {
            try CertificateSigningRequest(commonName: trimmedName, subjectAltNameURIs: participant.map { [$0.urn] } ?? [], key: key)
        }
        try AtomicFile.write(csr.pem, to: csrFile(in: folder), exclusive: true)
        return MemberEnrollment(folder: folder, memberId: memberId, name: trimmedName, ags: ags, participant: participant, csr: csr)
    }

    /// Reads the federation id from a folder of the federation's public files (root.pem + registry.jws), verifying
    /// the registry against that root so a city does not enroll into a forged federation by accident.
    package static func federationId(fromPublicFiles folder: String, now: Date = Date()) throws(AdminError) -> String {
        let layout = FederationFolder(path: folder)
        let rootText = try FederationAdministration.readText(layout.rootCertificate)
        let registryText = try FederationAdministration.readText(layout.registry)
        let root = try FederationAdministration.crypto("reading \(layout.rootCertificate)") { try Certificate(pem: rootText) }
        do {
            return try SignedRegistry(compact: registryText, root: root, crl: nil, expectedFederation: nil, at: now).registry.federation.id
        } catch {
            throw .inconsistent("\(layout.registry): \(error)")
        }
    }
}
