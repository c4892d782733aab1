import VerbundTransport
import VerbundTrust

/// TLS to an API dataset's upstream: no client certificate, the server's chain verified against the dataset's CA
/// file or else the system trust store, and its name against the upstream host (`TLSConfiguration.anonymousClient`).
/// Any verified server of that name is accepted: the upstream is outside the federation, so no member identity applies.
enum UpstreamTLS {
    static func connect(caFile: String?) throws -> HTTPClient.Connect {
        let roots = try caFile.map { try Certificate.all(pemFile: $0) } ?? []
        let context = try TLSContext(configuration: .anonymousClient(trustRoots: roots))
        let connector = TLSConnector(contexts: TLSContextSlot(context), identityCheck: PeerIdentityCheck<Bool> { _ in true })
        return connector.httpConnect
    }
}
