import Foundation

/// How an API dataset reaches its upstream, as published (`verbund datasets publish --upstream …`, the `upstream`
/// object of `POST /api/catalog/datasets`) and stored in the catalog (catalog migration 15). It holds where the
/// upstream is, what may be forwarded (`allowList`), the response bounds, and the PATHS of the credential and CA files —
/// never a credential: the daemon reads the credential file each time it forwards (`UpstreamCredentialFile`).
package struct DatasetUpstream: Sendable, Hashable, Codable {
    /// How the credential file's contents are sent to the upstream.
    package enum CredentialKind: String, Sendable, Hashable, Codable, CaseIterable {
        /// `Authorization: Bearer <file contents>` (RFC 6750 §2.1).
        case bearer
        /// `Authorization: Basic <base64 of user:password>` (RFC 7617 §2); the file holds `user:password`.
        case basic
    }

    package static let defaultMaxResponseBytes: Int64 = 64 << 20
    package static let maxMaxResponseBytes: Int64 = 16 << 30
    package static let defaultTimeoutSeconds = 30
    package static let maxTimeoutSeconds = 3600

    /// `https://host[:port]/base/path`.
    package var base: String
    package var methods: [String]
    package var pathPrefixes: [String]
    package var queryParameters: [String]
    /// The most response body bytes forwarded; a larger answer is refused (502) or cut.
    package var maxResponseBytes: Int64
    /// The whole exchange with the upstream, connect to last byte.
    package var timeoutSeconds: Int
    package var credentialFile: String?
    package var credentialKind: CredentialKind?
    /// PEM certificates that verify the upstream's TLS server certificate instead of the system trust store.
    package var caFile: String?
    /// PEM certificate (with intermediates) the provider presents to an upstream that requires mutual TLS.
    package var clientCertificateFile: String?
    /// Its private key, PEM, in an owner-only (0600) file; read when the TLS context is built, never stored or logged.
    package var clientKeyFile: String?

    package init(base: String, methods: [String] = ["GET", "HEAD"], pathPrefixes: [String], queryParameters: [String] = [],
                 maxResponseBytes: Int64 = DatasetUpstream.defaultMaxResponseBytes,
                 timeoutSeconds: Int = DatasetUpstream.defaultTimeoutSeconds, credentialFile: String? = nil,
                 credentialKind: CredentialKind? = nil, caFile: String? = nil, clientCertificateFile: String? = nil,
                 clientKeyFile: String? = nil) {
        self.base = base
        self.methods = methods
        self.pathPrefixes = pathPrefixes
        self.queryParameters = queryParameters
        self.maxResponseBytes = maxResponseBytes
        self.timeoutSeconds = timeoutSeconds
        self.credentialFile = credentialFile
        self.credentialKind = credentialKind
        self.caFile = caFile
        self.clientCertificateFile = clientCertificateFile
        self.clientKeyFile = clientKeyFile
    }

    package static let fields: Set<String> = ["base", "methods", "pathPrefixes", "queryParameters", "maxResponseBytes",
                                              "timeoutSeconds", "credentialFile", "credentialKind", "caFile",
                                              "clientCertificateFile", "clientKeyFile"]

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    package init(from decoder: any Decoder) throws {
        // An unknown field is refused, not dropped: a misspelt `pathPrefix` must not publish an API that allows nothing.
        let unknown = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue).filter { !Self.fields.contains($0) }
        guard unknown.isEmpty else {
            throw DecodingError.dataCorrupted(DecodingError.Context(codingPath: decoder.codingPath, debugDescription:
                "unknown upstream field \(unknown.sorted().joined(separator: ", ")); known: \(Self.fields.sorted().joined(separator: ", "))"))
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        base = try container.decode(String.self, forKey: .base)
        methods = try container.decodeIfPresent([String].self, forKey: .methods) ?? ["GET", "HEAD"]
        pathPrefixes = try container.decodeIfPresent([String].self, forKey: .pathPrefixes) ?? []
        queryParameters = try container.decodeIfPresent([String].self, forKey: .queryParameters) ?? []
        maxResponseBytes = try container.decodeIfPresent(Int64.self, forKey: .maxResponseBytes) ?? Self.defaultMaxResponseBytes
        timeoutSeconds = try container.decodeIfPresent(Int.self, forKey: .timeoutSeconds) ?? Self.defaultTimeoutSeconds
        credentialFile = try container.decodeIfPresent(String.self, forKey: .credentialFile)
        credentialKind = try container.decodeIfPresent(CredentialKind.self, forKey: .credentialKind)
        caFile = try container.decodeIfPresent(String.self, forKey: .caFile)
        clientCertificateFile = try container.decodeIfPresent(String.self, forKey: .clientCertificateFile)
        clientKeyFile = try container.decodeIfPresent(String.self, forKey: .clientKeyFile)
    }

    package var allowList: UpstreamAllowList {
        UpstreamAllowList(methods: methods, pathPrefixes: pathPrefixes, queryParameters: queryParameters)
    }

    /// The parsed base; only call on a validated declaration (`validate`).
    package var parsedBase: UpstreamBase? { try? UpstreamBase(base) }

    /// Checks every field without touching files (those are `UpstreamCredentialFile` and the CA file's reader's);
    /// the first problem, named by its field, as a publish error.
    package func validate() throws(CatalogPublishError) {
        do {
            _ = try UpstreamBase(base)
        } catch {
            throw .invalidField(name: "upstream.base", reason: "'\(DatasetPublication.printable(base))' is refused: \(error.reason)")
        }
        guard !methods.isEmpty, methods.allSatisfy({ $0 == "GET" || $0 == "HEAD" }), Set(methods).count == methods.count else {
            throw .invalidField(name: "upstream.methods", reason: "allowed methods are GET and HEAD (each at most once)")
        }
        guard !pathPrefixes.isEmpty else {
            throw .invalidField(name: "upstream.pathPrefixes", reason: "an API dataset allows no path without a prefix; "
                                + "give e.g. /v1.1/Things (or / for everything below the base)")
        }
        guard pathPrefixes.count <= 100, queryParameters.count <= 100 else {
            throw .invalidField(name: "upstream", reason: "at most 100 path prefixes and 100 query parameters")
        }
        for prefix in pathPrefixes {
            guard prefix.hasPrefix("/"), prefix.utf8.count <= 1024,
                  case .success = UpstreamAllowList.segments(of: prefix) else {
                throw .invalidField(name: "upstream.pathPrefixes", reason: "'\(DatasetPublication.printable(prefix))' is not a "
                                    + "path starting with / (no dot segments, encoded slashes or control characters)")
            }
        }
        for name in queryParameters {
            guard !name.isEmpty, name.utf8.count <= 200,
                  name.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F && !"&=#".unicodeScalars.contains($0) }) else {
                throw .invalidField(name: "upstream.queryParameters", reason: "'\(DatasetPublication.printable(name))' is not "
                                    + "a parameter name (1 to 200 visible characters, no & = #)")
            }
        }
        guard (1...Self.maxMaxResponseBytes).contains(maxResponseBytes) else {
            throw .invalidField(name: "upstream.maxResponseBytes", reason: "give 1 to \(Self.maxMaxResponseBytes) bytes")
        }
        guard (1...Self.maxTimeoutSeconds).contains(timeoutSeconds) else {
            throw .invalidField(name: "upstream.timeoutSeconds", reason: "give 1 to \(Self.maxTimeoutSeconds) seconds")
        }
        guard (credentialFile == nil) == (credentialKind == nil) else {
            throw .invalidField(name: "upstream.credentialKind", reason: "a credential needs both its file and its kind "
                                + "(\(CredentialKind.allCases.map(\.rawValue).joined(separator: " or ")))")
        }
        guard (clientCertificateFile == nil) == (clientKeyFile == nil) else {
            throw .invalidField(name: "upstream.clientKeyFile", reason: "a client certificate needs both its certificate "
                                + "file and its key file")
        }
        for (name, path) in [("upstream.credentialFile", credentialFile), ("upstream.caFile", caFile),
                             ("upstream.clientCertificateFile", clientCertificateFile), ("upstream.clientKeyFile", clientKeyFile)] {
            if let path, !path.hasPrefix("/") {
                throw .invalidField(name: name, reason: "'\(DatasetPublication.printable(path))' is not an absolute path")
            }
        }
        if caFile != nil, parsedBase?.secure != true {
            throw .invalidField(name: "upstream.caFile", reason: "a CA file verifies https upstreams; the base is http")
        }
        if clientCertificateFile != nil, parsedBase?.secure != true {
            throw .invalidField(name: "upstream.clientCertificateFile", reason: "a client certificate is for https "
                                + "upstreams; the base is http")
        }
    }
}
