/// The namespaces and context of the Dataspace Protocol 2025-1 (DSP-NOTES.md §2).
public enum DSPVocabulary {
    /// The JSON-LD context every 2025-1 message lists in its `@context` array.
    public static let context = "https://w3id.org/dspace/2025/1/context.jsonld"
    /// The `dspace:` namespace.
    public static let namespace = "https://w3id.org/dspace/2025/1/"
    /// The protocol version string of `/.well-known/dspace-version`.
    public static let version = "2025-1"
}
