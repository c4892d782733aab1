import Foundation
import Testing
@testable import VerbundTrust

@Suite struct CertificateTests {
    /// A self-signed certificate made by the openssl tool, so parsing is checked against an independent producer.
    private func opensslCertificate(in dir: TemporaryDirectory) throws -> String {
        let result = try openssl([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", "cert.key", "-out", "cert.pem", "-days", "30",
            "-subj", "/O=Verbund Test/CN=node-a",
            "-addext", "subjectAltName=URI:urn:verbund:test:node-a,DNS:node-a.example,email:ops@node-a.example",
            "-addext", "keyUsage=critical,digitalSignature",
            "-addext", "extendedKeyUsage=serverAuth,clientAuth",
            "-set_serial", "0x0123456789abcdef",
        ], in: dir.path)
        #expect(result.status == 0, "\(result.output)")
        return try String(contentsOfFile: dir.file("cert.pem"), encoding: .utf8)
    }

    @Test func fieldsOfAnOpenSSLCertificate() throws {
        let dir = try TemporaryDirectory()
        let certificate = try Certificate(pem: opensslCertificate(in: dir))
        #expect(certificate.subject == "CN=node-a,O=Verbund Test")
        #expect(certificate.issuer == "CN=node-a,O=Verbund Test")
        #expect(certificate.commonName == "node-a")
        #expect(certificate.serialNumber == SerialNumber(hex: "0123456789ABCDEF"))
        #expect(certificate.serialNumber.hex == "0123456789abcdef")
        #expect(certificate.subjectAltNameURIs == ["urn:verbund:test:node-a"])
        #expect(certificate.subjectAltNameDNSNames == ["node-a.example"])
        #expect(!certificate.isCA || certificate.pathLengthConstraint == nil)
        #expect(certificate.keyUsage == .digitalSignature)
        #expect(certificate.extendedKeyUsage == [.serverAuth, .clientAuth])
        let validity = certificate.notAfter.timeIntervalSince(certificate.notBefore)
        #expect(abs(validity - 30 * 86_400) < 2)
        #expect(abs(certificate.notBefore.timeIntervalSinceNow) < 120)
        #expect(certificate.isValid(at: Date()))
        #expect(!certificate.isValid(at: Date().addingTimeInterval(31 * 86_400)))
        #expect(certificate.isSigned(by: certificate))

        let keyPEM = try String(contentsOfFile: dir.file("cert.key"), encoding: .utf8)
        #expect(try certificate.publicKey == PrivateKey(pem: keyPEM).publicKey)
    }

    @Test func fingerprintMatchesTheOpenSSLTool() throws {
        let dir = try TemporaryDirectory()
        let certificate = try Certificate(pem: opensslCertificate(in: dir))
        let result = try openssl(["x509", "-in", "cert.pem", "-noout", "-fingerprint", "-sha256"], in: dir.path)
        let expected = result.output.split(separator: "=").last.map { $0.replacingOccurrences(of: ":", with: "") }
        #expect(expected?.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() == certificate.fingerprintSHA256)
    }

    @Test func pemAndDERRoundTrip() throws {
        let dir = try TemporaryDirectory()
        let pem = try opensslCertificate(in: dir)
        let certificate = try Certificate(pem: pem)
        #expect(certificate.pem == pem)
        #expect(try Certificate(der: certificate.der) == certificate)
        #expect(try Certificate(pem: certificate.pem).der == certificate.der)
    }

    @Test func severalCertificatesInOnePEM() throws {
        let first = try Certificate(pem: opensslCertificate(in: TemporaryDirectory()))
        let second = try Certificate(pem: opensslCertificate(in: TemporaryDirectory()))
        let bundle = "comment line\n" + first.pem + "\n" + second.pem
        #expect(try Certificate.all(pem: bundle) == [first, second])
        #expect(first != second)
    }

    @Test func badInputIsRefused() throws {
        #expect(throws: TrustError.self) { try Certificate(pem: "") }
        #expect(throws: TrustError.self) { try Certificate(der: []) }
        #expect(throws: OpenSSLError.self) { try Certificate(der: [0x30, 0x03, 0x02, 0x01, 0x01]) }
        let good = try Certificate(pem: opensslCertificate(in: TemporaryDirectory()))
        #expect(throws: TrustError.self) { try Certificate(der: good.der + [0]) }
        // A damaged base64 body after a good certificate must not be silently ignored.
        let damaged = good.pem + "-----BEGIN CERTIFICATE-----\nAAAA!!!!\n-----END CERTIFICATE-----\n"
        #expect(throws: OpenSSLError.self) { try Certificate.all(pem: damaged) }
    }

    @Test func serialNumberParsing() {
        #expect(SerialNumber(hex: "00:0a:FF")?.hex == "0aff")
        #expect(SerialNumber(hex: "abc")?.hex == "0abc")
        #expect(SerialNumber(hex: "") == nil)
        #expect(SerialNumber(hex: "xyz") == nil)
    }
}
