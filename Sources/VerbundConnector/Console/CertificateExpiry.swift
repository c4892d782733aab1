import Foundation
import VerbundFederation

/// How long the certificates of the federation still hold: the own one (the certificate this connector presents) and,
/// per member of the signed registry, the listed certificate that expires last (`Member.newestCertificate`, the one
/// whose renewal the member has to watch). Pure: the caller passes the registry, the own `notAfter` and the time.
package struct CertificateExpiry: Sendable, Equatable {
    /// Fewer days than this left is shown as a warning (docs/console.md).
    package static let warningDays = 30

    package let member: String
    package let name: String
    package let own: Bool
    package let notAfter: Date?
    /// Whole days left, rounded down; negative when expired; nil without a listed certificate.
    package let daysLeft: Int?

    package var expired: Bool { (daysLeft ?? 0) < 0 }
    package var needsAttention: Bool { daysLeft.map { $0 < Self.warningDays } ?? true }

    package static func list(registry: MemberRegistry, ownMember: String, ownNotAfter: Date, now: Date) -> [CertificateExpiry] {
        func days(_ date: Date) -> Int { Int((date.timeIntervalSince(now) / 86_400).rounded(.down)) }
        let ownName = registry.member(id: ownMember)?.name ?? ownMember
        var rows = [CertificateExpiry(member: ownMember, name: ownName, own: true, notAfter: ownNotAfter, daysLeft: days(ownNotAfter))]
        for member in registry.members.sorted(by: { $0.id < $1.id }) where member.id != ownMember {
            let notAfter = member.newestCertificate?.notAfter
            rows.append(CertificateExpiry(member: member.id, name: member.name, own: false, notAfter: notAfter, daysLeft: notAfter.map(days)))
        }
        return rows
    }
}

extension ConsoleRoutes {
    /// The "Braucht Aufmerksamkeit" lines of the Übersicht for certificates with fewer than 30 days left.
    func certificateAttention(_ language: ConsoleLanguage) -> [String] {
        let format = ISO8601DateFormatter()
        return CertificateExpiry.list(registry: context.trust.registry, ownMember: context.identity.memberId,
                                      ownNotAfter: context.identity.certificate.notAfter, now: context.clock())
            .filter { $0.needsAttention && ($0.own || $0.notAfter != nil) }
            .map { row in
                row.own ? ConsoleMessages.text(.attentionOwnCertificate, language) + " " + (row.notAfter.map(format.string) ?? "–")
                    : ConsoleMessages.text(.attentionMemberCertificate, language) + " \(row.member) (\(row.notAfter.map(format.string) ?? "–"))"
            }
    }

    /// Föderation → Zertifikate: a row per certificate; fewer than 30 days left is marked in words and colour.
    func certificateSection(_ language: ConsoleLanguage) -> String {
        let t = { (key: ConsoleText) in ConsoleMessages.text(key, language) }
        let rows = CertificateExpiry.list(registry: context.trust.registry, ownMember: context.identity.memberId,
                                          ownNotAfter: context.identity.certificate.notAfter, now: context.clock())
        let format = ISO8601DateFormatter()
        var html = "<h2>\(ConsoleHTML.escape(t(.certificates)))</h2><table><caption>\(ConsoleHTML.escape(t(.certificates)))</caption><thead><tr>"
        html += [t(.id), t(.name), t(.certificateExpiry), t(.expiresIn)].map { "<th scope=\"col\">\(ConsoleHTML.escape($0))</th>" }.joined()
        html += "</tr></thead><tbody>"
        for row in rows {
            var left = row.daysLeft.map { "\($0) \(t(.days))" } ?? t(.unknown)
            if row.expired { left += " – " + t(.expired) } else if row.needsAttention { left += " – " + t(.expiresSoon) }
            let mark = row.needsAttention ? " class=\"warn\"" : ""
            let who = row.own ? "\(row.member) (\(t(.ownCertificate)))" : row.member
            html += "<tr\(mark)><td>\(ConsoleHTML.escape(who))</td><td>\(ConsoleHTML.escape(row.name))</td>"
                + "<td>\(ConsoleHTML.escape(row.notAfter.map(format.string) ?? "–"))</td><td>\(ConsoleHTML.escape(left))</td></tr>"
        }
        return html + "</tbody></table>"
    }
}
