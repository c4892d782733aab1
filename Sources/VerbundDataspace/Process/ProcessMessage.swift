/// A message that drives a DSP process (`NegotiationMessage`, `TransferMessage`), as the shared transition core
/// sees it: its kind in the transition table, the process ids it names, and the DSP message it wraps.
/// It is stored (e.g. a machine's `lastMessage`) as that DSP message.
protocol ProcessMessage: Hashable, Sendable, Codable {
    associatedtype Kind: RawRepresentable<String>
    /// The process in words, for error text ("negotiation", "transfer").
    static var processName: String { get }
    var kind: Kind { get }
    var providerPid: String? { get }
    /// `consumerPid`, nil where a message of this process may be sent before the consumer's id is known.
    var namedConsumerPid: String? { get }
    var dspMessage: DSPMessage { get }
    /// The message if `message` is one of this process's, else nil.
    init?(_ message: DSPMessage)
}

extension ProcessMessage {
    package init(from decoder: any Decoder) throws {
        let message = try DSPMessage(from: decoder)
        guard let processMessage = Self(message) else {
            throw DSPMessageError.invalidValue(
                field: "@type", reason: "\(message.type) is not a \(Self.processName) message")
        }
        self = processMessage
    }

    package func encode(to encoder: any Encoder) throws {
        try dspMessage.encode(to: encoder)
    }
}

extension NegotiationMessage: ProcessMessage {
    static var processName: String { "negotiation" }
    var namedConsumerPid: String? { consumerPid }
}

extension TransferMessage: ProcessMessage {
    static var processName: String { "transfer" }
    var namedConsumerPid: String? { consumerPid }
}
