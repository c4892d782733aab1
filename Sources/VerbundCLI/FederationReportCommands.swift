import Foundation
import VerbundFederation
import VerbundTrust

/// `verbund federation show|verify`: the members at a glance, and the full consistency check.
enum FederationReportCommands {
    static var show: Command {
        Command(
            name: "show",
            summary: "list the members: status, roles, AGS, endpoint, certificate expiry",
            discussion: "Works on the admin folder and on a folder of the federation's public files (root.pem, registry.jws).\nExample: verbund federation show --dir ./thueringen --json",
            options: [
                .value("dir", "DIR", "Folder with root.pem and registry.jws."),
                .flag("json", "Print the verified registry payload as JSON."),
            ]
        ) { arguments, console in
            let folder = FederationFolder(path: try arguments.required("dir"))
            let signed = try verifiedRegistry(folder)
            if arguments.flag("json") {
                console.out(MemberJSON.text(signed.registry))
            } else {
                console.out(FederationTable.render(signed.registry, now: Date()))
            }
        }
    }

    static var verify: Command {
        Command(
            name: "verify",
            summary: "check the registry signature, the chain, the CRL signature and freshness, and expiries",
            discussion: "Exit status 1 if anything is wrong; warnings (e.g. certificates expiring within 30 days) do not fail.\nExample: verbund federation verify --dir ./thueringen",
            options: [
                .value("dir", "DIR", "Folder with root.pem, registry.jws and crl.pem."),
                .flag("json", "Print the findings as JSON."),
            ]
        ) { arguments, console in
            let folder = FederationFolder(path: try arguments.required("dir"))
            let findings = FederationCheck.run(rootFile: folder.rootCertificate, registryFile: folder.registry, crlFile: folder.crl)
            if arguments.flag("json") {
                let rows = findings.map { ["severity": $0.severity.rawValue, "subject": $0.subject, "message": $0.message] }
                console.out(MemberJSON.text(rows))
            } else {
                findings.forEach { console.out(FederationTable.shown($0.description)) }
            }
            let errors = findings.filter { $0.severity == .error }.count
            if errors > 0 { throw CLIError.refused("\(errors) problem\(errors == 1 ? "" : "s") found in \(folder.path)") }
        }
    }

    static func verifiedRegistry(_ folder: FederationFolder) throws(CLIError) -> SignedRegistry {
        do {
            let root = try Certificate(pem: try String(contentsOfFile: folder.rootCertificate, encoding: .utf8))
            let text = try String(contentsOfFile: folder.registry, encoding: .utf8)
            return try SignedRegistry(compact: text, root: root, crl: nil, expectedFederation: nil, at: Date())
        } catch let error as RegistryVerificationError {
            throw .refused("\(folder.registry): \(error.description)")
        } catch {
            throw .refused("cannot read the federation in \(folder.path) (root.pem, registry.jws): \(error)")
        }
    }
}
