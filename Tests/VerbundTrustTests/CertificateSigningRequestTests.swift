import Foundation
import Testing
@testable import VerbundTrust

@Suite struct CertificateSigningRequestTests {
    @Test func ourCSRCarriesSubjectSANAndKey() throws {
        let key = try PrivateKey.generateP256()
        let csr = try CertificateSigningRequest(commonName: "Stadt Musterhausen", organization: "Verbund Test",
                                                subjectAltNameURIs: ["urn:verbund:test:musterhausen"],
                                                dnsNames: ["verbund.musterhausen.example"], key: key)
        #expect(csr.subject == "CN=Stadt Musterhausen,O=Verbund Test")
        #expect(csr.commonName == "Stadt Musterhausen")
        #expect(csr.requestedSubjectAltNameURIs == ["urn:verbund:test:musterhausen"])
        #expect(csr.requestedDNSNames == ["verbund.musterhausen.example"])
        #expect(try csr.publicKey == key.publicKey)
        #expect(csr.isSignatureValid)

        let reparsed = try CertificateSigningRequest(pem: csr.pem)
        #expect(reparsed == csr)
        #expect(try CertificateSigningRequest(der: csr.der).requestedSubjectAltNameURIs == csr.requestedSubjectAltNameURIs)
    }

    @Test func unicodeCommonNameSurvives() throws {
        let csr = try CertificateSigningRequest(commonName: "Gemeinde Großenlüder", key: PrivateKey.generateP256())
        #expect(csr.commonName == "Gemeinde Großenlüder")
        #expect(csr.subject == "CN=Gemeinde Großenlüder")
        let leaf = try TestPKI().authority.issue(csr: csr, subjectAltNameURIs: ["urn:verbund:test:grossenlueder"], days: 1)
        #expect(leaf.subject == "CN=Gemeinde Großenlüder")
        #expect(leaf.commonName == "Gemeinde Großenlüder")
        #expect(csr.requestedSubjectAltNameURIs.isEmpty)
    }

    @Test func opensslAcceptsOurCSRSelfSignature() throws {
        let dir = try TemporaryDirectory()
        let csr = try CertificateSigningRequest(commonName: "node-a", subjectAltNameURIs: ["urn:verbund:test:node-a"],
                                                key: PrivateKey.generateP256())
        _ = try dir.write("ours.csr", csr.pem)
        let result = try openssl(["req", "-verify", "-in", "ours.csr", "-noout"], in: dir.path)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("verify OK"))
        let text = try openssl(["req", "-in", "ours.csr", "-noout", "-text"], in: dir.path)
        #expect(text.output.contains("URI:urn:verbund:test:node-a"))
    }

    @Test func opensslCSRParsesLikeOurs() throws {
        let dir = try TemporaryDirectory()
        let result = try openssl([
            "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", "node.key", "-out", "node.csr", "-subj", "/CN=node-b",
            "-addext", "subjectAltName=URI:urn:verbund:test:node-b",
        ], in: dir.path)
        #expect(result.status == 0, "\(result.output)")
        let theirs = try CertificateSigningRequest(pem: String(contentsOfFile: dir.file("node.csr"), encoding: .utf8))
        let key = try PrivateKey(pem: String(contentsOfFile: dir.file("node.key"), encoding: .utf8))
        let ours = try CertificateSigningRequest(commonName: "node-b", subjectAltNameURIs: ["urn:verbund:test:node-b"], key: key)

        #expect(theirs.isSignatureValid)
        #expect(theirs.subject == ours.subject)
        #expect(theirs.commonName == ours.commonName)
        #expect(theirs.requestedSubjectAltNameURIs == ours.requestedSubjectAltNameURIs)
        #expect(try theirs.publicKey == ours.publicKey)
        #expect(try theirs.publicKey.kind == .p256)
    }

    @Test func tamperedCSRFailsProofOfPossession() throws {
        let csr = try CertificateSigningRequest(commonName: "node-c", key: PrivateKey.generateP256())
        var der = csr.der
        // The signature BIT STRING ends the DER; flipping its last byte keeps the structure parseable.
        der[der.count - 1] ^= 0x01
        let tampered = try CertificateSigningRequest(der: der)
        #expect(!tampered.isSignatureValid)
        let pki = try TestPKI()
        #expect(throws: TrustError.csrSignatureInvalid) {
            try pki.authority.issue(csr: tampered, subjectAltNameURIs: ["urn:verbund:test:node-c"], days: 1)
        }
    }

    @Test func badInputIsRefused() throws {
        #expect(throws: OpenSSLError.self) { try CertificateSigningRequest(pem: "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n") }
        #expect(throws: TrustError.self) { try CertificateSigningRequest(der: []) }
        let good = try CertificateSigningRequest(commonName: "x", key: PrivateKey.generateP256())
        #expect(throws: TrustError.self) { try CertificateSigningRequest(der: good.der + [0x00]) }
        #expect(throws: TrustError.self) {
            try CertificateSigningRequest(commonName: "", key: PrivateKey.generateP256())
        }
        #expect(throws: TrustError.self) {
            try CertificateSigningRequest(commonName: "x", subjectAltNameURIs: ["urn:with space"], key: PrivateKey.generateP256())
        }
        let dir = try TemporaryDirectory()
        _ = try openssl(["genpkey", "-algorithm", "ED25519", "-out", "ed.key"], in: dir.path)
        let ed = try PrivateKey(pem: String(contentsOfFile: dir.file("ed.key"), encoding: .utf8))
        #expect(throws: TrustError.unsupportedKey(operation: "signing a CSR", kind: .other("ED25519"))) {
            try CertificateSigningRequest(commonName: "x", key: ed)
        }
    }
}
