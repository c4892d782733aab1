/// The body of `GET /.well-known/dspace-version` (DSP 2025-1 common protocol; RFC 8615 well-known URI).
/// It has no `@context` or `@type`.
package struct VersionResponse: Sendable, Hashable, Codable {
    package var protocolVersions: [ProtocolVersion]

    package init(protocolVersions: [ProtocolVersion]) {
        self.protocolVersions = protocolVersions
    }

    /// One supported version: `<root>` + `path` is the DSP base URL.
    package struct ProtocolVersion: Sendable, Hashable, Codable {
        package var version: String
        package var path: String
        package var binding: String
        package var serviceId: String?
        package var identifierType: String?
        package var auth: Auth?

        package init(version: String = DSPVocabulary.version, path: String, binding: String = "HTTPS",
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
    package struct Auth: Sendable, Hashable, Codable {
        package var `protocol`: String
        package var version: String
        package var profile: [String]?

        package init(protocol: String, version: String, profile: [String]? = nil) {
            self.protocol = `protocol`
            self.version = version
            self.profile = profile
        }
    }

    /// The entry for DSP 2025-1 over HTTPS, if the peer offers it. If none matches, the requester
    /// "MUST terminate the communication".
    package var dsp2025: ProtocolVersion? {
        protocolVersions.first { $0.version == DSPVocabulary.version && $0.binding == "HTTPS" }
    }
}
