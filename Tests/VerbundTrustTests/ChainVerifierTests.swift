import Foundation
import Testing
@testable import VerbundTrust

@Suite struct ChainVerifierTests {
    /// A root, a good and a revoked member, and a CRL listing the revoked one.
    struct Federation {
        let pki: TestPKI
        let good: Certificate
        let revoked: Certificate
        let crl: CertificateRevocationList

        init() throws {
            pki = try TestPKI()
            good = try pki.member("good").certificate
            revoked = try pki.member("revoked").certificate
            crl = try pki.authority.revocationList(
                revoked: [RevokedCertificate(serialNumber: revoked.serialNumber, revocationDate: Date(), reason: .keyCompromise)],
                number: 1, thisUpdate: Date().addingTimeInterval(-60), nextUpdate: Date().addingTimeInterval(7 * 86_400))
        }
    }

    @Test func goodLeafVerifiesAndRevokedFails() throws {
        let federation = try Federation()
        let verifier = ChainVerifier(root: federation.pki.root, crl: federation.crl)
        let chain = try verifier.verify(federation.good, purpose: .tlsClient)
        #expect(chain == [federation.good, federation.pki.root])
        try verifier.verify(federation.good, purpose: .tlsServer)

        let error = #expect(throws: ChainVerificationError.self) { try verifier.verify(federation.revoked) }
        #expect(error?.code == ChainVerificationError.revokedCode)
        #expect(error?.reason == "certificate revoked")
        #expect(error?.depth == 0)
        #expect(error?.subject == "CN=revoked")

        // Without a CRL the same certificate passes: revocation is only as good as the CRL supplied.
        try ChainVerifier(root: federation.pki.root).verify(federation.revoked)
    }

    @Test func expiredAndNotYetValidFail() throws {
        let federation = try Federation()
        let verifier = ChainVerifier(root: federation.pki.root, crl: federation.crl)
        let past = Date().addingTimeInterval(-100 * 86_400)
        let oldPKI = try TestPKI(now: past)
        let expired = try oldPKI.member("expired", days: 30, now: past).certificate
        let error = #expect(throws: ChainVerificationError.self) { try ChainVerifier(root: oldPKI.root).verify(expired) }
        #expect(error?.code == ChainVerificationError.expiredCode)
        #expect(error?.reason == "certificate has expired")

        let future = #expect(throws: ChainVerificationError.self) {
            try ChainVerifier(root: federation.pki.root).verify(federation.good, at: Date().addingTimeInterval(40 * 86_400))
        }
        #expect(future?.reason == "certificate has expired")

        let early = #expect(throws: ChainVerificationError.self) {
            try ChainVerifier(root: federation.pki.root).verify(federation.good, at: Date().addingTimeInterval(-86_400))
        }
        #expect(early?.code == ChainVerificationError.notYetValidCode)
        #expect(early?.reason == "certificate is not yet valid")
        // With the CRL, the CRL issued a minute ago is itself not yet valid at that time.
        let crlEarly = #expect(throws: ChainVerificationError.self) {
            try verifier.verify(federation.good, at: Date().addingTimeInterval(-86_400))
        }
        #expect(crlEarly?.reason == "CRL is not yet valid")
    }

    @Test func staleOrMissingCRLFails() throws {
        let federation = try Federation()
        let verifier = ChainVerifier(root: federation.pki.root, crl: federation.crl)
        let stale = #expect(throws: ChainVerificationError.self) {
            try verifier.verify(federation.good, at: Date().addingTimeInterval(8 * 86_400))
        }
        #expect(stale?.reason == "CRL has expired")

        let other = try TestPKI(name: "Other Root")
        let foreignCRL = try other.authority.revocationList(revoked: [], number: 1, nextUpdate: Date().addingTimeInterval(3600))
        let missing = #expect(throws: ChainVerificationError.self) {
            try ChainVerifier(root: federation.pki.root, crl: foreignCRL).verify(federation.good)
        }
        #expect(missing?.reason == "unable to get certificate CRL")

        // A CRL claiming our root's name but signed by another key.
        let impostor = try TestPKI()
        let forgedCRL = try impostor.authority.revocationList(revoked: [], number: 9, nextUpdate: Date().addingTimeInterval(3600))
        let forged = #expect(throws: ChainVerificationError.self) {
            try ChainVerifier(root: federation.pki.root, crl: forgedCRL).verify(federation.good)
        }
        #expect(forged?.reason == "CRL signature failure")
    }

    @Test func foreignCAFails() throws {
        let federation = try Federation()
        let foreign = try TestPKI(name: "Verbund Test Root")  // same name, different key
        let stranger = try foreign.member("stranger").certificate
        let error = #expect(throws: ChainVerificationError.self) {
            try ChainVerifier(root: federation.pki.root, crl: federation.crl).verify(stranger)
        }
        #expect(error?.code == ChainVerificationError.unknownIssuerCode)  // AKI does not match the root's SKI
        let otherName = try TestPKI(name: "Elsewhere Root").member("x").certificate
        let unknown = #expect(throws: ChainVerificationError.self) { try ChainVerifier(root: federation.pki.root).verify(otherName) }
        #expect(unknown?.reason == "unable to get local issuer certificate")
    }

    @Test func purposeIsEnforced() throws {
        let pki = try TestPKI()
        let signer = try pki.member("signer", profile: .registrySigner).certificate
        let verifier = ChainVerifier(root: pki.root)
        try verifier.verify(signer)
        let error = #expect(throws: ChainVerificationError.self) { try verifier.verify(signer, purpose: .tlsClient) }
        #expect(error?.reason == "unsuitable certificate purpose")
    }

    @Test func intermediateChain() throws {
        let root = try CertificateAuthority.selfSignedRoot(name: "Root", key: PrivateKey.generateP256(), days: 30, pathLength: 1)
        let subKey = try PrivateKey.generateP256()
        let subCert = try root.issue(csr: CertificateSigningRequest(commonName: "Sub", key: subKey), subjectAltNameURIs: [],
                                     days: 30, profile: .intermediateCA(pathLength: 0))
        let sub = try CertificateAuthority(certificate: subCert, key: subKey)
        let leaf = try sub.issue(csr: CertificateSigningRequest(commonName: "leaf", key: PrivateKey.generateP256()),
                                 subjectAltNameURIs: ["urn:verbund:test:leaf"], days: 10)
        let verifier = ChainVerifier(root: root.certificate)
        #expect(try verifier.verify(leaf, intermediates: [subCert]) == [leaf, subCert, root.certificate])
        let missing = #expect(throws: ChainVerificationError.self) { try verifier.verify(leaf) }
        #expect(missing?.reason == "unable to get local issuer certificate")

        // pathlen:0 on the root forbids an intermediate below it.
        let strictRoot = try CertificateAuthority.selfSignedRoot(name: "Strict", key: PrivateKey.generateP256(), days: 30)
        let strictSubKey = try PrivateKey.generateP256()
        let strictSub = try strictRoot.issue(csr: CertificateSigningRequest(commonName: "Sub2", key: strictSubKey),
                                             subjectAltNameURIs: [], days: 30, profile: .intermediateCA(pathLength: 0))
        let strictLeaf = try CertificateAuthority(certificate: strictSub, key: strictSubKey)
            .issue(csr: CertificateSigningRequest(commonName: "l2", key: PrivateKey.generateP256()), subjectAltNameURIs: [], days: 1)
        let tooLong = #expect(throws: ChainVerificationError.self) {
            try ChainVerifier(root: strictRoot.certificate).verify(strictLeaf, intermediates: [strictSub])
        }
        #expect(tooLong?.reason == "path length constraint exceeded")
    }

    @Test func opensslVerifyAgrees() throws {
        let federation = try Federation()
        let dir = try TemporaryDirectory()
        _ = try dir.write("root.pem", federation.pki.root.pem)
        _ = try dir.write("crl.pem", federation.crl.pem)
        _ = try dir.write("good.pem", federation.good.pem)
        _ = try dir.write("revoked.pem", federation.revoked.pem)
        let good = try openssl(["verify", "-CAfile", "root.pem", "-crl_check", "-CRLfile", "crl.pem", "good.pem"], in: dir.path)
        #expect(good.status == 0, "\(good.output)")
        #expect(good.output.contains("good.pem: OK"))
        let revoked = try openssl(["verify", "-CAfile", "root.pem", "-crl_check", "-CRLfile", "crl.pem", "revoked.pem"], in: dir.path)
        #expect(revoked.status != 0)
        #expect(revoked.output.contains("certificate revoked"))
        #expect(throws: ChainVerificationError.self) { try ChainVerifier(root: federation.pki.root, crl: federation.crl).verify(federation.revoked) }
    }

    @Test func jwsWithX5CVerifiesAgainstTheFederation() throws {
        let federation = try Federation()
        let signerKey = try PrivateKey.generateP256()
        let signer = try federation.pki.authority.issue(csr: CertificateSigningRequest(commonName: "registry", key: signerKey),
                                                        subjectAltNameURIs: [], days: 30, profile: .registrySigner)
        let verifier = ChainVerifier(root: federation.pki.root, crl: federation.crl)
        let jws = try CompactJWS.sign(payload: Array("{}".utf8), header: JWSHeader(certificateChain: [signer]), key: signerKey)
        #expect(try jws.verify(trusting: verifier) == [signer, federation.pki.root])

        var general = GeneralJWS(payload: Array("{}".utf8))
        try general.addSignature(header: JWSHeader(certificateChain: [signer]), key: signerKey)
        #expect(try general.verify(signatureAt: 0, trusting: verifier).first == signer)

        // A self-made certificate in x5c signs fine but is not trusted.
        let rogue = try TestPKI().member("rogue")
        let forged = try CompactJWS.sign(payload: Array("{}".utf8), header: JWSHeader(certificateChain: [rogue.certificate]),
                                         key: rogue.key)
        #expect(throws: ChainVerificationError.self) { try forged.verify(trusting: verifier) }
    }

    @Test func sharedValuesWorkAcrossConcurrentTasks() async throws {
        let federation = try Federation()
        let verifier = ChainVerifier(root: federation.pki.root, crl: federation.crl)
        let key = try PrivateKey.generateP256()
        let publicKey = try key.publicKey
        let good = federation.good
        let revoked = federation.revoked
        let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<32 {
                group.addTask {
                    let message = Array("message \(index)".utf8)
                    let signature = try ES256.sign(message, with: key)
                    let goodOK = (try? verifier.verify(good)) != nil
                    let revokedOK = (try? verifier.verify(revoked)) != nil
                    return goodOK && !revokedOK && ES256.verify(signature, for: message, with: publicKey)
                        && good.subjectAltNameURIs == ["urn:verbund:test:good"]
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.count == 32)
        #expect(outcomes.allSatisfy { $0 })
    }
}
