import Foundation
import Testing
import VerbundTrust
@testable import VerbundFederation

@Suite struct FederationAdministrationTests {
    @Test func initWritesPublicFilesAndOwnerOnlyKeysAndRefusesToOverwrite() throws {
        let federation = try TestFederation()
        defer { federation.remove() }
        let folder = federation.folder
        for key in [folder.rootKey, folder.signerKey] {
            let attributes = try FileManager.default.attributesOfItem(atPath: key)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
        }
        let privateMode = try FileManager.default.attributesOfItem(atPath: folder.privateFolder)[.posixPermissions] as? Int
        #expect(privateMode == 0o700)
        #expect(try federation.crl.entries.isEmpty)
        #expect(try federation.crl.number == 1)
        #expect(federation.admin.registry.serial == 1)
        #expect(try federation.root.isCA)
        // No temporary files are left behind by the atomic writes.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty)

        #expect(throws: AdminError.alreadyExists(path: folder.rootCertificate)) {
            try FederationAdministration.create(in: folder, id: "thueringen", name: "Again")
        }
    }

    @Test func initRefusesMalformedIdAndEmptyName() throws {
        let scratch = try TemporaryFolder.make()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        #expect(throws: AdminError.self) { try FederationAdministration.create(in: FederationFolder(path: scratch + "/a"), id: "Thü", name: "x") }
        #expect(throws: AdminError.self) { try FederationAdministration.create(in: FederationFolder(path: scratch + "/b"), id: "ok", name: "  ") }
        #expect(throws: AdminError.notAFederation(path: scratch, missing: "root.pem")) {
            try FederationAdministration(folder: FederationFolder(path: scratch))
        }
    }

    @Test func admitIssuesParticipantCertificateAndBumpsSerial() throws {
        let federation = try TestFederation()
        defer { federation.remove() }
        let (_, csr) = try TestFederation.csr(name: "Stadt Jena", uris: ["urn:verbund:thueringen:jena"])
        let issued = try federation.admin.admit(csr: csr, AdmissionRequest(ags: "16053000", endpoint: "https://jena.example/dsp", roles: [.provider]))
        #expect(issued.member.id == "jena")  // from the CSR's SAN
        #expect(issued.member.name == "Stadt Jena")  // from the CSR's CN
        #expect(issued.certificate.subjectAltNameURIs == ["urn:verbund:thueringen:jena"])
        #expect(issued.certificate.isSigned(by: try federation.root))
        #expect(issued.registry.registry.serial == 2)
        #expect(issued.member.ags?.digits == "16053000")
        #expect(issued.member.roles == [.provider])
        #expect(issued.member.certificates == [FederationAdministration.listing(of: issued.certificate)])
        #expect(FileManager.default.fileExists(atPath: federation.folder.issuedCertificate(serial: issued.certificate.serialNumber.hex)))
        #expect(try federation.reopen().registry == issued.registry.registry)
    }

    @Test func admitRefusesDuplicatesMalformedIdsAndBadInput() throws {
        let federation = try TestFederation()
        defer { federation.remove() }
        try federation.admit("jena")
        let admin = try federation.reopen()
        let (_, csr) = try TestFederation.csr(name: "Stadt Jena")
        #expect(throws: AdminError.duplicateMember(id: "jena")) {
            try admin.admit(csr: csr, AdmissionRequest(memberId: "jena", endpoint: "https://jena.example/dsp"))
        }
        for bad in ["Jena", "je na", "urn:x", ""] {
            #expect(throws: AdminError.self) { try admin.admit(csr: csr, AdmissionRequest(memberId: bad, endpoint: "https://x.example/dsp")) }
        }
        #expect(throws: AdminError.self) { try admin.admit(csr: csr, AdmissionRequest(memberId: "x", endpoint: "http://x.example/dsp")) }
        #expect(throws: AdminError.self) { try admin.admit(csr: csr, AdmissionRequest(memberId: "x", ags: "123", endpoint: "https://x.example/dsp")) }
        #expect(throws: AdminError.self) { try admin.admit(csr: csr, AdmissionRequest(memberId: "x", endpoint: "https://x.example/dsp", roles: [])) }
        // A CSR without SAN and without --member cannot be placed.
        #expect(throws: AdminError.self) { try admin.admit(csr: csr, AdmissionRequest(endpoint: "https://x.example/dsp")) }
        // A CSR asking for another federation's participant id is refused.
        let (_, foreign) = try TestFederation.csr(name: "Leipzig", uris: ["urn:verbund:sachsen:leipzig"])
        #expect(throws: AdminError.self) { try admin.admit(csr: foreign, AdmissionRequest(endpoint: "https://x.example/dsp")) }
        #expect(try federation.reopen().registry.serial == 2)
    }

    @Test func csrWithBrokenSignatureIsRefused() throws {
        let federation = try TestFederation()
        defer { federation.remove() }
        let (_, csr) = try TestFederation.csr(name: "Stadt Jena")
        var der = csr.der
        der[der.count - 3] ^= 0x01  // inside the signature BIT STRING
        let broken = try CertificateSigningRequest(der: der)
        #expect {
            try federation.admin.admit(csr: broken, AdmissionRequest(memberId: "jena", endpoint: "https://jena.example/dsp"))
        } throws: { error in
            (error as? AdminError)?.description.contains("proof of possession") == true
        }
    }

    @Test func opensslP256CSRIsAdmittedAndRSA2048IsRefusedAsWeak() throws {
        let federation = try TestFederation()
        defer { federation.remove() }
        let ec = federation.scratch + "/ec.csr"
        let rsa = federation.scratch + "/rsa.csr"
        let made = try Program.run("/usr/bin/openssl", ["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                                        "-subj", "/CN=Stadt Gera", "-keyout", federation.scratch + "/ec.key", "-out", ec])
        #expect(made.status == 0, "\(made.output)")
        let issued = try federation.admin.admit(csr: try CertificateRequestFile.load(ec),
                                                AdmissionRequest(memberId: "gera", endpoint: "https://gera.example/dsp"))
        #expect(issued.member.name == "Stadt Gera")
        #expect(issued.certificate.subjectAltNameURIs == ["urn:verbund:thueringen:gera"])

        let weak = try Program.run("/usr/bin/openssl", ["req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=Weak",
                                                        "-keyout", federation.scratch + "/rsa.key", "-out", rsa])
        #expect(weak.status == 0, "\(weak.output)")
        #expect {
            try federation.reopen().admit(csr: try CertificateRequestFile.load(rsa), AdmissionRequest(memberId: "weak", endpoint: "https://weak.example/dsp"))
        } throws: { error in
            let text = (error as? AdminError)?.description ?? ""
            return text.contains("RSA 2048-bit") && text.contains("too weak")
        }
        #expect(throws: AdminError.self) { try CertificateRequestFile.load(federation.scratch + "/missing.csr") }
        #expect(throws: AdminError.self) { try CertificateRequestFile.load(federation.folder.rootCertificate) }
    }

    @Test func opensslRSA3072CSRIsAccepted() throws {
        let federation = try TestFederation()
        defer { federation.remove() }
        let csr = federation.scratch + "/rsa3072.csr"
        let made = try Program.run("/usr/bin/openssl", ["req", "-new", "-newkey", "rsa:3072", "-nodes", "-subj", "/CN=Stadt Suhl",
                                                        "-keyout", federation.scratch + "/rsa3072.key", "-out", csr])
        #expect(made.status == 0, "\(made.output)")
        let issued = try federation.admin.admit(csr: try CertificateRequestFile.load(csr),
                                                AdmissionRequest(memberId: "suhl", endpoint: "https://suhl.example/dsp"))
        #expect(try issued.certificate.publicKey.kind == .rsa(bits: 3072))
        #expect(try federation.trust().admit(issued.certificate).get().id == "suhl")
    }

    @Test func statusChangesFollowTheRules() throws {
        let federation = try TestFederation()
        defer { federation.remove() }
        try federation.admit("jena")
        #expect(throws: AdminError.self) { try federation.reopen().reinstate(memberId: "jena", reason: nil) }  // already active
        #expect(throws: AdminError.unknownMember(id: "nobody")) { try federation.reopen().suspend(memberId: "nobody", reason: nil) }
        let suspended = try federation.reopen().suspend(memberId: "jena", reason: "audit")
        #expect(suspended.registry.member(id: "jena")?.status == .suspended)
        #expect(suspended.registry.member(id: "jena")?.statusReason == "audit")
        #expect(throws: AdminError.self) { try federation.reopen().suspend(memberId: "jena", reason: nil) }
        let revoked = try federation.reopen().revoke(memberId: "jena", reason: "left", code: .cessationOfOperation)
        #expect(revoked.registry.registry.member(id: "jena")?.status == .revoked)
        #expect(revoked.crl.entries.map(\.reason) == [.cessationOfOperation])
        #expect(revoked.crl.number == 2)
        #expect(throws: AdminError.self) { try federation.reopen().reinstate(memberId: "jena", reason: nil) }
        #expect(throws: AdminError.self) { try federation.reopen().revoke(memberId: "jena", reason: nil) }
        #expect(throws: AdminError.self) {
            let (_, csr) = try TestFederation.csr(name: "Stadt Jena")
            return try federation.reopen().renew(memberId: "jena", csr: csr)
        }
        #expect(try federation.reopen().registry.serial == 4)
    }

    @Test func consistencyCheckPassesAndFindsProblems() throws {
        let federation = try TestFederation()
        defer { federation.remove() }
        try federation.admit("jena", days: 10)
        let folder = federation.folder
        let findings = FederationCheck.run(rootFile: folder.rootCertificate, registryFile: folder.registry, crlFile: folder.crl)
        #expect(!findings.contains { $0.severity == .error }, "\(findings)")
        #expect(findings.contains { $0.severity == .warning && $0.subject == "member jena" && $0.message.contains("expires in") })

        let stale = FederationCheck.run(rootFile: folder.rootCertificate, registryFile: folder.registry, crlFile: folder.crl,
                                        now: Date().addingTimeInterval(31 * 86_400))
        #expect(stale.contains { $0.severity == .error && $0.subject == "crl" && $0.message.contains("stale") })

        let other = try TestFederation()
        defer { other.remove() }
        let foreignCRL = FederationCheck.run(rootFile: folder.rootCertificate, registryFile: folder.registry, crlFile: other.folder.crl)
        #expect(foreignCRL.contains { $0.severity == .error && $0.message.contains("not signed by the federation root") })
    }
}

@Suite struct RegistrySignerRotationTests {
    @Test func rotationRevokesTheOldSignerAndConnectorsFollow() throws {
        let federation = try TestFederation()
        defer { federation.remove() }
        let jena = try federation.admit("jena")
        let trust = try federation.trust()
        let oldSigner = try federation.reopen().signer
        let rotated = try federation.reopen().rotateSigner(code: .keyCompromise)
        #expect(rotated.signer != oldSigner.certificate)
        #expect(rotated.crl.isRevoked(oldSigner.certificate))
        #expect(rotated.registry.signer == rotated.signer)
        #expect(trust.offer(crl: rotated.crl).isAccepted)
        #expect(trust.offer(registry: rotated.registry.compact).isAccepted)
        #expect(try trust.admit(jena).get().id == "jena")

        // The leaked old key can no longer sign a registry a connector takes.
        var forged = rotated.registry.registry
        forged.serial += 10
        let signedWithOld = try SignedRegistry.sign(forged, signer: oldSigner, root: try federation.root)
        guard case let .refused(reason) = trust.offer(registry: signedWithOld.compact) else { Issue.record("old signer accepted"); return }
        #expect(reason.contains("revoked"))

        // The folder stays consistent and reopens with the new signer.
        let admin = try federation.reopen()
        #expect(admin.signer.certificate == rotated.signer)
        let findings = FederationCheck.run(rootFile: federation.folder.rootCertificate, registryFile: federation.folder.registry,
                                           crlFile: federation.folder.crl)
        #expect(!findings.contains { $0.severity == .error }, "\(findings)")
    }

    @Test func folderLockIsExclusive() throws {
        let federation = try TestFederation()
        defer { federation.remove() }
        do {
            let lock = try AdminFolderLock(folder: federation.folder)
            #expect(throws: AdminError.self) { try AdminFolderLock(folder: federation.folder) }
            withExtendedLifetime(lock) {}
        }
        _ = try AdminFolderLock(folder: federation.folder)  // free again once released
    }
}
