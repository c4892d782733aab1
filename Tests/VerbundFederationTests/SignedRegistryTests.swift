import Foundation
import Testing
import VerbundTrust
@testable import VerbundFederation

@Suite struct SignedRegistryTests {
    @Test func freshFederationRegistryVerifies() throws {
        let federation = try TestFederation()
        defer { federation.remove() }
        let signed = try SignedRegistry(compact: try federation.registryText, root: try federation.root, crl: try federation.crl,
                                        expectedFederation: "thueringen", at: Date())
        #expect(signed.registry.serial == 1)
        #expect(signed.registry.members.isEmpty)
        #expect(signed.registry.federation.name == "Stadtverbund Thüringen")
        // The header is what a standard JOSE library expects.
        let jws = try CompactJWS(parsing: signed.compact)
        #expect(jws.header.alg == "ES256")
        #expect(jws.header.typ == "verbund-registry+json")
        #expect(try jws.header.certificateChain().count == 2)
    }

    @Test func oneTamperedByteIsASignatureFailure() throws {
        let federation = try TestFederation()
        defer { federation.remove() }
        try federation.admit("jena")
        let text = try federation.registryText.trimmingCharacters(in: .whitespacesAndNewlines)
        let parts = text.split(separator: ".").map(String.init)
        // Flip one character in the middle of the payload to another base64url character.
        var payload = Array(parts[1])
        let index = payload.count / 2
        payload[index] = payload[index] == "A" ? "B" : "A"
        let tampered = [parts[0], String(payload), parts[2]].joined(separator: ".")
        #expect(throws: RegistryVerificationError.signatureInvalid) {
            try SignedRegistry(compact: tampered, root: try federation.root, crl: nil, expectedFederation: nil, at: Date())
        }
        #expect(RegistryVerificationError.signatureInvalid.description.contains("signature does not verify"))
    }

    @Test func registrySignedByAnotherFederationIsRefused() throws {
        let ours = try TestFederation()
        let theirs = try TestFederation(id: "thueringen", name: "Impostor")
        defer { ours.remove(); theirs.remove() }
        let (text, root) = (try theirs.registryText, try ours.root)
        do {
            _ = try SignedRegistry(compact: text, root: root, crl: nil, expectedFederation: nil, at: Date())
            Issue.record("a registry of another root was accepted")
        } catch {
            guard case .signerNotIssuedByRoot = error else { Issue.record("wrong error: \(error)"); return }
            #expect(error.description.contains("signer certificate is not issued by the federation root"))
        }
    }

    @Test func memberCertificateCannotSignARegistry() throws {
        let federation = try TestFederation()
        defer { federation.remove() }
        // A member's connector certificate chains to the root, but lacks the registry-signer profile.
        let (key, csr) = try TestFederation.csr(name: "Stadt Jena")
        let issued = try federation.admin.admit(csr: csr, AdmissionRequest(memberId: "jena", endpoint: "https://jena.example/dsp"))
        var forged = issued.registry.registry
        forged.serial = 99
        let signed = try SignedRegistry.sign(forged, signer: RegistrySigner(certificate: issued.certificate, key: key), root: try federation.root)
        #expect {
            try SignedRegistry(compact: signed.compact, root: try federation.root, crl: nil, expectedFederation: nil, at: Date())
        } throws: { error in
            guard case let .signerNotAcceptable(reason) = error as? RegistryVerificationError else { return false }
            return reason.contains("not a registry signer")
        }
    }

    @Test func wrongFederationAndAlgNoneAreRefused() throws {
        let federation = try TestFederation()
        defer { federation.remove() }
        let text = try federation.registryText
        #expect(throws: RegistryVerificationError.federationMismatch(expected: "sachsen", found: "thueringen")) {
            try SignedRegistry(compact: text, root: try federation.root, crl: nil, expectedFederation: "sachsen", at: Date())
        }
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").map(String.init)
        let none = Base64URL.encode(Array(#"{"alg":"none"}"#.utf8)) + "." + parts[1] + "."
        #expect(throws: RegistryVerificationError.self) {
            try SignedRegistry(compact: none, root: try federation.root, crl: nil, expectedFederation: nil, at: Date())
        }
        #expect(throws: RegistryVerificationError.self) {
            try SignedRegistry(compact: "not a jws", root: try federation.root, crl: nil, expectedFederation: nil, at: Date())
        }
    }

    @Test func expiredSignerIsRefused() throws {
        let federation = try TestFederation()
        defer { federation.remove() }
        let afterSignerExpiry = Date().addingTimeInterval(900 * 86_400)
        #expect {
            try SignedRegistry(compact: try federation.registryText, root: try federation.root, crl: nil, expectedFederation: nil, at: afterSignerExpiry)
        } throws: { error in
            guard case let .signerNotAcceptable(reason) = error as? RegistryVerificationError else { return false }
            return reason.contains("expired")
        }
    }
}
