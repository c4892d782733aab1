import Foundation
import Testing
import VerbundTestSupport
@testable import VerbundCLI
import VerbundConnector

/// `member init` for a city whose key was made with openssl (--config-only), for a key rotation (--key-only), and a
/// --data path written as given (issue 14).
@Suite(.offCooperativePool) struct MemberInitTests {
    let root = NSTemporaryDirectory() + "verbund-member-init-\(UUID().uuidString)"

    func run(_ arguments: [String]) -> (status: Int32, out: String, err: String) {
        let console = CapturedConsole()
        let status = VerbundCommandLine.main(arguments, console: console)
        return (status, console.standardOutput, console.standardError)
    }

    func initArguments(_ dir: String, _ extra: [String] = []) -> [String] {
        ["member", "init", "--dir", dir, "--id", "jena", "--name", "Stadt Jena", "--federation-id", "thueringen"] + extra
    }

    func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    @Test func configOnlyUsesAKeyMadeWithOpenSSL() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let dir = root + "/jena"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        // Without a key there is nothing to configure.
        let missing = run(initArguments(dir, ["--config-only"]))
        #expect(missing.status == 1)
        #expect(missing.err.contains("--config-only expects the city's private key at \(dir)/member.key"))

        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", dir + "/member.key"]
        try openssl.run()
        openssl.waitUntilExit()
        try #require(openssl.terminationStatus == 0)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: dir + "/member.key")
        let readable = run(initArguments(dir, ["--config-only"]))
        #expect(readable.status == 1)
        #expect(readable.err.contains("chmod 600"))

        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: dir + "/member.key")
        let made = run(initArguments(dir, ["--config-only", "--data", "/var/lib/verbund"]))
        #expect(made.status == 0, "\(made.err)")
        let configuration = try ConnectorConfiguration.load(from: dir + "/connector.json")
        #expect(configuration.keyFile == dir + "/member.key")
        #expect(configuration.certificateFile == dir + "/member.pem")
        #expect(configuration.participantId == "urn:verbund:thueringen:jena")
        #expect(!exists(dir + "/member.csr"))
        let text = try String(contentsOfFile: dir + "/connector.json", encoding: .utf8)
        #expect(text.contains(#""dataDirectory" : "/var/lib/verbund""#), "\(text)")
    }

    @Test func keyOnlyWritesNoSecondConfiguration() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let first = run(initArguments(root + "/jena"))
        #expect(first.status == 0, "\(first.err)")
        // Again into the same folder: refused, and told how to make only a key.
        let again = run(initArguments(root + "/jena"))
        #expect(again.status == 1)
        #expect(again.err.contains("add --key-only"))

        let rotation = run(initArguments(root + "/jena/2027", ["--key-only"]))
        #expect(rotation.status == 0, "\(rotation.err)")
        #expect(exists(root + "/jena/2027/member.key") && exists(root + "/jena/2027/member.csr"))
        #expect(!exists(root + "/jena/2027/connector.json"))
        #expect(rotation.out.contains("set keyFile and certificateFile in your connector.json"))
        #expect(run(initArguments(root + "/x", ["--key-only", "--config-only"])).status == 2)
    }
}
