/// A message that drives a DSP process (`NegotiationMessage`, `TransferMessage`), as the shared transition core
/// sees it: its kind in the transition table, the process ids it names, and the DSP message it wraps.
protocol ProcessMessage: Hashable, Sendable {
    associatedtype Kind: RawRepresentable<String>
    var kind: Kind { get }
    var providerPid: String? { get }
    /// `consumerPid`, nil where a message of this process may be sent before the consumer's id is known.
    var namedConsumerPid: String? { get }
    var dspMessage: DSPMessage { get }
}

extension NegotiationMessage: ProcessMessage {
    var namedConsumerPid: String? { consumerPid }
}

extension TransferMessage: ProcessMessage {
    var namedConsumerPid: String? { consumerPid }
}
