/// What a published dataset is: a file the connector serves as one body (with size and digest), or an HTTP API
/// the provider's data plane forwards requests to (no size or digest; docs/policies.md, "Request budget and
/// APIs"). Transfer start tells the consumer with the data address property `DatasetKind.addressProperty`.
package enum DatasetKind: String, Sendable, Hashable, Codable, CaseIterable {
    case file
    case api

    /// The data address endpoint property carrying the kind; a missing property means `file` (older peers).
    package static let addressProperty = "https://w3id.org/verbund/datasetKind"

    /// The kind a data address announces: missing means `file`, an unknown value is nil (refuse, fail closed).
    package init?(addressValue: String?) {
        guard let addressValue else {
            self = .file
            return
        }
        self.init(rawValue: addressValue)
    }
}
