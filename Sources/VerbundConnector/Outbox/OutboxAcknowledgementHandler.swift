import VerbundStore

/// Learns how the messages of one outbox kind ended, inside the transaction that marks the message finished — so a
/// state change that DSP ties to the counter-party's acknowledgement commits together with the acknowledgement.
///
/// Throwing rolls that transaction back; the message is then retried later (the peer must deduplicate by message id).
public protocol OutboxAcknowledgementHandler: Sendable {
    func outboxMessage(_ delivery: OutboxDelivery, finishedWith outcome: OutboxOutcome, in tx: Transaction,
                       context: ConnectorContext) throws
}

/// A handler from a closure, for modules that need no type of their own.
public struct OutboxHandler: OutboxAcknowledgementHandler {
    private let body: @Sendable (OutboxDelivery, OutboxOutcome, Transaction, ConnectorContext) throws -> Void

    public init(_ body: @escaping @Sendable (OutboxDelivery, OutboxOutcome, Transaction, ConnectorContext) throws -> Void) {
        self.body = body
    }

    public func outboxMessage(_ delivery: OutboxDelivery, finishedWith outcome: OutboxOutcome, in tx: Transaction,
                              context: ConnectorContext) throws {
        try body(delivery, outcome, tx, context)
    }
}
