import Foundation
import VerbundDataspace
import VerbundHTTP
import VerbundStore
import VerbundTransport

/// The connector's own module: the core tables, the federation routes peers fetch newer registries and CRLs from,
/// and the management routes for health, metrics, status and peers. `Connector` always runs it first.
package struct CoreModule: ConnectorModule {
    package let name = "core"
    package let migrationVersions = 2...9
    package let info: DaemonInfo

    package init(info: DaemonInfo = DaemonInfo()) {
        self.info = info
    }

    package var migrations: [Migration] { CoreSchema.migrations }

    /// `GET <endpoint>/federation/registry` (the registry JWS held, RFC 7515 compact) and `GET <endpoint>/federation/crl`
    /// (the CRL held, DER, RFC 2585 `application/pkix-crl`), for peers that saw a higher serial or CRL number.
    package func registerDSPRoutes(into router: inout DSPRoutes, context: ConnectorContext) {
        router.get("/federation/registry") { _, _ in
            HTTPResponse(contentType: "application/jose", bytes: Array(context.trust.signedRegistry.compact.utf8))
        }
        router.get("/federation/crl") { _, _ in
            HTTPResponse(contentType: "application/pkix-crl", bytes: context.trust.crl.der)
        }
    }

    /// `GET /.well-known/dspace-version` at the root of the DSP listener (DSP 2025-1 §4.3, RFC 8615): one entry for
    /// 2025-1 over HTTPS whose path is the endpoint's path.
    func registerRootRoutes(into router: inout Router, context: ConnectorContext) {
        let path = context.dspBasePath.isEmpty ? "/" : context.dspBasePath
        let versions = VersionResponse(protocolVersions: [.init(version: DSPVocabulary.version, path: path, binding: "HTTPS")])
        router.get(Self.versionPath) { _, _ in try DSPResponse.json(versions) }
    }

    /// The DSP version endpoint (RFC 8615 well-known URI); with `openVersionEndpoint` the only path open to a client
    /// without a certificate.
    static let versionPath = "/.well-known/dspace-version"

    package func registerManagementRoutes(into router: inout Router, context: ConnectorContext) {
        let info = self.info
        router.get("/healthz") { _, _ in try ManagementJSON.response(HealthReport(context: context)) }
        router.get("/metrics") { _, _ in
            context.metrics.set(ConnectorMetrics.registrySerial, to: Double(context.trust.registry.serial))
            context.metrics.set(ConnectorMetrics.crlNumber, to: Double(context.trust.crl.number ?? 0))
            context.metrics.set(ConnectorMetrics.crlStale, to: context.trust.crlFreshness(at: context.clock()).isStale ? 1 : 0)
            // Prometheus text exposition format 0.0.4.
            return HTTPResponse(contentType: "text/plain; version=0.0.4; charset=utf-8", bytes: Array(context.metrics.exposition().utf8))
        }
        // The API's contract (docs/openapi.json), open like /healthz: it holds nothing about this connector.
        router.get("/api/openapi.json") { _, _ in
            HTTPResponse(contentType: "application/json", bytes: Array(ManagementAPIDocument.json.utf8))
        }
        router.get("/api/status") { _, _ in try ManagementJSON.response(StatusReport(context: context, info: info)) }
        router.get("/api/peers") { request, _ in
            let probe = request.target.query.contains { $0.name == "probe" && ($0.value == "1" || $0.value == "true") }
            return try ManagementJSON.response(PeerReport.make(context: context, probe: probe))
        }
    }
}
