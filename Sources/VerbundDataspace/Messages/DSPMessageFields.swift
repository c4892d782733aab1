// The fields DSP 2025-1 root messages share (its Common Requirements, Schemas & Contexts, and the message schemas):
// every one opens with `@context`, a single `@type` and an optional root `@id`; negotiation and transfer messages
// then name both process ids.

extension Decoder {
    /// The fields of a root message, after checking its `@context` and that its `@type` is `type`.
    func dspMessageFields(type: String) throws -> KeyedDecodingContainer<JSONKey> {
        let keyed = try container(keyedBy: JSONKey.self)
        try keyed.requireDSPContext()
        try keyed.requireType(type)
        return keyed
    }
}

extension Encoder {
    /// A container for a root message with `@context`, `@type` and the optional root `@id` already written.
    /// Keys are sorted on output (`DSPJSON`), so the order of writes does not change the bytes.
    func dspMessageFields(type: String, id: String?) throws -> KeyedEncodingContainer<JSONKey> {
        var keyed = container(keyedBy: JSONKey.self)
        try keyed.encodeHeader(type: type)
        try keyed.encodeIfPresent(id, forKey: "@id")
        return keyed
    }
}

extension KeyedDecodingContainer where Key == JSONKey {
    /// `providerPid` and `consumerPid`, both required.
    func processIDs() throws -> (providerPid: String, consumerPid: String) {
        (try string("providerPid"), try string("consumerPid"))
    }
}

extension KeyedEncodingContainer where Key == JSONKey {
    mutating func encodeProcessIDs(providerPid: String, consumerPid: String) throws {
        try encode(providerPid, forKey: "providerPid")
        try encode(consumerPid, forKey: "consumerPid")
    }
}
