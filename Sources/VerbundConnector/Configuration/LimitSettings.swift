import VerbundTransport

/// Every setting an operator can tune through connector.json's `limits` (see `ConnectorLimits`), gathered in one
/// value so each `LimitKey` reads its default from the code's own defaults and writes a configured value in place.
package struct LimitSettings: Sendable {
    package var dspServer: HTTPServerConfiguration
    package var outbox: OutboxDispatcher.Settings
    package var federationFetch: FederationFetchSettings
    package var memberWrites: MemberWriteLimits
    package var crawlBounds: CrawlBounds
    package var resumeAllowance: Int

    package init(dspServer: HTTPServerConfiguration = HTTPServerConfiguration(),
                outbox: OutboxDispatcher.Settings = OutboxDispatcher.Settings(),
                federationFetch: FederationFetchSettings = FederationFetchSettings(),
                memberWrites: MemberWriteLimits = MemberWriteLimits(), crawlBounds: CrawlBounds = .standard,
                resumeAllowance: Int = TransferModule.defaultResumeAllowance) {
        self.dspServer = dspServer
        self.outbox = outbox
        self.federationFetch = federationFetch
        self.memberWrites = memberWrites
        self.crawlBounds = crawlBounds
        self.resumeAllowance = resumeAllowance
    }
}
