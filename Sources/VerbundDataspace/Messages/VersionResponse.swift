/// The body of `GET /.well-known/dspace-version` (DSP 2025-1 common protocol; RFC 8615 well-known URI).
/// It has no `@context` or `@type`.
public struct VersionResponse: Sendable, Hashable, Codable {
    public var protocolVersions: [ProtocolVersion]

    public init(protocolVersions: [ProtocolVersion]) {
        self.protocolVersions = protocolVersions
    }

    /// One supported version: `<root>` + `path` is the DSP base URL.
    public struct ProtocolVersion: Sendable, Hashable, Codable {
        public var version: String
        public var path: String
        public var binding: String
        public var serviceId: String?
        public var identifierType: String?
        public var auth: Auth?

        public init(version: String = DSPVocabulary.version, path: String, binding: String = "HTTPS",
                    serviceId: String? = nil, identifierType: String? = nil, auth: Auth? = nil) {
            self.version = version
            self.path = path
            self.binding = binding
            self.serviceId = serviceId
            self.identifierType = identifierType
            self.auth = auth
        }
    }

    /// The authorization overlay a version uses (e.g. protocol "DCP", version "1.0").
    public struct Auth: Sendable, Hashable, Codable {
        public var `protocol`: String
        public var version: String
        public var profile: [String]?

        public init(protocol: String, version: String, profile: [String]? = nil) {
            self.protocol = `protocol`
            self.version = version
            self.profile = profile
        }
    }

    /// The entry for DSP 2025-1 over HTTPS, if the peer offers it. If none matches, the requester
    /// "MUST terminate the communication".
    public var dsp2025: ProtocolVersion? {
        protocolVersions.first { $0.version == DSPVocabulary.version && $0.binding == "HTTPS" }
    }
}
