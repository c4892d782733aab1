import Foundation
import Testing
import VerbundTrust
@testable import VerbundFederation

/// Control characters and terminal escapes in what a CSR or the admin supplies never reach the signed registry
/// (docs/security.md, "Text that reaches the admin's terminal").
@Suite struct AdmissionTextTests {
    static let hostileNames = [
        "Stadt \u{1B}]0;pwned\u{07}\u{1B}[2JJena",  // OSC title + clear screen
        "Stadt\nJena",
        "Stadt \u{9B}31mJena",                         // C1 CSI
        "Stadt \u{202E}aneJ",                          // bidi override
        "Stadt\u{7F}Jena",
    ]

    @Test(arguments: hostileNames)
    func aCSRWhoseCNHoldsControlsIsRefusedWithAClearError(name: String) throws {
        let federation = try TestFederation()
        defer { federation.remove() }
        let serial = federation.admin.registry.serial
        let (_, csr) = try TestFederation.csr(name: name, uris: ["urn:verbund:thueringen:jena"])
        #expect(csr.commonName == name)  // OpenSSL keeps the bytes; refusing them is our job
        do {
            _ = try federation.reopen().admit(csr: csr, AdmissionRequest(endpoint: "https://jena.example/dsp"))
            Issue.record("admitted a CN with control characters")
        } catch let error {
            guard case let .csrRefused(message)? = error as? AdminError else { Issue.record("\(error)"); return }
            #expect(message.contains("U+"))
            #expect(message.contains("new CSR"))
            // The message itself is safe to print.
            #expect(!message.unicodeScalars.contains { PrintableText.isForbidden($0) })
        }
        #expect(try federation.reopen().registry.serial == serial)
        #expect(try federation.reopen().registry.members.isEmpty)
    }

    @Test func aNameEndpointOrReasonFromTheAdminIsCheckedToo() throws {
        let federation = try TestFederation()
        defer { federation.remove() }
        let (_, csr) = try TestFederation.csr(name: "Stadt Jena", uris: ["urn:verbund:thueringen:jena"])
        #expect(throws: AdminError.self) {
            try federation.reopen().admit(csr: csr, AdmissionRequest(name: "Jena\u{1B}[8m", endpoint: "https://jena.example/dsp"))
        }
        #expect(throws: AdminError.self) {
            try federation.reopen().admit(csr: csr, AdmissionRequest(endpoint: "https://jena.example/dsp\u{1B}[1m"))
        }
        try federation.admit("erfurt")
        #expect(throws: AdminError.self) { try federation.reopen().suspend(memberId: "erfurt", reason: "audit\u{1B}[2J") }
        #expect(throws: AdminError.self) { try federation.reopen().revoke(memberId: "erfurt", reason: "x\u{0}y") }
        #expect(try federation.reopen().registry.member(id: "erfurt")?.status == .active)
        // Letters of every script stay welcome.
        let (_, umlauts) = try TestFederation.csr(name: "Große Kreisstadt Weißenfels – Ζ 東京", uris: ["urn:verbund:thueringen:wsf"])
        let admitted = try federation.reopen().admit(csr: umlauts, AdmissionRequest(endpoint: "https://wsf.example/dsp"))
        #expect(admitted.member.name == "Große Kreisstadt Weißenfels – Ζ 東京")
    }

    @Test func escapingMakesEveryForbiddenCharacterVisibleAndInert() {
        #expect(PrintableText.escaped("Stadt Jena") == "Stadt Jena")
        #expect(PrintableText.escaped("a\u{1B}[2Jb") == "a\\u{1B}[2Jb")
        #expect(PrintableText.escaped("x\u{9B}y\u{202E}z\n") == "x\\u{9B}y\\u{202E}z\\u{A}")
        for name in Self.hostileNames {
            #expect(!PrintableText.escaped(name).unicodeScalars.contains { PrintableText.isForbidden($0) })
        }
    }
}
