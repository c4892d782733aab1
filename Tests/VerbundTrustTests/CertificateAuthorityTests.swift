import Foundation
import Testing
@testable import VerbundTrust

@Suite struct CertificateAuthorityTests {
    @Test func rootHasCAExtensions() throws {
        let pki = try TestPKI()
        let root = pki.root
        #expect(root.isCA)
        #expect(root.pathLengthConstraint == 0)
        #expect(root.keyUsage == [.keyCertSign, .cRLSign])
        #expect(root.subject == "CN=Verbund Test Root,O=Verbund Test")
        #expect(root.issuer == root.subject)
        #expect(root.isSigned(by: root))

        let dir = try TemporaryDirectory()
        _ = try dir.write("root.pem", root.pem)
        let text = try openssl(["x509", "-in", "root.pem", "-noout", "-text"], in: dir.path).output
        #expect(text.contains("X509v3 Basic Constraints: critical"))
        #expect(text.contains("CA:TRUE, pathlen:0"))
        #expect(text.contains("X509v3 Key Usage: critical"))
        #expect(text.contains("X509v3 Subject Key Identifier"))
    }

    @Test func issuedCertificateIsWhatTheCAChose() throws {
        let pki = try TestPKI()
        let key = try PrivateKey.generateP256()
        let csr = try CertificateSigningRequest(commonName: "requested-name", subjectAltNameURIs: ["urn:verbund:evil:takeover"],
                                                dnsNames: ["evil.example"], key: key)
        let now = Date()
        let leaf = try pki.authority.issue(csr: csr, subjectAltNameURIs: ["urn:verbund:test:musterhausen"],
                                           commonName: "Stadt Musterhausen", days: 90, now: now)
        #expect(leaf.subjectAltNameURIs == ["urn:verbund:test:musterhausen"])
        #expect(leaf.subjectAltNameDNSNames.isEmpty)
        #expect(leaf.commonName == "Stadt Musterhausen")
        #expect(leaf.subject == "CN=Stadt Musterhausen")
        #expect(leaf.issuer == pki.root.subject)
        #expect(!leaf.isCA)
        #expect(leaf.keyUsage == .digitalSignature)
        #expect(leaf.extendedKeyUsage == [.serverAuth, .clientAuth])
        #expect(try leaf.publicKey == key.publicKey)
        #expect(leaf.isSigned(by: pki.root))
        #expect(!leaf.isSigned(by: try TestPKI().root))
        #expect(abs(leaf.notBefore.timeIntervalSince(now) + 300) < 2)
        #expect(abs(leaf.notAfter.timeIntervalSince(now) - 90 * 86_400) < 2)
        // 128-bit positive serial: at most 16 octets, top bit clear.
        #expect(leaf.serialNumber.bytes.count <= 16 && leaf.serialNumber.bytes.count >= 8)
        #expect(leaf.serialNumber.bytes.count < 16 || leaf.serialNumber.bytes[0] < 0x80)

        let dir = try TemporaryDirectory()
        _ = try dir.write("leaf.pem", leaf.pem)
        let text = try openssl(["x509", "-in", "leaf.pem", "-noout", "-text"], in: dir.path).output
        #expect(text.contains("X509v3 Basic Constraints: critical"))
        #expect(text.contains("CA:FALSE"))
        #expect(text.contains("X509v3 Key Usage: critical"))
        #expect(text.contains("TLS Web Server Authentication, TLS Web Client Authentication"))
        #expect(text.contains("X509v3 Authority Key Identifier"))
        #expect(!text.contains("evil"))
    }

    @Test func commonNameDefaultsToTheCSRs() throws {
        let pki = try TestPKI()
        let leaf = try pki.member("node-d").certificate
        #expect(leaf.commonName == "node-d")
        #expect(leaf.subjectAltNameURIs == ["urn:verbund:test:node-d"])
    }

    @Test func serialsAreDistinct() throws {
        let pki = try TestPKI()
        let serials = try (0..<8).map { try pki.member("n\($0)").certificate.serialNumber }
        #expect(Set(serials).count == serials.count)
    }

    @Test func sanTextCannotInjectExtraEntries() throws {
        let pki = try TestPKI()
        let csr = try CertificateSigningRequest(commonName: "x", key: PrivateKey.generateP256())
        let leaf = try pki.authority.issue(csr: csr, subjectAltNameURIs: ["urn:a,DNS:evil.example"], days: 1)
        #expect(leaf.subjectAltNameURIs == ["urn:a,DNS:evil.example"])
        #expect(leaf.subjectAltNameDNSNames.isEmpty)
    }

    @Test func registrySignerProfile() throws {
        let pki = try TestPKI()
        let signer = try pki.member("registry-signer", profile: .registrySigner).certificate
        #expect(signer.extendedKeyUsage == .codeSigning)
        #expect(signer.keyUsage == [.digitalSignature, .contentCommitment])
        #expect(!signer.isCA)
    }

    @Test func intermediateProfile() throws {
        let pki = try TestPKI()
        let intermediate = try pki.member("sub-ca", profile: .intermediateCA(pathLength: 0)).certificate
        #expect(intermediate.isCA)
        #expect(intermediate.pathLengthConstraint == 0)
        #expect(intermediate.keyUsage == [.keyCertSign, .cRLSign])
        #expect(intermediate.extendedKeyUsage == nil)
    }

    @Test func rsa3072CSRIsIssuedAndOpenSSLCSRWorks() throws {
        let dir = try TemporaryDirectory()
        let result = try openssl(["req", "-new", "-newkey", "rsa:3072", "-nodes", "-keyout", "rsa.key", "-out", "rsa.csr",
                                  "-subj", "/CN=rsa-node"], in: dir.path)
        #expect(result.status == 0, "\(result.output)")
        let csr = try CertificateSigningRequest(pem: String(contentsOfFile: dir.file("rsa.csr"), encoding: .utf8))
        #expect(try csr.publicKey.kind == .rsa(bits: 3072))
        let leaf = try TestPKI().authority.issue(csr: csr, subjectAltNameURIs: ["urn:verbund:test:rsa-node"], days: 1)
        #expect(try leaf.publicKey.kind == .rsa(bits: 3072))
    }

    @Test func misuseIsRefused() throws {
        let pki = try TestPKI()
        let other = try PrivateKey.generateP256()
        #expect(throws: TrustError.self) { try CertificateAuthority(certificate: pki.root, key: other) }
        let member = try pki.member("leaf")
        #expect(throws: TrustError.self) { try CertificateAuthority(certificate: member.certificate, key: member.key) }
        let csr = try CertificateSigningRequest(commonName: "x", key: other)
        #expect(throws: TrustError.self) { try pki.authority.issue(csr: csr, subjectAltNameURIs: [], days: 0) }
        #expect(throws: TrustError.self) { try pki.authority.issue(csr: csr, subjectAltNameURIs: ["urn:ü"], days: 1) }
    }
}
