import Foundation
import VerbundAudit

/// `signing-time`: the agreement's timestamp agrees with the times of the signed log entries, so parties cannot
/// backdate a contract to a moment when the CRL and registry in the bundle still held them in good standing.
///
/// The exporting connector logs the agreement in the transaction that creates it (provider) or receives it
/// (consumer), with its own clock. The first entry naming the agreement must therefore lie between the timestamp
/// minus `clockSkew` and the timestamp plus `maxLogDelay`; entries must not lie after the tree head that covers them,
/// and their times must not go backwards as their index grows (a log appends in time order).
struct SigningTimeCheck: EvidenceCheck {
    /// Tolerated difference between the provider's clock (the timestamp) and the exporter's clock (the log).
    var clockSkew: TimeInterval = 5 * 60
    /// Longest accepted time between the agreement's timestamp and its first log entry (delivery retries included).
    var maxLogDelay: TimeInterval = 15 * 60

    func run(_ evidence: inout EvidenceFindings, _ report: inout AuditReport) -> EvidenceCheckFlow {
        guard let sth = evidence.treeHead, let agreement = evidence.agreement, let signedAt = evidence.signedAt else { return .proceed }
        let timed = evidence.includedEntries.compactMap { entry -> (index: Int, at: Date, value: JSONValue)? in
            guard let milliseconds = entry.value["at"]?.integerValue else { return nil }
            return (entry.index, Date(timeIntervalSince1970: Double(milliseconds) / 1000), entry.value)
        }.sorted { $0.index < $1.index }
        let naming = timed.filter { EvidenceBundle.mentions($0.value, anyOf: [agreement.id]) }
        guard let first = naming.min(by: { $0.at < $1.at }) else {
            report.fail("signing-time", "no signed log entry with a time names agreement \(agreement.id), so its timestamp cannot be compared with the log")
            return .proceed
        }
        let format = ContractSummary.format
        var problems: [String] = []
        if first.at < signedAt - clockSkew {
            problems.append("entry \(first.index) names the agreement at \(format(first.at)), before its timestamp \(format(signedAt))")
        }
        if first.at > signedAt + maxLogDelay {
            let minutes = Int(first.at.timeIntervalSince(signedAt) / 60)
            problems.append("the agreement is dated \(format(signedAt)) but the log names it first at \(format(first.at)) (entry \(first.index)), \(minutes) minutes later (at most \(Int(maxLogDelay / 60)) accepted): it was backdated")
        }
        if signedAt > sth.head.timestamp + clockSkew {
            problems.append("the agreement is dated \(format(signedAt)), after the tree head \(format(sth.head.timestamp)) that should cover it")
        }
        if let late = timed.first(where: { $0.at > sth.head.timestamp + clockSkew }) {
            problems.append("entry \(late.index) is dated \(format(late.at)), after the tree head \(format(sth.head.timestamp)) that covers it")
        }
        if let back = zip(timed, timed.dropFirst()).first(where: { $1.at < $0.at - clockSkew }) {
            problems.append("entry \(back.1.index) is dated \(format(back.1.at)), before entry \(back.0.index) at \(format(back.0.at)): the log's times go backwards")
        }
        report.record("signing-time", ok: problems.isEmpty,
                      "the agreement's timestamp agrees with the log: first named at \(format(first.at)) (entry \(first.index))",
                      failure: problems.joined(separator: "; "))
        return .proceed
    }
}
