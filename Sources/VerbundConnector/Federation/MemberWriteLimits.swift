/// How many records one member may make this connector write per minute (see `MemberWriteBudget`); part of
/// `ConnectorOptions`. Beyond them a new negotiation or transfer is answered 429 and a refused registry is not
/// logged or recorded again; `verbund_member_write_budget_exceeded_total{member,kind}` counts each time.
package struct MemberWriteLimits: Sendable, Equatable {
    package var refusedTrustUpdatesPerMinute: Int
    package var negotiationsPerMinute: Int
    package var transfersPerMinute: Int

    package init(refusedTrustUpdatesPerMinute: Int = 10, negotiationsPerMinute: Int = 120, transfersPerMinute: Int = 120) {
        self.refusedTrustUpdatesPerMinute = refusedTrustUpdatesPerMinute
        self.negotiationsPerMinute = negotiationsPerMinute
        self.transfersPerMinute = transfersPerMinute
    }

    var budget: MemberWriteBudget.Limits {
        .init(perMinute: [.refusedTrustUpdate: refusedTrustUpdatesPerMinute, .negotiation: negotiationsPerMinute,
                          .transfer: transfersPerMinute])
    }
}
