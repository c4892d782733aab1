import Foundation
import VerbundTrust

/// One finding of `verbund federation verify`.
package struct FederationFinding: Sendable, Equatable, CustomStringConvertible {
    package enum Severity: String, Sendable, Codable {
        case ok
        case warning
        case error
    }

    package let severity: Severity
    package let subject: String
    package let message: String

    package init(_ severity: Severity, _ subject: String, _ message: String) {
        self.severity = severity
        self.subject = subject
        self.message = message
    }

    package var description: String { "\(severity.rawValue.uppercased().padding(toLength: 7, withPad: " ", startingAt: 0)) \(subject): \(message)" }
}

/// The full consistency check of a federation's public files (as an admin folder or as handed to a member):
/// root, registry signature and signer chain, CRL signature and freshness, and each member's certificates.
package enum FederationCheck {
    /// Certificates expiring within this many days are flagged.
    package static let expiryWarningDays = 30

    package static func run(rootFile: String, registryFile: String, crlFile: String, now: Date = Date()) -> [FederationFinding] {
        var findings: [FederationFinding] = []
        let root: Certificate
        do {
            root = try Certificate(pem: try String(contentsOfFile: rootFile, encoding: .utf8))
        } catch {
            return [FederationFinding(.error, "root", "\(rootFile) cannot be read as a certificate: \(error)")]
        }
        if root.isCA && root.isSigned(by: root) && root.isValid(at: now) {
            findings.append(FederationFinding(.ok, "root", "\(root.subject), valid until \(day(root.notAfter))"))
        } else {
            findings.append(FederationFinding(.error, "root", "\(root.subject) is not a valid self-signed CA at \(day(now))"))
        }
        findings += expiryFinding("root", root.notAfter, now: now)

        var crl: CertificateRevocationList?
        do {
            let parsed = try CertificateRevocationList(pem: try String(contentsOfFile: crlFile, encoding: .utf8))
            crl = parsed
            if parsed.isSigned(by: root) {
                findings.append(FederationFinding(.ok, "crl", "number \(parsed.number.map(String.init) ?? "none"), \(parsed.entries.count) revoked, signed by the root"))
            } else {
                findings.append(FederationFinding(.error, "crl", "the CRL is not signed by the federation root"))
            }
            switch CRLFreshness(nextUpdate: parsed.nextUpdate, now: now) {
            case let .fresh(nextUpdate):
                let days = Int(nextUpdate.timeIntervalSince(now) / 86_400)
                findings.append(FederationFinding(days < 7 ? .warning : .ok, "crl",
                    "next update due \(day(nextUpdate)) (in \(days) days)" + (days < 7 ? "; run `verbund federation crl` soon" : "")))
            case let .stale(nextUpdate):
                findings.append(FederationFinding(.error, "crl", "stale: nextUpdate \(day(nextUpdate)) has passed; run `verbund federation crl` and redistribute crl.pem"))
            case .noNextUpdate:
                findings.append(FederationFinding(.warning, "crl", "has no nextUpdate"))
            }
        } catch {
            findings.append(FederationFinding(.error, "crl", "\(crlFile) cannot be read as a CRL: \(error)"))
        }

        let registry: SignedRegistry
        do {
            let text = try String(contentsOfFile: registryFile, encoding: .utf8)
            registry = try SignedRegistry(compact: text, root: root, crl: crl, expectedFederation: nil, at: now)
        } catch {
            findings.append(FederationFinding(.error, "registry", "\(error)"))
            return findings
        }
        let payload = registry.registry
        findings.append(FederationFinding(.ok, "registry",
            "federation '\(payload.federation.id)' serial \(payload.serial), \(payload.members.count) members, signature valid, signer \(registry.signer.subject) chains to the root"))
        findings += expiryFinding("registry signer", registry.signer.notAfter, now: now)

        var participants: Set<String> = []
        for member in payload.members {
            let subject = "member \(member.id)"
            if !participants.insert(member.participantId).inserted {
                findings.append(FederationFinding(.error, subject, "participant id \(member.participantId) is listed twice"))
            }
            if ParticipantID(urn: member.participantId) != ParticipantID(federation: payload.federation.id, member: member.id) {
                findings.append(FederationFinding(.error, subject, "participant id \(member.participantId) does not match the member id"))
            }
            for listed in member.certificates {
                let revoked = SerialNumber(hex: listed.serial).map { crl?.isRevoked($0) ?? false } ?? false
                if revoked && member.status != .revoked {
                    findings.append(FederationFinding(.error, subject, "certificate \(listed.serial) is on the CRL but still listed for a \(member.status.rawValue) member"))
                }
            }
            if member.status == .active {
                guard let newest = member.newestCertificate else {
                    findings.append(FederationFinding(.error, subject, "active but lists no certificate"))
                    continue
                }
                findings += expiryFinding(subject, newest.notAfter, now: now)
            }
        }
        return findings
    }

    private static func expiryFinding(_ subject: String, _ notAfter: Date, now: Date) -> [FederationFinding] {
        let days = Int(notAfter.timeIntervalSince(now) / 86_400)
        if notAfter < now { return [FederationFinding(.error, subject, "certificate expired on \(day(notAfter))")] }
        if days < expiryWarningDays {
            return [FederationFinding(.warning, subject, "certificate expires in \(days) days (\(day(notAfter))); renew it")]
        }
        return []
    }

    static func day(_ date: Date) -> String { date.formatted(.iso8601.year().month().day()) }
}
