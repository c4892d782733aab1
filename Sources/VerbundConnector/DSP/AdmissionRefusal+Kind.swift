import VerbundFederation

extension AdmissionRefusal {
    /// A short label for metrics (`reason="memberNotActive"`): the case without its details.
    package var kind: String {
        switch self {
        case .chainFailed: return "chainFailed"
        case .revokedOnCRL: return "revokedOnCRL"
        case .crlStale: return "crlStale"
        case .fingerprintNotListed: return "fingerprintNotListed"
        case .memberNotActive: return "memberNotActive"
        case .participantMismatch: return "participantMismatch"
        case .foreignFederation: return "foreignFederation"
        }
    }
}
