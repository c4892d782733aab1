/// The two parties of a negotiation or transfer.
public enum DSPRole: String, Sendable, Hashable, CaseIterable, Codable {
    case consumer
    case provider

    public var peer: DSPRole { self == .consumer ? .provider : .consumer }
}
