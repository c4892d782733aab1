import Foundation
import VerbundConnector
import VerbundFederation

/// `verbund member …`: what a city runs to join a federation.
enum MemberCommands {
    static var group: CommandGroup {
        CommandGroup(name: "member", summary: "create a city's key, CSR and connector configuration", children: [.command(initCommand)])
    }

    static var initCommand: Command {
        Command(
            name: "init",
            summary: "create the member key (stays here), member.csr for the admin, and connector.json",
            discussion: """
                Paths in connector.json are relative to DIR.
                Writes DIR/member.key (mode 0600; it never leaves the city), DIR/member.csr (CN = NAME; SAN URI = the
                participant id when the federation is known) and DIR/connector.json. Send member.csr to the federation
                admin and put the certificate you get back at DIR/member.pem. --federation points at a folder with the
                federation's public files (root.pem, registry.jws, crl.pem); without it they are expected in DIR/federation.
                Example: verbund member init --dir ./jena --id jena --name "Stadt Jena" --ags 16053000 --federation ./thueringen-public \\
                         --endpoint https://daten.jena.de/dsp
                A city that made its key and CSR with openssl (DIR/member.key) gets only connector.json with --config-only.
                A key rotation makes only a new key and CSR in a new folder with --key-only (the running connector.json
                stays the one; point its keyFile and certificateFile at the new files later, docs/operator.md §9).
                """,
            options: [
                .value("dir", "DIR", "The city's connector folder (created with mode 0700)."),
                .value("id", "ID", "Member id: lowercase letters, digits and '-'."),
                .value("name", "NAME", "The city's display name (CN of the certificate)."),
                .value("ags", "AGS", "Amtlicher Gemeindeschlüssel, 8 digits."),
                .value("federation", "DIR", "Folder with the federation's root.pem, registry.jws and crl.pem."),
                .value("federation-id", "ID", "The federation id, when the public files are not at hand yet."),
                .value("listen", "HOST:PORT", "DSP listen address (default 0.0.0.0:8443)."),
                .value("endpoint", "URL", "Public DSP endpoint (default https://localhost:PORT/dsp)."),
                .value("management", "HOST:PORT", "Management API address, loopback only (default 127.0.0.1:8444)."),
                .value("data", "DIR", "Data folder (default DIR/data), written as given."),
                .flag("config-only", "Write only connector.json, for a key and CSR made elsewhere (DIR/member.key)."),
                .flag("key-only", "Write only member.key and member.csr (key rotation): no connector.json."),
                .flag("json", "Print the written configuration as JSON."),
            ]
        ) { arguments, console in
            let dir = absolute(try arguments.required("dir"))
            let id = try arguments.required("id")
            let name = try arguments.required("name")
            let listen = arguments.value("listen") ?? "0.0.0.0:8443"
            guard let listenAddress = HostPort(listen) else { throw CLIError.usage("--listen '\(listen)' is not HOST:PORT") }
            let management = arguments.value("management") ?? "127.0.0.1:8444"
            let endpoint = arguments.value("endpoint") ?? "https://localhost:\(listenAddress.port)/dsp"
            let federationFolder = arguments.value("federation").map { absolute($0) } ?? dir + "/federation"
            var federationId = arguments.value("federation-id")
            if arguments.value("federation") != nil {
                let found = try administer { () throws(AdminError) in try MemberEnrollment.federationId(fromPublicFiles: federationFolder) }
                if let given = federationId, given != found {
                    throw CLIError.refused("--federation-id '\(given)' does not match the federation '\(found)' in \(federationFolder)")
                }
                federationId = found
            }
            let files = FederationFolder(path: federationFolder)
            let configurationFile = dir + "/connector.json"
            let (configOnly, keyOnly) = (arguments.flag("config-only"), arguments.flag("key-only"))
            guard !(configOnly && keyOnly) else { throw CLIError.usage("--config-only and --key-only exclude each other") }
            guard keyOnly || !FileManager.default.fileExists(atPath: configurationFile) else {
                throw CLIError.refused("\(configurationFile) already exists; refusing to overwrite it (for a new key and CSR "
                    + "only, e.g. a key rotation, add --key-only)")
            }
            var configuration = ConnectorConfiguration(
                memberId: id, participantId: federationId.map { ParticipantID(federation: $0, member: id).urn } ?? "",
                federation: .init(root: files.rootCertificate, registry: files.registry, crl: files.crl),
                keyFile: dir + "/member.key", certificateFile: dir + "/member.pem",
                listen: listen, endpoint: endpoint, management: management,
                dataDirectory: arguments.value("data").map { absolute($0) } ?? dir + "/data")
            // Check the flags before creating anything, so a typo leaves no half-made folder behind.
            let problems = configuration.validate().filter { $0.field != "participantId" || federationId != nil }
            guard problems.isEmpty else {
                throw CLIError.usage("connector configuration: " + problems.map(\.description).joined(separator: "; "))
            }
            if configOnly {
                try requireExistingKey(dir + "/member.key")
                try write(configuration, to: configurationFile, folder: dir, givenData: arguments.value("data"))
                if arguments.flag("json") { console.out(MemberJSON.text(written(configuration, folder: dir, givenData: arguments.value("data")))); return }
                console.out("Created \(configurationFile) for the key \(configuration.keyFile) (made elsewhere)")
                console.out("Put the certificate the admin returns at \(configuration.certificateFile).")
                return
            }
            let enrollment = try administer { () throws(AdminError) in
                try MemberEnrollment.create(in: dir, memberId: id, name: name, ags: arguments.value("ags"), federationId: federationId)
            }
            configuration.keyFile = enrollment.keyFile
            configuration.certificateFile = enrollment.certificateFile
            if keyOnly {
                console.out("Created a new key and CSR for member '\(id)' in \(dir) (no connector.json)")
                console.out("  private key    \(enrollment.keyFile)  (mode 0600; never send it anywhere)")
                console.out("  CSR            \(enrollment.csrFile)  → send to the federation admin (verbund federation renew)")
                console.out("When the new registry lists the certificate, set keyFile and certificateFile in your connector.json to "
                    + "\(enrollment.keyFile) and \(enrollment.certificateFile), and restart the connector.")
                return
            }
            try write(configuration, to: configurationFile, folder: dir, givenData: arguments.value("data"))
            if arguments.flag("json") {
                console.out(MemberJSON.text(written(configuration, folder: dir, givenData: arguments.value("data"))))
                return
            }
            console.out("Created member '\(id)' in \(dir)")
            console.out("  private key    \(enrollment.keyFile)  (mode 0600; never send it anywhere)")
            console.out("  CSR            \(enrollment.csrFile)  → send to the federation admin")
            console.out("  configuration  \(configurationFile)")
            if let participant = enrollment.participant {
                console.out("  participant    \(participant.urn)")
            } else {
                console.out("note: the federation id is not known yet; set participantId in connector.json to the id the admin reports")
            }
            console.out("Put the certificate the admin returns at \(enrollment.certificateFile).")
        }
    }

    /// The configuration as written: paths relative to the city's folder, but a data folder given with --data as given
    /// (made absolute), so `--data /var/lib/verbund` is not turned into `../../var/lib/verbund`.
    static func written(_ configuration: ConnectorConfiguration, folder: String, givenData: String?) -> ConnectorConfiguration {
        var relative = configuration.relativizingPaths(to: folder)
        if let givenData { relative.dataDirectory = absolute(givenData) }
        return relative
    }

    static func write(_ configuration: ConnectorConfiguration, to file: String, folder: String, givenData: String?) throws(CLIError) {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            try AtomicFile.write(try written(configuration, folder: folder, givenData: givenData).encoded(), to: file,
                                 mode: 0o644, exclusive: true)
        } catch let error as AdminError {
            throw CLIError(error)
        } catch {
            throw CLIError.refused("cannot write \(file): \(error)")
        }
    }

    /// --config-only: the key must be there already, readable only by its owner (as `serve` will insist).
    static func requireExistingKey(_ path: String) throws(CLIError) {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else {
            throw CLIError.refused("--config-only expects the city's private key at \(path) (e.g. made with "
                + "`openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out \(path)`); it is not there")
        }
        let mode = (attributes[.posixPermissions] as? Int ?? 0) & 0o777
        guard mode & 0o077 == 0 else {
            throw CLIError.refused("\(path) may be read by others (mode \(String(mode, radix: 8))); run `chmod 600 \(path)` first")
        }
    }

    static func absolute(_ path: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        let full = expanded.hasPrefix("/") ? expanded : FileManager.default.currentDirectoryPath + "/" + expanded
        return (full as NSString).standardizingPath
    }
}
