import Foundation
import Testing
import VerbundTrust
@testable import VerbundFederation

/// `openssl verify -crl_check` and Verbund agree on good, revoked and foreign certificates.
@Suite struct OpenSSLInteropTests {
    @Test func opensslAndVerbundAgree() throws {
        let federation = try TestFederation()
        let foreign = try TestFederation(id: "thueringen", name: "Impostor")
        defer { federation.remove(); foreign.remove() }
        let good = try federation.admit("jena")
        let revoked = try federation.admit("erfurt")
        let stranger = try foreign.admit("weimar")
        _ = try federation.reopen().revoke(memberId: "erfurt", reason: nil, code: .keyCompromise)
        let trust = try federation.trust()

        let cases: [(String, Certificate, Bool)] = [("good", good, true), ("revoked", revoked, false), ("foreign", stranger, false)]
        for (name, certificate, expected) in cases {
            let path = federation.scratch + "/\(name).pem"
            try certificate.pem.write(toFile: path, atomically: true, encoding: .utf8)
            let openssl = try Program.run("/usr/bin/openssl", [
                "verify", "-CAfile", federation.folder.rootCertificate, "-crl_check", "-CRLfile", federation.folder.crl, path,
            ])
            #expect((openssl.status == 0) == expected, "openssl on \(name): \(openssl.output)")
            let verbund = trust.admit(certificate)
            if case .success = verbund { #expect(expected, "Verbund admitted \(name)") } else { #expect(!expected, "Verbund refused \(name): \(verbund)") }
            if name == "revoked" {
                #expect(openssl.output.contains("certificate revoked"))
                #expect(verbund == .failure(.revokedOnCRL(serial: revoked.serialNumber.hex)))
            }
        }
    }
}
