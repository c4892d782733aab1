import Foundation
import VerbundFederation
import VerbundJSON
import VerbundTrust

/// `verbund federation suspend|reinstate|revoke|crl`: changes of a member's standing, and CRL upkeep.
enum FederationStatusCommands {
    private static let memberOption = OptionSpec.value("member", "ID", "The member.")
    private static let reasonOption = OptionSpec.value("reason", "TEXT", "Why, recorded in the registry.")
    static let jsonOption = OptionSpec.flag("json", "Print the result as a JSON object.")

    static func number(_ value: UInt64?) -> JSONValue { value.map { .integer(Int64($0)) } ?? .null }
    static func date(_ value: Date?) -> JSONValue { value.map { .string(ISO8601DateFormatter().string(from: $0)) } ?? .null }

    static var suspend: Command {
        standingChange(
            name: "suspend", done: "Suspended",
            summary: "bar a member until reinstated (new registry)",
            discussion: "Connectors refuse the member as soon as they hold the new registry. Its certificates stay valid.\nExample: verbund federation suspend --dir ./thueringen --member jena --reason \"unpaid fee\""
        ) { admin, member, reason throws(AdminError) in try admin.suspend(memberId: member, reason: reason) }
    }

    static var reinstate: Command {
        standingChange(
            name: "reinstate", done: "Reinstated",
            summary: "make a suspended member active again (new registry)",
            discussion: "Example: verbund federation reinstate --dir ./thueringen --member jena --reason \"fee paid\""
        ) { admin, member, reason throws(AdminError) in try admin.reinstate(memberId: member, reason: reason) }
    }

    /// A command that changes one member's standing with `--member` and `--reason` and signs the next registry.
    private static func standingChange(
        name: String, done: String, summary: String, discussion: String,
        change: @escaping @Sendable (FederationAdministration, String, String?) throws(AdminError) -> SignedRegistry
    ) -> Command {
        Command(name: name, summary: summary, discussion: discussion,
                options: [FederationCommands.dirOption, memberOption, reasonOption, jsonOption]) { arguments, console in
            let member = try arguments.required("member")
            let reason = arguments.value("reason")
            let signed = try FederationCommands.change(arguments) { admin throws(AdminError) in try change(admin, member, reason) }
            if arguments.flag("json") {
                let status = signed.registry.member(id: member)?.status.rawValue
                console.out(MemberJSON.text(["member": .string(member), "status": status.map { .string($0) } ?? .null,
                                             "registrySerial": number(signed.registry.serial)] as JSONValue))
                return
            }
            console.out("\(done) \(FederationTable.shown(member)); registry serial \(signed.registry.serial). Distribute registry.jws.")
        }
    }

    static var revoke: Command {
        Command(
            name: "revoke",
            summary: "revoke a member (or one of its certificates): CRL and registry",
            discussion: """
                Puts the member's certificate serials on the CRL with the RFC 5280 §5.3.1 reason code, bumps the CRL
                number, marks the member revoked and signs the next registry. With --serial only that certificate is
                revoked (e.g. the old key after a rollover, or a leaked key) and the member keeps its other ones.
                Reason codes: \(reasonNames.joined(separator: ", ")).
                Example: verbund federation revoke --dir ./thueringen --member jena --reason-code keyCompromise --reason "laptop stolen"
                """,
            options: [
                FederationCommands.dirOption, memberOption, reasonOption,
                .value("reason-code", "CODE", "CRL reason code (default unspecified)."),
                .value("serial", "SERIAL", "Revoke only this certificate of the member (hex serial)."), jsonOption,
            ]
        ) { arguments, console in
            let member = try arguments.required("member")
            let code = try reasonCode(arguments.value("reason-code"))
            let reason = arguments.value("reason")
            let serial = arguments.value("serial")
            let result = try FederationCommands.change(arguments) { admin throws(AdminError) in
                try admin.revoke(memberId: member, reason: reason, code: code, certificateSerial: serial)
            }
            if arguments.flag("json") {
                console.out(MemberJSON.text(["member": .string(member), "certificateSerial": serial.map { .string($0) } ?? .null,
                                             "reasonCode": .string(name(of: code)), "crlNumber": number(result.crl.number),
                                             "registrySerial": number(result.registry.registry.serial)] as JSONValue))
                return
            }
            let what = FederationTable.shown(serial.map { "certificate \($0) of \(member)" } ?? member)
            console.out("Revoked \(what) (\(name(of: code))); CRL number \(result.crl.number.map(String.init) ?? "?"), registry serial \(result.registry.registry.serial).")
            console.out("Distribute crl.pem and registry.jws to all members now.")
        }
    }

    static var crl: Command {
        Command(
            name: "crl",
            summary: "reissue the CRL with a fresh nextUpdate (before the old one goes stale)",
            discussion: "Run at least every \(FederationAdministration.crlValidityDays - 7) days, e.g. from cron, and distribute crl.pem.\nExample: verbund federation crl --dir ./thueringen",
            options: [FederationCommands.dirOption, jsonOption]
        ) { arguments, console in
            let fresh = try FederationCommands.change(arguments) { admin throws(AdminError) in try admin.refreshCRL() }
            if arguments.flag("json") {
                console.out(MemberJSON.text(["crlNumber": number(fresh.number), "entries": .integer(Int64(fresh.entries.count)),
                                             "nextUpdate": date(fresh.nextUpdate)] as JSONValue))
                return
            }
            console.out("CRL number \(fresh.number.map(String.init) ?? "?") with \(fresh.entries.count) entries, next update \(fresh.nextUpdate.map(FederationTable.day) ?? "none").")
        }
    }

    static var rotateSigner: Command {
        Command(
            name: "rotate-signer",
            summary: "replace the registry signing key and certificate; the old certificate goes on the CRL",
            discussion: """
                Run it before registry-signer.pem expires (verify warns 30 days ahead) or at once if the signing key
                leaked (--reason-code keyCompromise). Re-signs the registry under the next serial with the new key and
                revokes the old signer certificate. Distribute registry.jws and crl.pem afterwards.
                Example: verbund federation rotate-signer --dir ./thueringen
                """,
            options: [FederationCommands.dirOption, .value("reason-code", "CODE", "CRL reason for the old certificate (default superseded)."),
                      jsonOption]
        ) { arguments, console in
            let code = try reasonCode(arguments.value("reason-code") ?? "superseded")
            let result = try FederationCommands.change(arguments) { admin throws(AdminError) in try admin.rotateSigner(code: code) }
            if arguments.flag("json") {
                console.out(MemberJSON.text(["signerSerial": .string(result.signer.serialNumber.hex),
                                             "signerNotAfter": date(result.signer.notAfter),
                                             "registrySerial": number(result.registry.registry.serial),
                                             "crlNumber": number(result.crl.number)] as JSONValue))
                return
            }
            console.out("New registry signer serial \(result.signer.serialNumber.hex), valid until \(FederationTable.day(result.signer.notAfter)); registry serial \(result.registry.registry.serial), CRL number \(result.crl.number.map(String.init) ?? "?").")
            console.out("Distribute registry.jws and crl.pem to all members now.")
        }
    }

    static var reasonNames: [String] { RevocationReason.allCases.map(name(of:)) }

    static func name(of reason: RevocationReason) -> String { String(describing: reason) }

    static func reasonCode(_ text: String?) throws(CLIError) -> RevocationReason {
        guard let text else { return .unspecified }
        guard let reason = RevocationReason.allCases.first(where: { name(of: $0).lowercased() == text.lowercased() }) else {
            throw .usage("--reason-code '\(text)' is unknown; use one of \(reasonNames.joined(separator: ", "))")
        }
        return reason
    }
}
