/// The two parties of a negotiation or transfer.
package enum DSPRole: String, Sendable, Hashable, CaseIterable, Codable {
    case consumer
    case provider

    package var peer: DSPRole { self == .consumer ? .provider : .consumer }
}
