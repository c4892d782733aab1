import VerbundDataspace
import VerbundHTTP

/// Why a dataset could not be published or removed. Each case says what to fix.
package enum CatalogPublishError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The data file cannot be read.
    case unreadableFile(path: String, reason: String)
    /// The data file is one the connector must never hand out (its data directory, key, token or database).
    case protectedFile(path: String, reason: String)
    /// The dataset id is already published.
    case duplicateID(String)
    /// No dataset with this id is published.
    case unknownDataset(String)
    /// A field of the publication is missing or malformed.
    case invalidField(name: String, reason: String)
    /// The policy file is not an ODRL policy in DSP's compact form.
    case malformedPolicy(String)
    /// The policy uses something Verbund cannot enforce (fail closed, docs/design.md §6).
    case unsupportedPolicy(PolicyValidationError)

    package var description: String {
        switch self {
        case let .unreadableFile(path, reason):
            return "cannot read the data file \(path): \(reason); give a readable regular file (an absolute path on the daemon's host)"
        case let .protectedFile(path, reason):
            return "refusing to publish \(path): \(reason); publish a copy of the data from a folder outside the data "
                + "directory, never the connector's key, token or database"
        case let .duplicateID(id):
            return "a dataset with id '\(id)' is already published; remove it first or choose another --id"
        case let .unknownDataset(id):
            return "no dataset with id '\(id)' is published (see 'verbund datasets list')"
        case let .invalidField(name, reason):
            return "\(name): \(reason)"
        case let .malformedPolicy(reason):
            return "the policy is not an ODRL policy in DSP's compact form: \(reason)"
        case let .unsupportedPolicy(error):
            return "the policy uses something Verbund cannot enforce, so it is refused: \(error)"
        }
    }

    /// The management API's status for this error.
    var status: HTTPStatus {
        switch self {
        case .duplicateID: return .conflict
        case .unknownDataset: return .notFound
        case .unreadableFile, .protectedFile, .invalidField, .malformedPolicy, .unsupportedPolicy: return .badRequest
        }
    }
}
