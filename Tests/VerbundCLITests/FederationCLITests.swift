import Foundation
import Testing
import VerbundTestSupport
import VerbundConnector
import VerbundFederation
import VerbundTrust
@testable import VerbundCLI

/// The admin flow through the command line, in a unique temporary folder.
@Suite(.offCooperativePool) struct FederationCLITests {
    private struct Run {
        let status: Int32
        let out: String
        let err: String
    }

    private let scratch: String

    init() throws {
        scratch = NSTemporaryDirectory() + "verbund-cli-tests-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    }

    private func run(_ arguments: [String]) -> Run {
        let console = CapturedConsole()
        let status = VerbundCommandLine.main(arguments, console: console)
        return Run(status: status, out: console.standardOutput, err: console.standardError)
    }

    private func path(_ name: String) -> String { scratch + "/" + name }
    private func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: path(name)) }
    private func mode(_ name: String) throws -> Int? { try FileManager.default.attributesOfItem(atPath: path(name))[.posixPermissions] as? Int }

    @Test func wholeAdminFlow() throws {
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let fed = path("fed")
        var result = run(["federation", "init", "--dir", fed, "--id", "thueringen", "--name", "Stadtverbund Thüringen"])
        #expect(result.status == 0, "\(result.err)")
        for file in ["fed/root.pem", "fed/registry.jws", "fed/crl.pem", "fed/registry-signer.pem"] { #expect(exists(file), "\(file)") }
        #expect(try mode("fed/private/root.key") == 0o600)
        // The fingerprint line is exactly what openssl prints for the root, so members can compare it by eye.
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = ["x509", "-in", path("fed/root.pem"), "-noout", "-fingerprint", "-sha256"]
        let pipe = Pipe()
        openssl.standardOutput = pipe
        try openssl.run()
        let printed = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        openssl.waitUntilExit()
        #expect(printed.hasPrefix("sha256 Fingerprint="))
        #expect(result.out.contains(printed.trimmingCharacters(in: .whitespacesAndNewlines)), "\(result.out)\n\(printed)")
        #expect(run(["federation", "init", "--dir", fed, "--id", "thueringen", "--name", "Again"]).status == 1)

        result = run(["member", "init", "--dir", path("jena"), "--id", "jena", "--name", "Stadt Jena", "--ags", "16053000",
                      "--federation", fed, "--endpoint", "https://jena.example/dsp", "--listen", "127.0.0.1:0"])
        #expect(result.status == 0, "\(result.err)")
        #expect(try mode("jena/member.key") == 0o600)
        let csr = try CertificateSigningRequest(pem: try String(contentsOfFile: path("jena/member.csr"), encoding: .utf8))
        #expect(csr.commonName == "Stadt Jena")
        #expect(csr.requestedSubjectAltNameURIs == ["urn:verbund:thueringen:jena"])
        let configuration = try ConnectorConfiguration.load(from: path("jena/connector.json"))
        #expect(configuration.participantId == "urn:verbund:thueringen:jena")
        #expect(configuration.federation.root == fed + "/root.pem")
        #expect(configuration.certificateFile == path("jena/member.pem"))
        #expect(configuration.validate().isEmpty)

        result = run(["member", "init", "--dir", path("erfurt"), "--id", "erfurt", "--name", "Stadt Erfurt", "--federation", fed])
        #expect(result.status == 0, "\(result.err)")
        #expect(run(["member", "init", "--dir", path("erfurt"), "--id", "erfurt", "--name", "Stadt Erfurt"]).status == 1)

        result = run(["federation", "admit", "--dir", fed, "--csr", path("jena/member.csr"), "--endpoint", "https://jena.example/dsp",
                      "--ags", "16053000", "--roles", "provider", "--out", path("jena/member.pem")])
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.contains("urn:verbund:thueringen:jena"))
        result = run(["federation", "admit", "--dir", fed, "--csr", path("erfurt/member.csr"), "--endpoint", "https://erfurt.example/dsp",
                      "--out", path("erfurt/member.pem"), "--json"])
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.contains(#""participantId" : "urn:verbund:thueringen:erfurt""#))
        // The same CSR again: a duplicate member.
        result = run(["federation", "admit", "--dir", fed, "--csr", path("erfurt/member.csr"), "--endpoint", "https://erfurt.example/dsp",
                      "--out", path("erfurt/again.pem")])
        #expect(result.status == 1)
        #expect(result.err.contains("already in the registry"))

        result = run(["federation", "show", "--dir", fed])
        #expect(result.status == 0)
        #expect(result.out.contains("Registry serial 3"))
        #expect(result.out.contains("16053000"))
        #expect(result.out.contains("https://erfurt.example/dsp"))
        result = run(["federation", "show", "--dir", fed, "--json"])
        let registry = try RegistryJSON.decode(MemberRegistry.self, from: Array(result.out.utf8))
        #expect(registry.members.map(\.id) == ["erfurt", "jena"])
        #expect(registry.member(id: "jena")?.roles == [.provider])
        result = run(["federation", "verify", "--dir", fed])
        #expect(result.status == 0, "\(result.out)\n\(result.err)")
        #expect(result.out.contains("signature valid"))

        #expect(run(["federation", "suspend", "--dir", fed, "--member", "erfurt", "--reason", "audit"]).status == 0)
        #expect(run(["federation", "show", "--dir", fed]).out.contains("suspended (audit)"))
        #expect(run(["federation", "reinstate", "--dir", fed, "--member", "erfurt"]).status == 0)
        result = run(["federation", "revoke", "--dir", fed, "--member", "erfurt", "--reason-code", "keyCompromise"])
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.contains("CRL number 2"))
        let crl = try CertificateRevocationList(pem: try String(contentsOfFile: fed + "/crl.pem", encoding: .utf8))
        let erfurt = try Certificate(pem: try String(contentsOfFile: path("erfurt/member.pem"), encoding: .utf8))
        #expect(crl.isRevoked(erfurt))
        #expect(crl.entries.first?.reason == .keyCompromise)
        #expect(run(["federation", "reinstate", "--dir", fed, "--member", "erfurt"]).status == 1)

        // Key rollover for jena with a new key made by `member init` in another folder.
        #expect(run(["member", "init", "--dir", path("jena-2027"), "--id", "jena", "--name", "Stadt Jena", "--federation", fed]).status == 0)
        result = run(["federation", "renew", "--dir", fed, "--member", "jena", "--csr", path("jena-2027/member.csr"), "--out", path("jena-2027/member.pem")])
        #expect(result.status == 0, "\(result.err)")
        result = run(["federation", "show", "--dir", fed, "--json"])
        let renewed = try RegistryJSON.decode(MemberRegistry.self, from: Array(result.out.utf8))
        #expect(renewed.member(id: "jena")?.certificates.count == 2)
        #expect(renewed.serial == 7)
        #expect(run(["federation", "verify", "--dir", fed]).status == 0)

        // While another admin command holds the folder, changes are refused.
        do {
            let lock = try AdminFolderLock(folder: FederationFolder(path: fed))
            let refused = run(["federation", "suspend", "--dir", fed, "--member", "jena"])
            #expect(refused.status == 1)
            #expect(refused.err.contains("another admin command"))
            withExtendedLifetime(lock) {}
        }

        result = run(["federation", "rotate-signer", "--dir", fed])
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.contains("registry serial 8"))
        #expect(run(["federation", "verify", "--dir", fed]).status == 0)

        // Tampering with the registry makes verify fail with the cause.
        var text = try String(contentsOfFile: fed + "/registry.jws", encoding: .utf8)
        let index = text.index(text.firstIndex(of: ".")!, offsetBy: 20)
        text.replaceSubrange(index...index, with: text[index] == "A" ? "B" : "A")
        try text.write(toFile: fed + "/registry.jws", atomically: true, encoding: .utf8)
        result = run(["federation", "verify", "--dir", fed])
        #expect(result.status == 1)
        #expect(result.out.contains("signature does not verify"))
    }

    @Test func usageErrorsExitTwoAndRefusalsExitOne() throws {
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let fed = path("fed")
        #expect(run(["federation", "init", "--dir", fed, "--id", "thueringen"]).status == 2)  // --name missing
        #expect(run(["federation", "init", "--dir", fed, "--id", "Bad_Id", "--name", "x"]).status == 2)
        #expect(run(["federation", "init", "--dir", fed, "--id", "thueringen", "--name", "T"]).status == 0)
        #expect(run(["federation", "show", "--dir", path("nowhere")]).status == 1)
        #expect(run(["federation", "suspend", "--dir", fed, "--member", "ghost"]).status == 1)
        #expect(run(["federation", "revoke", "--dir", fed, "--member", "ghost", "--reason-code", "because"]).status == 2)
        #expect(run(["member", "init", "--dir", path("m"), "--id", "m", "--name", "M", "--ags", "123"]).status == 2)
        #expect(run(["member", "init", "--dir", path("m"), "--id", "m", "--name", "M", "--management", "0.0.0.0:1"]).status == 2)
        #expect(!exists("m/member.key"))  // nothing half-made
        #expect(run(["member", "init", "--dir", path("m"), "--id", "m", "--name", "M", "--federation", path("nowhere")]).status == 1)

        let csr = path("weak.csr")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=Weak", "-keyout", path("weak.key"), "-out", csr]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let result = run(["federation", "admit", "--dir", fed, "--csr", csr, "--member", "weak", "--endpoint", "https://weak.example/dsp", "--out", path("weak.pem")])
        #expect(result.status == 1)
        #expect(result.err.contains("too weak"))
        #expect(!exists("weak.pem"))
        #expect(run(["federation", "admit", "--dir", fed, "--csr", csr, "--member", "weak", "--endpoint", "https://weak.example/dsp",
                     "--roles", "admin", "--out", path("weak.pem")]).status == 2)
    }

    @Test func everyCommandHasHelp() {
        for path in [["federation", "init"], ["federation", "admit"], ["federation", "renew"], ["federation", "suspend"],
                     ["federation", "reinstate"], ["federation", "revoke"], ["federation", "crl"], ["federation", "show"],
                     ["federation", "verify"], ["federation", "rotate-signer"], ["member", "init"]] {
            let result = run(path + ["--help"])
            #expect(result.status == 0)
            #expect(result.out.contains("Usage: verbund \(path.joined(separator: " "))"))
        }
        try? FileManager.default.removeItem(atPath: scratch)
    }

    /// A CSR whose CN carries terminal escapes is refused by `federation admit`; what the admin sees is escaped.
    @Test func admitRefusesACSRWithTerminalEscapesAndPrintsThemInert() throws {
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let fed = path("fed")
        #expect(run(["federation", "init", "--dir", fed, "--id", "thueringen", "--name", "T"]).status == 0)
        let key = try PrivateKey.generateP256()
        let csr = try CertificateSigningRequest(commonName: "Jena\u{1B}]0;owned\u{07}\u{1B}[2J",
                                                subjectAltNameURIs: ["urn:verbund:thueringen:jena"], key: key)
        try csr.pem.write(toFile: path("evil.csr"), atomically: true, encoding: .utf8)
        let result = run(["federation", "admit", "--dir", fed, "--csr", path("evil.csr"), "--endpoint", "https://jena.example/dsp",
                          "--out", path("evil.pem")])
        #expect(result.status == 1)
        #expect(result.err.contains("CSR refused") && result.err.contains("U+001B"), "\(result.err)")
        #expect(!(result.out + result.err).unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" })
        #expect(!exists("evil.pem"))
        let shown = run(["federation", "show", "--dir", fed])
        #expect(shown.status == 0 && shown.out.contains("No members yet"))
    }
}
