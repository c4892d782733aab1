import Foundation
import Testing
import VerbundTestSupport
import VerbundAudit
import VerbundCLI
@testable import VerbundConnector

@Suite(.offCooperativePool) struct LogExportCLITests {
    @Test func exportThroughTheDaemonThenVerifyOffline() throws {
        let federation = try FederationFixture(members: ["a"])
        let a = try federation.start("a", modules: [AuditModule(settings: .init(signInterval: .milliseconds(50)))])
        defer { a.stop() }
        for n in 0..<20 { try a.context.audit.record(AuditEvent(kind: "test.event", fields: ["n": .integer(Int64(n))])) }
        let config = federation.members["a"]!.configurationFile
        let rootFile = federation.members["a"]!.federationFolder + "/root.pem"
        let out = federation.root.file("log.jsonl")
        let export = CapturedConsole()
        #expect(VerbundCommandLine.main(["audit", "log", "export", "--config", config, "--out", out], console: export) == 0,
                "\(export.standardError)")
        let size = try a.context.audit.size()
        #expect(export.standardOutput.contains("Wrote \(size) entries"))

        let verify = CapturedConsole()
        #expect(VerbundCommandLine.main(["audit", "log", "verify", out, "--sth", out + ".sth.jws", "--root", rootFile],
                                        console: verify) == 0, "\(verify.standardOutput)")
        #expect(verify.standardOutput.contains("Result: every check passed."))
        // The signed tree head is found beside the export without --sth.
        let besides = CapturedConsole()
        #expect(VerbundCommandLine.main(["audit", "log", "verify", out, "--root", rootFile], console: besides) == 0)
        #expect(besides.standardOutput.contains("Result: every check passed."))
        // A log export or a tree head handed to `audit verify` is named as what it is, with the command that checks it.
        for (file, said) in [(out, "this is a log export"), (out + ".sth.jws", "this is a signed tree head")] {
            let wrong = CapturedConsole()
            #expect(VerbundCommandLine.main(["audit", "verify", file, "--root", rootFile], console: wrong) == 1)
            let printed = wrong.standardOutput + wrong.standardError
            #expect(printed.contains(said), "\(printed)")
            #expect(printed.contains("verbund audit log verify"))
            #expect(!printed.contains("edited after export"))
        }

        // `verbund audit sth` prints the newest head; it verifies against the export too.
        let sth = CapturedConsole()
        #expect(VerbundCommandLine.main(["audit", "sth", "--config", config], console: sth) == 0)
        let head = try SignedTreeHead(compact: sth.standardOutput)
        #expect(head.signer == a.context.identity.certificate)

        // One changed digit in one entry: exit 1, the root hash check named.
        var lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[7] = lines[7].replacingOccurrences(of: "\"n\":", with: "\"n\":1")
        try (lines.joined(separator: "\n") + "\n").write(toFile: out, atomically: true, encoding: .utf8)
        let broken = CapturedConsole()
        #expect(VerbundCommandLine.main(["audit", "log", "verify", out, "--sth", out + ".sth.jws", "--root", rootFile, "--json"],
                                        console: broken) == 1)
        #expect(broken.standardOutput.contains("\"name\":\"root-hash\",\"outcome\":\"failed\""))

        // Unreadable inputs are refusals (exit 1) that name the file.
        let missing = CapturedConsole()
        #expect(VerbundCommandLine.main(["audit", "verify", federation.root.file("nope.json"), "--root", rootFile], console: missing) == 1)
        #expect(missing.standardError.contains("cannot read"))
        let notRoot = CapturedConsole()
        #expect(VerbundCommandLine.main(["audit", "log", "verify", out, "--sth", out + ".sth.jws", "--root", out], console: notRoot) == 1)
        #expect(notRoot.standardError.contains("is not a PEM certificate"))

        // Usage errors exit 2: no --sth and none beside the export.
        try FileManager.default.removeItem(atPath: out + ".sth.jws")
        let noHead = CapturedConsole()
        #expect(VerbundCommandLine.main(["audit", "log", "verify", out, "--root", rootFile], console: noHead) == 2)
        #expect(noHead.standardError.contains("pass the signed tree head with --sth FILE"))
        #expect(VerbundCommandLine.main(["audit", "verify", "--root", rootFile], console: CapturedConsole()) == 2)
    }
}
