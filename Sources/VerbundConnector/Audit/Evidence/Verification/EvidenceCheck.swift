import Foundation
import VerbundAudit
import VerbundDataspace
import VerbundFederation
import VerbundTrust

/// One named check of `verbund audit verify` (docs/auditor.md lists them). A check reads what the checks before it
/// established, records its outcome under its stable name, and adds what it established for the checks after it.
/// Checks run in the order `EvidenceVerifier.standardChecks` gives; a new check is a new type in that list.
protocol EvidenceCheck: Sendable {
    func run(_ evidence: inout EvidenceFindings, _ report: inout AuditReport) -> EvidenceCheckFlow
}

/// Whether the checks after this one can still judge anything.
enum EvidenceCheckFlow: Sendable, Equatable {
    case proceed
    /// The bundle cannot be read far enough for any later check (no bundle, no contract, no agreement).
    case stop
}

/// What the verifier was given and what the checks so far established. A member stays nil when the check that
/// fills it failed; later checks that need it then fail with "cannot tell" instead of guessing.
struct EvidenceFindings {
    let bytes: [UInt8]
    /// The federation root the auditor trusts.
    let root: Certificate
    /// A newer CRL the auditor fetched (`--crl`), to tell whether a party is revoked now.
    let currentCRL: CertificateRevocationList?

    var bundle: EvidenceBundle?
    var contract: GeneralJWS?
    var agreement: Agreement?
    /// The agreement's timestamp: the moment both parties signed (set by the provider).
    var signedAt: Date?
    /// The x5c chains of the signatures that name the assigner (provider) and assignee (consumer).
    var providerChain: [Certificate]?
    var consumerChain: [Certificate]?
    /// The bundle's CRL, if the root signed it (whether or not it was in force at signing).
    var crl: CertificateRevocationList?
    var registry: MemberRegistry?
    var treeHead: SignedTreeHead?
    /// Entries whose inclusion proof leads to the tree head's root hash, decoded, in bundle order.
    var includedEntries: [(index: Int, value: JSONValue)] = []

    init(bytes: [UInt8], root: Certificate, currentCRL: CertificateRevocationList?) {
        self.bytes = bytes
        self.root = root
        self.currentCRL = currentCRL
    }

    func chain(of role: EvidenceParty) -> [Certificate]? {
        role == .provider ? providerChain : consumerChain
    }

    /// The agreement's participant id of `role`.
    func participant(_ role: EvidenceParty) -> String? {
        role == .provider ? agreement?.assigner : agreement?.assignee
    }
}

/// The two signing parties of a contract; the check names start with the raw value.
enum EvidenceParty: String, Sendable, CaseIterable {
    case provider, consumer
}
