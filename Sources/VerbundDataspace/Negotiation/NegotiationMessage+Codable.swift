// Negotiation and transfer messages are stored (e.g. a machine's `lastMessage`) as the DSP message they wrap.

extension NegotiationMessage: Codable {
    public init(from decoder: any Decoder) throws {
        let message = try DSPMessage(from: decoder)
        guard let negotiation = NegotiationMessage(message) else {
            throw DSPMessageError.invalidValue(field: "@type", reason: "\(message.type) is not a negotiation message")
        }
        self = negotiation
    }

    public func encode(to encoder: any Encoder) throws {
        try dspMessage.encode(to: encoder)
    }
}

extension TransferMessage: Codable {
    public init(from decoder: any Decoder) throws {
        let message = try DSPMessage(from: decoder)
        guard let transfer = TransferMessage(message) else {
            throw DSPMessageError.invalidValue(field: "@type", reason: "\(message.type) is not a transfer message")
        }
        self = transfer
    }

    public func encode(to encoder: any Encoder) throws {
        try dspMessage.encode(to: encoder)
    }
}
