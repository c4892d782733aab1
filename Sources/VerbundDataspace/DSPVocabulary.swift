/// The namespaces and context of the Dataspace Protocol 2025-1 (DSP 2025-1, Common Requirements, Schemas & Contexts).
package enum DSPVocabulary {
    /// The JSON-LD context every 2025-1 message lists in its `@context` array.
    package static let context = "https://w3id.org/dspace/2025/1/context.jsonld"
    /// The `dspace:` namespace.
    package static let namespace = "https://w3id.org/dspace/2025/1/"
    /// The protocol version string of `/.well-known/dspace-version`.
    package static let version = "2025-1"
    /// The ODRL 2.2 namespace (`odrl:` in the 2025-1 context).
    package static let odrlNamespace = "http://www.w3.org/ns/odrl/2/"
    /// Verbund's signed-contract extension property (docs/design.md §13 "Signed contracts"). A full IRI, so a plain
    /// DSP peer that compacts against the 2025-1 context keeps it as an unknown property and still interoperates.
    package static let signatureProperty = "https://w3id.org/verbund/v1/signature"
    /// Verbund's extension property for the purpose a consumer states in its contract request (evaluated against
    /// `purpose` constraints and recorded with the decision); a full IRI for the same reason as the signature.
    package static let purposeProperty = "https://w3id.org/verbund/v1/purpose"
    /// Verbund's ODRL profile: the consumer's AGS starts with one of the given prefixes.
    package static let regionOperand = "https://w3id.org/verbund/odrl/region"
    /// Verbund's ODRL profile: the consumer is one of the listed members.
    package static let memberOperand = "https://w3id.org/verbund/odrl/member"
}
