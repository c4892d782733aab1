/// The states of a contract negotiation (DSP 2025-1 contract negotiation state machine).
public enum NegotiationState: String, Sendable, Hashable, CaseIterable, Codable {
    case requested = "REQUESTED"
    case offered = "OFFERED"
    case accepted = "ACCEPTED"
    case agreed = "AGREED"
    case verified = "VERIFIED"
    case finalized = "FINALIZED"
    case terminated = "TERMINATED"

    /// FINALIZED and TERMINATED "MUST NOT transition to another state".
    public var isTerminal: Bool { self == .finalized || self == .terminated }

    /// Reads the bare value (`REQUESTED`) or a 2024-1 style `dspace:REQUESTED` or full IRI.
    public init?(wire: String) {
        let bare = wire.split(separator: "/").last.map(String.init) ?? wire
        let term = bare.hasPrefix("dspace:") ? String(bare.dropFirst(7)) : bare
        self.init(rawValue: term)
    }
}

/// The ACK of every negotiation request: both process ids and the state.
public struct ContractNegotiation: Sendable, Hashable {
    public static let type = "ContractNegotiation"
    public var id: String?
    public var providerPid: String
    public var consumerPid: String
    public var state: NegotiationState

    public init(id: String? = nil, providerPid: String, consumerPid: String, state: NegotiationState) {
        self.id = id
        self.providerPid = providerPid
        self.consumerPid = consumerPid
        self.state = state
    }
}

/// The body of a 4xx answer to a negotiation message; "does not cause a state transition".
public struct ContractNegotiationError: Sendable, Hashable, Error {
    public static let type = "ContractNegotiationError"
    public var id: String?
    public var providerPid: String
    public var consumerPid: String
    public var code: String?
    public var reason: [String]

    public init(id: String? = nil, providerPid: String, consumerPid: String, code: String? = nil,
                reason: [String] = []) {
        self.id = id
        self.providerPid = providerPid
        self.consumerPid = consumerPid
        self.code = code
        self.reason = reason
    }
}

extension ContractNegotiation: Codable {
    public init(from decoder: any Decoder) throws {
        let keyed = try decoder.container(keyedBy: JSONKey.self)
        try keyed.requireDSPContext()
        try keyed.requireType(Self.type)
        id = try keyed.optionalString("@id")
        providerPid = try keyed.string("providerPid")
        consumerPid = try keyed.string("consumerPid")
        let written = try keyed.string("state")
        guard let state = NegotiationState(wire: written) else {
            throw DSPMessageError.invalidValue(field: "state", reason: "\"\(written)\" is not a negotiation state")
        }
        self.state = state
    }

    public func encode(to encoder: any Encoder) throws {
        var keyed = encoder.container(keyedBy: JSONKey.self)
        try keyed.encodeHeader(type: Self.type)
        try keyed.encodeIfPresent(id, forKey: "@id")
        try keyed.encode(providerPid, forKey: "providerPid")
        try keyed.encode(consumerPid, forKey: "consumerPid")
        try keyed.encode(state, forKey: "state")
    }
}

extension ContractNegotiationError: Codable {
    public init(from decoder: any Decoder) throws {
        let keyed = try decoder.container(keyedBy: JSONKey.self)
        try keyed.requireDSPContext()
        try keyed.requireType(Self.type)
        id = try keyed.optionalString("@id")
        providerPid = try keyed.string("providerPid")
        consumerPid = try keyed.string("consumerPid")
        code = try keyed.optionalString("code")
        reason = try keyed.reasons()
    }

    public func encode(to encoder: any Encoder) throws {
        var keyed = encoder.container(keyedBy: JSONKey.self)
        try keyed.encodeHeader(type: Self.type)
        try keyed.encodeIfPresent(id, forKey: "@id")
        try keyed.encode(providerPid, forKey: "providerPid")
        try keyed.encode(consumerPid, forKey: "consumerPid")
        try keyed.encodeReasons(code: code, reasons: reason)
    }
}
