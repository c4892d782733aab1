/// connector.json's optional `limits` object: the bounds an operator may tune (handshakes, outbox, crawl, federation
/// fetches, member write budgets, transfer resumption), each a `LimitKey`, durations in seconds and sizes in bytes.
/// A key not set keeps the code's default; `validate()` names unknown keys and values out of range.
package struct ConnectorLimits: Codable, Sendable, Equatable {
    /// Key → value as written in the file.
    package var values: [String: Double]

    package init(_ values: [String: Double] = [:]) { self.values = values }

    package init(from decoder: any Decoder) throws {
        values = try decoder.singleValueContainer().decode([String: Double].self)
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(values)
    }

    /// One problem per unknown key (naming the known ones) and per value outside its key's range.
    package func validate() -> [ConfigurationProblem] {
        var problems: [ConfigurationProblem] = []
        for name in values.keys.sorted() {
            let value = values[name] ?? 0
            guard let key = LimitKey.named(name) else {
                problems.append(ConfigurationProblem(
                    field: "limits.\(name)",
                    message: "unknown limit '\(name)'; the known limits are "
                        + LimitKey.all.map(\.name).joined(separator: ", ")))
                continue
            }
            if !key.accepts(value) {
                problems.append(ConfigurationProblem(
                    field: "limits.\(name)",
                    message: "\(value) is out of range: \(name) (\(key.summary)) must be \(key.rangeText)"))
            }
        }
        return problems
    }

    /// `settings` with every key set here written over it (keys not set keep what `settings` holds).
    package func applied(to settings: LimitSettings) -> LimitSettings {
        var result = settings
        for key in LimitKey.all {
            if let value = values[key.name], key.accepts(value) { key.write(value, &result) }
        }
        return result
    }

    /// `options` with the listener, outbox, federation-fetch and member-write keys set here written over it.
    package func applied(to options: ConnectorOptions) -> ConnectorOptions {
        let settings = applied(to: LimitSettings(dspServer: options.dspServer, outbox: options.outbox,
                                                 federationFetch: options.federationFetch, memberWrites: options.memberWrites))
        var result = options
        result.dspServer = settings.dspServer
        result.outbox = settings.outbox
        result.federationFetch = settings.federationFetch
        result.memberWrites = settings.memberWrites
        return result
    }

    /// The catalog crawl bounds in effect (for `CatalogModule(crawlBounds:)`).
    package var crawlBounds: CrawlBounds { applied(to: LimitSettings()).crawlBounds }

    /// The transfer resume allowance in effect (for `TransferModule(resumeAllowance:)`).
    package var resumeAllowance: Int { applied(to: LimitSettings()).resumeAllowance }
}
