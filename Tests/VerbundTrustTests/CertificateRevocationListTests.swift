import Foundation
import Testing
@testable import VerbundTrust

@Suite struct CertificateRevocationListTests {
    @Test func builtCRLRoundTripsAndListsEntries() throws {
        let pki = try TestPKI()
        let revokedLeaf = try pki.member("revoked").certificate
        let goodLeaf = try pki.member("good").certificate
        let when = Date(timeIntervalSince1970: 1_790_000_000)
        let crl = try pki.authority.revocationList(
            revoked: [RevokedCertificate(serialNumber: revokedLeaf.serialNumber, revocationDate: when, reason: .keyCompromise),
                      RevokedCertificate(serialNumber: SerialNumber(hex: "0abc")!, revocationDate: when, reason: .unspecified)],
            number: 7, thisUpdate: when, nextUpdate: when.addingTimeInterval(7 * 86_400))

        let parsed = try CertificateRevocationList(pem: crl.pem)
        #expect(parsed == crl)
        #expect(try CertificateRevocationList(der: crl.der) == crl)
        #expect(parsed.issuer == pki.root.subject)
        #expect(parsed.number == 7)
        #expect(parsed.thisUpdate == when)
        #expect(parsed.nextUpdate == when.addingTimeInterval(7 * 86_400))
        #expect(parsed.isRevoked(revokedLeaf))
        #expect(!parsed.isRevoked(goodLeaf))
        #expect(parsed.isRevoked(SerialNumber(hex: "00:0A:BC")!))
        let entries = Dictionary(uniqueKeysWithValues: parsed.entries.map { ($0.serialNumber, $0) })
        #expect(entries.count == 2)
        #expect(entries[revokedLeaf.serialNumber]?.reason == .keyCompromise)
        #expect(entries[revokedLeaf.serialNumber]?.revocationDate == when)
        #expect(entries[SerialNumber(hex: "0abc")!]?.reason == nil)
        #expect(parsed.isSigned(by: pki.root))
        #expect(!parsed.isSigned(by: try TestPKI().root))
    }

    @Test func emptyCRLAndOpenSSLReadsIt() throws {
        let pki = try TestPKI()
        let revoked = try pki.member("r").certificate
        let crl = try pki.authority.revocationList(
            revoked: [RevokedCertificate(serialNumber: revoked.serialNumber, revocationDate: Date(), reason: .cessationOfOperation)],
            number: 1, nextUpdate: Date().addingTimeInterval(86_400))
        let dir = try TemporaryDirectory()
        _ = try dir.write("crl.pem", crl.pem)
        _ = try dir.write("root.pem", pki.root.pem)
        let verify = try openssl(["crl", "-in", "crl.pem", "-CAfile", "root.pem", "-noout"], in: dir.path)
        #expect(verify.status == 0, "\(verify.output)")
        #expect(verify.output.contains("verify OK"))
        let text = try openssl(["crl", "-in", "crl.pem", "-noout", "-text"], in: dir.path).output
        #expect(text.contains("Cessation Of Operation"))
        #expect(text.contains("X509v3 CRL Number"))
        #expect(text.contains("X509v3 Authority Key Identifier"))
        #expect(text.uppercased().contains(revoked.serialNumber.hex.uppercased()))

        let empty = try pki.authority.revocationList(revoked: [], number: 2, nextUpdate: Date().addingTimeInterval(60))
        #expect(empty.entries.isEmpty)
        #expect(empty.number == 2)
    }

    @Test func badInputIsRefused() throws {
        let pki = try TestPKI()
        #expect(throws: OpenSSLError.self) { try CertificateRevocationList(pem: "nothing here") }
        #expect(throws: TrustError.self) { try CertificateRevocationList(der: []) }
        #expect(throws: TrustError.self) {
            try pki.authority.revocationList(revoked: [], number: 1, thisUpdate: Date(), nextUpdate: Date().addingTimeInterval(-1))
        }
        var der = try pki.authority.revocationList(revoked: [], number: 1, nextUpdate: Date().addingTimeInterval(60)).der
        #expect(throws: TrustError.self) { try CertificateRevocationList(der: der + [0x00]) }
        der[der.count - 1] ^= 0x01
        #expect(try !CertificateRevocationList(der: der).isSigned(by: pki.root))
    }
}
