import VerbundStore

/// Learns how the messages of one outbox kind ended, inside the transaction that marks the message finished — so a
/// state change that DSP ties to the counter-party's acknowledgement commits together with the acknowledgement.
///
/// A message's delivery goes through phases: queued → on the wire → acknowledged (2xx), refused (final 4xx) or
/// undeliverable; an attempt that fails for now (5xx, 408/425/429, a lost connection) puts it back to queued.
/// `outboxMessageWillSend` runs in a transaction that commits before each attempt's request goes out, so a handler
/// can commit the state the message announces before the peer can hold the message (and act on it at once);
/// `attemptFailed` runs in the transaction that records a failed attempt, so the handler can go back to the state
/// before.
///
/// Throwing rolls that transaction back; the message is then retried later (the peer must deduplicate by message id).
package protocol OutboxAcknowledgementHandler: Sendable {
    func outboxMessage(_ delivery: OutboxDelivery, finishedWith outcome: OutboxOutcome, in tx: Transaction,
                       context: ConnectorContext) throws
    func outboxMessageWillSend(_ delivery: OutboxDelivery, in tx: Transaction, context: ConnectorContext) throws
    func outboxMessage(_ delivery: OutboxDelivery, attemptFailed reason: String, in tx: Transaction,
                       context: ConnectorContext) throws
}

extension OutboxAcknowledgementHandler {
    package func outboxMessageWillSend(_ delivery: OutboxDelivery, in tx: Transaction, context: ConnectorContext) throws {}
    package func outboxMessage(_ delivery: OutboxDelivery, attemptFailed reason: String, in tx: Transaction,
                              context: ConnectorContext) throws {}
}

/// A handler from closures, for modules that need no type of their own.
package struct OutboxHandler: OutboxAcknowledgementHandler {
    package typealias Phase = @Sendable (OutboxDelivery, Transaction, ConnectorContext) throws -> Void
    private let body: @Sendable (OutboxDelivery, OutboxOutcome, Transaction, ConnectorContext) throws -> Void
    private let willSend: Phase?
    private let failed: Phase?

    package init(willSend: Phase? = nil, attemptFailed: Phase? = nil,
                _ body: @escaping @Sendable (OutboxDelivery, OutboxOutcome, Transaction, ConnectorContext) throws -> Void) {
        self.body = body
        self.willSend = willSend
        self.failed = attemptFailed
    }

    package func outboxMessage(_ delivery: OutboxDelivery, finishedWith outcome: OutboxOutcome, in tx: Transaction,
                              context: ConnectorContext) throws {
        try body(delivery, outcome, tx, context)
    }

    package func outboxMessageWillSend(_ delivery: OutboxDelivery, in tx: Transaction, context: ConnectorContext) throws {
        try willSend?(delivery, tx, context)
    }

    package func outboxMessage(_ delivery: OutboxDelivery, attemptFailed reason: String, in tx: Transaction,
                              context: ConnectorContext) throws {
        try failed?(delivery, tx, context)
    }
}
