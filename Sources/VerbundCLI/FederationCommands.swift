import Foundation
import VerbundFederation
import VerbundJSON
import VerbundTrust

/// `verbund federation …`: the federation admin's commands.
enum FederationCommands {
    static var group: CommandGroup {
        CommandGroup(
            name: "federation",
            summary: "create a federation and admit, suspend, revoke or renew its members (admin)",
            children: [
                .command(initCommand), .command(admitCommand), .command(renewCommand),
                .command(FederationStatusCommands.suspend), .command(FederationStatusCommands.reinstate),
                .command(FederationStatusCommands.revoke), .command(FederationStatusCommands.crl),
                .command(FederationStatusCommands.rotateSigner),
                .command(FederationReportCommands.show), .command(FederationReportCommands.verify),
            ])
    }

    static let dirOption = OptionSpec.value("dir", "DIR", "The federation admin folder.")

    /// Opens the admin folder under its lock and runs one change; the lock is held until the change is written.
    static func change<T>(_ arguments: ParsedArguments, _ body: (FederationAdministration) throws(AdminError) -> T) throws(CLIError) -> T {
        let folder = FederationFolder(path: try arguments.required("dir"))
        return try administer { () throws(AdminError) in
            guard FileManager.default.fileExists(atPath: folder.registry) else {
                throw .notAFederation(path: folder.path, missing: "registry.jws")
            }
            let lock = try AdminFolderLock(folder: folder)
            return try withExtendedLifetime(lock) { () throws(AdminError) -> T in
                try body(try FederationAdministration(folder: folder))
            }
        }
    }

    static var initCommand: Command {
        Command(
            name: "init",
            summary: "create a federation: root CA, registry signer, empty registry and CRL",
            discussion: """
                Creates DIR with root.pem, registry-signer.pem, registry.jws (serial 1), crl.pem and the private keys in
                DIR/private (mode 0600). Refuses to overwrite an existing federation. Keep DIR/private/root.key offline.
                Example: verbund federation init --dir ./thueringen --id thueringen --name "Stadtverbund Thüringen"
                """,
            options: [
                dirOption,
                .value("id", "ID", "Federation id: lowercase letters, digits and '-' (part of every participant id)."),
                .value("name", "NAME", "Display name of the federation."),
                .value("root-days", "N", "Validity of the root certificate in days (default 3650)."),
                FederationStatusCommands.jsonOption,
            ]
        ) { arguments, console in
            let dir = try arguments.required("dir")
            let id = try arguments.required("id")
            let name = try arguments.required("name")
            let days = try arguments.integer("root-days", default: 3650, in: 30...7300)
            let admin = try administer { () throws(AdminError) in
                try FederationAdministration.create(in: FederationFolder(path: dir), id: id, name: name, rootDays: days)
            }
            if arguments.flag("json") {
                console.out(MemberJSON.text([
                    "federation": .string(id), "folder": .string(admin.folder.path),
                    "rootCertificate": .string(admin.folder.rootCertificate),
                    "rootFingerprintSHA256": .string(admin.root.certificate.fingerprintSHA256),
                    "registry": .string(admin.folder.registry),
                    "registrySerial": FederationStatusCommands.number(admin.registry.serial),
                    "crl": .string(admin.folder.crl), "privateFolder": .string(admin.folder.privateFolder),
                ] as JSONValue))
                return
            }
            console.out("Created federation '\(id)' in \(admin.folder.path)")
            console.out("  root certificate  \(admin.folder.rootCertificate)")
            // As `openssl x509 -in root.pem -noout -fingerprint -sha256` prints it, so members can compare by eye.
            console.out("    sha256 Fingerprint=\(opensslFingerprint(admin.root.certificate.fingerprintSHA256))")
            console.out("  registry          \(admin.folder.registry)  (serial \(admin.registry.serial))")
            console.out("  CRL               \(admin.folder.crl)")
            console.out("  private keys      \(admin.folder.privateFolder)  (keep root.key offline)")
        }
    }

    static var admitCommand: Command {
        Command(
            name: "admit",
            summary: "admit a member from its CSR: issue its certificate and add it to the registry",
            discussion: """
                Verifies the CSR (signature, key: EC P-256 or RSA ≥ 3072), issues a certificate whose SAN URI is the
                participant id urn:verbund:<federation>:<member>, lists the member and signs the next registry.
                Member id and name come from the CSR when it was made by `verbund member init`; pass them for other
                CSRs (e.g. from `openssl req`).
                Example: verbund federation admit --dir ./thueringen --csr jena.csr --endpoint https://daten.jena.de/dsp \\
                         --member jena --name "Stadt Jena" --ags 16053000 --out jena.pem
                """,
            options: [
                dirOption,
                .value("csr", "FILE", "The member's certificate signing request (PEM)."),
                .value("endpoint", "URL", "The member's DSP endpoint (https://…)."),
                .value("member", "ID", "Member id (default: from the CSR's participant id)."),
                .value("name", "NAME", "Display name (default: the CSR's common name)."),
                .value("ags", "AGS", "Amtlicher Gemeindeschlüssel, 8 digits."),
                .value("roles", "ROLES", "Comma-separated roles: provider,consumer (default both)."),
                .value("days", "N", "Certificate validity in days (default 365, at most 825)."),
                .value("out", "CERT.pem", "Where to write the issued certificate for the member."),
                .flag("json", "Print the new member as JSON."),
            ]
        ) { arguments, console in
            let csrFile = try arguments.required("csr")
            let out = try arguments.required("out")
            let roles = try parseRoles(arguments.value("roles"))
            let request = AdmissionRequest(
                memberId: arguments.value("member"), name: arguments.value("name"), ags: arguments.value("ags"),
                endpoint: try arguments.required("endpoint"), roles: roles,
                days: try arguments.integer("days", default: 365, in: 1...825))
            guard !FileManager.default.fileExists(atPath: out) else {
                throw CLIError.refused("\(out) already exists; choose another --out")
            }
            let issued = try change(arguments) { admin throws(AdminError) in
                try admin.admit(csr: try CertificateRequestFile.load(csrFile), request)
            }
            try writeCertificate(issued.certificate, to: out)
            report(issued, action: "Admitted", out: out, json: arguments.flag("json"), console: console)
        }
    }

    static var renewCommand: Command {
        Command(
            name: "renew",
            summary: "issue a new certificate for a member (key rollover); the old one stays listed until it expires",
            discussion: """
                The member makes a new key and CSR (`verbund member init --dir NEWDIR ...` or openssl req). The new
                certificate is listed beside the old one; revoke the old one with
                `verbund federation revoke --member ID --serial SERIAL` once the member has switched.
                Example: verbund federation renew --dir ./thueringen --member jena --csr jena-2027.csr --out jena-2027.pem
                """,
            options: [
                dirOption,
                .value("csr", "FILE", "The member's new certificate signing request (PEM)."),
                .value("member", "ID", "The member to renew."),
                .value("days", "N", "Certificate validity in days (default 365, at most 825)."),
                .value("out", "CERT.pem", "Where to write the new certificate."),
                .flag("json", "Print the member as JSON."),
            ]
        ) { arguments, console in
            let member = try arguments.required("member")
            let csrFile = try arguments.required("csr")
            let out = try arguments.required("out")
            let days = try arguments.integer("days", default: 365, in: 1...825)
            guard !FileManager.default.fileExists(atPath: out) else {
                throw CLIError.refused("\(out) already exists; choose another --out")
            }
            let issued = try change(arguments) { admin throws(AdminError) in
                try admin.renew(memberId: member, csr: try CertificateRequestFile.load(csrFile), days: days)
            }
            try writeCertificate(issued.certificate, to: out)
            report(issued, action: "Renewed", out: out, json: arguments.flag("json"), console: console)
        }
    }

    static func parseRoles(_ text: String?) throws(CLIError) -> [MemberRole] {
        guard let text else { return [.consumer, .provider] }
        switch MemberRole.parseList(text) {
        case let .success(roles): return roles
        case let .failure(error): throw .usage("--roles: \(error.description)")
        }
    }

    static func writeCertificate(_ certificate: Certificate, to path: String) throws(CLIError) {
        do { try AtomicFile.write(certificate.pem, to: path, exclusive: true) } catch { throw CLIError(error) }
    }

    static func report(_ issued: IssuedMembership, action: String, out: String, json: Bool, console: any Console) {
        if json {
            console.out(MemberJSON.text(issued.member))
            return
        }
        let member = issued.member
        console.out("\(action) \(FederationTable.shown(member.id)) (\(FederationTable.shown(member.name))) as \(FederationTable.shown(member.participantId))")
        console.out("  certificate  \(out)  serial \(issued.certificate.serialNumber.hex), valid until \(FederationTable.day(issued.certificate.notAfter))")
        console.out("  sha256       \(issued.certificate.fingerprintSHA256)")
        console.out("  registry     serial \(issued.registry.registry.serial)")
        console.out("Send the member \(out), root.pem, registry.jws and crl.pem.")
    }

    /// A lowercase hex digest in OpenSSL's fingerprint form: upper case, bytes separated by colons.
    static func opensslFingerprint(_ hex: String) -> String {
        var pairs: [String] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex) ?? hex.endIndex
            pairs.append(hex[index..<next].uppercased())
            index = next
        }
        return pairs.joined(separator: ":")
    }
}
