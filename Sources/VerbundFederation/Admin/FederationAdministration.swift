import Foundation
import VerbundTrust

/// The federation admin's operations on a `FederationFolder`: create the federation, admit, suspend, reinstate,
/// revoke and renew members, and check the folder's consistency. Every change writes a new signed registry
/// (serial + 1) and, for revocations, a new CRL; every write is crash-safe (`AtomicFile`).
package struct FederationAdministration: Sendable {
    package let folder: FederationFolder
    package let root: CertificateAuthority
    package internal(set) var signer: RegistrySigner
    package let current: SignedRegistry
    package let crl: CertificateRevocationList

    /// How long each CRL is valid; the admin reissues it before then (every change reissues it anyway).
    package static let crlValidityDays = 30

    package var registry: MemberRegistry { current.registry }
    package var federationId: String { current.registry.federation.id }

    /// Opens an existing admin folder: reads the keys, certificates, CRL, and verifies the current registry.
    package init(folder: FederationFolder, now: Date = Date()) throws(AdminError) {
        self.folder = folder
        for required in [folder.rootCertificate, folder.registry, folder.crl, folder.rootKey, folder.signerKey, folder.signerCertificate]
        where !FileManager.default.fileExists(atPath: required) {
            throw .notAFederation(path: folder.path, missing: (required as NSString).lastPathComponent)
        }
        let rootCertificate = try Self.crypto("reading \(folder.rootCertificate)") { try Certificate.all(pemFile: folder.rootCertificate)[0] }
        let rootKey = try Self.crypto("reading \(folder.rootKey)") { try PrivateKey(pemFile: folder.rootKey) }
        root = try Self.crypto("pairing the root key with root.pem") { try CertificateAuthority(certificate: rootCertificate, key: rootKey) }
        let signerCertificate = try Self.crypto("reading \(folder.signerCertificate)") { try Certificate.all(pemFile: folder.signerCertificate)[0] }
        let signerKey = try Self.crypto("reading \(folder.signerKey)") { try PrivateKey(pemFile: folder.signerKey) }
        signer = RegistrySigner(certificate: signerCertificate, key: signerKey)
        crl = try Self.crypto("reading \(folder.crl)") { try CertificateRevocationList(pemFile: folder.crl) }
        let compact = try Self.readText(folder.registry)
        do {
            // The admin must be able to open a folder whose signer certificate has expired, to rotate it; the
            // registry's integrity is checked at a time the signer was valid. Connectors check at `now`.
            let checkTime = min(now, signerCertificate.notAfter)
            current = try SignedRegistry(compact: compact, root: rootCertificate, crl: nil, expectedFederation: nil, at: checkTime)
        } catch {
            throw .inconsistent("\(folder.registry): \(error)")
        }
    }

    /// Creates a federation in `folder`: root CA, registry signer, empty registry (serial 1) and empty CRL (number 1).
    /// Refuses if a federation already lives there.
    @discardableResult
    package static func create(
        in folder: FederationFolder, id: String, name: String, rootDays: Int = 3650, signerDays: Int = 825, now: Date = Date()
    ) throws(AdminError) -> FederationAdministration {
        do { try Identifier.check(id, kind: "federation id") } catch { throw .invalidInput(error.description) }
        let trimmedName = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmedName.isEmpty else { throw .invalidInput("the federation name is empty; pass --name \"Stadtverbund Thüringen\"") }
        for marker in folder.markers + [folder.crl] where FileManager.default.fileExists(atPath: marker) {
            throw .alreadyExists(path: marker)
        }
        try makeFolder(folder.path, mode: 0o755)
        try makeFolder(folder.privateFolder, mode: 0o700)
        try makeFolder(folder.issuedFolder, mode: 0o755)

        let rootKey = try crypto("generating the root key") { try PrivateKey.generateP256() }
        try crypto("writing \(folder.rootKey)") { try rootKey.write(toFile: folder.rootKey) }
        let root = try crypto("creating the root CA") {
            try CertificateAuthority.selfSignedRoot(name: "\(trimmedName) Root CA", organization: trimmedName, key: rootKey, days: rootDays, now: now)
        }
        let signerKey = try crypto("generating the registry signing key") { try PrivateKey.generateP256() }
        try crypto("writing \(folder.signerKey)") { try signerKey.write(toFile: folder.signerKey) }
        let signerCertificate = try crypto("issuing the registry signer certificate") {
            let csr = try CertificateSigningRequest(commonName: "\(trimmedName) Registry Signer", organization: trimmedName, key: signerKey)
            return try root.issue(csr: csr, subjectAltNameURIs: [], organization: trimmedName, days: signerDays, now: now, profile: .registrySigner)
        }
        try AtomicFile.write(root.certificate.pem, to: folder.rootCertificate, exclusive: true)
        try AtomicFile.write(signerCertificate.pem, to: folder.signerCertificate, exclusive: true)

        let crl = try crypto("signing the first CRL") {
            try root.revocationList(revoked: [], number: 1, thisUpdate: now, nextUpdate: now.addingTimeInterval(Double(crlValidityDays) * 86_400))
        }
        try AtomicFile.write(crl.pem, to: folder.crl, exclusive: true)
        let registry = MemberRegistry(federation: .init(id: id, name: trimmedName), serial: 1, issuedAt: now)
        let signer = RegistrySigner(certificate: signerCertificate, key: signerKey)
        let signed = try crypto("signing the first registry") { try SignedRegistry.sign(registry, signer: signer, root: root.certificate) }
        try AtomicFile.write(signed.compact + "\n", to: folder.registry, exclusive: true)
        return try FederationAdministration(folder: folder, now: now)
    }

    /// Signs `registry` and replaces registry.jws with it.
    func publish(_ registry: MemberRegistry) throws(AdminError) -> SignedRegistry {
        let signed = try Self.crypto("signing registry serial \(registry.serial)") {
            try SignedRegistry.sign(registry, signer: signer, root: root.certificate)
        }
        try AtomicFile.write(signed.compact + "\n", to: folder.registry)
        return signed
    }

    /// Signs a CRL with `entries` under the next CRL number and replaces crl.pem with it.
    func publishCRL(_ entries: [RevokedCertificate], now: Date) throws(AdminError) -> CertificateRevocationList {
        let number = (crl.number ?? 0) + 1
        let next = try Self.crypto("signing CRL number \(number)") {
            try root.revocationList(revoked: entries, number: number, thisUpdate: now,
                                    nextUpdate: now.addingTimeInterval(Double(Self.crlValidityDays) * 86_400))
        }
        try AtomicFile.write(next.pem, to: folder.crl)
        return next
    }

    /// Reissues the CRL with the same entries and a fresh nextUpdate (run before the old one goes stale).
    package func refreshCRL(now: Date = Date()) throws(AdminError) -> CertificateRevocationList {
        try publishCRL(crl.entries, now: now)
    }

    static func crypto<T>(_ operation: String, _ body: () throws -> T) throws(AdminError) -> T {
        do {
            return try body()
        } catch let error as AdminError {
            throw error
        } catch {
            throw .crypto(operation: operation, reason: "\(error)")
        }
    }

    static func readText(_ path: String) throws(AdminError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .file(operation: "reading", path: path, reason: "file missing or unreadable")
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func makeFolder(_ path: String, mode: mode_t) throws(AdminError) {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
            guard isFolder.boolValue else { throw .file(operation: "creating folder", path: path, reason: "a file of that name exists") }
            return
        }
        guard mkdir(path, mode) == 0 || errno == EEXIST else {
            throw .file(operation: "creating folder", path: path, reason: AtomicFile.errnoText())
        }
        _ = chmod(path, mode)
    }
}
