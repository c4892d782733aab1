import VerbundAudit
import VerbundTrust

/// A self-contained evidence bundle for one contract (docs/design.md §17 "Audit"), as one canonical JSON object (RFC 8785):
///
/// ```
/// {"contract":   <the dual-signed contract: general JWS JSON, RFC 7515 §7.2.1>,
///  "crl":        "<base64 DER of the federation CRL in force when it was signed>",
///  "entries":    [{"entry": "<the exact log entry bytes>", "index": n, "path": ["<hex>", …]}, …],
///  "registry":   "<compact JWS of the member registry in force when it was signed>",
///  "signers":    {"consumer": ["<base64 DER>", …], "provider": ["<base64 DER>", …]},
///  "treeHead":   "<compact JWS signed tree head covering every entry>",
///  "type":       "verbund-evidence/1"}
/// ```
///
/// Every member is covered by a signature or a hash an auditor checks, and the file must be canonical, so a changed
/// byte anywhere either breaks the form or a check.
struct EvidenceBundle: Sendable, Equatable {
    static let typeName = "verbund-evidence/1"

    struct Entry: Sendable, Equatable {
        let index: Int
        /// The canonical JSON bytes of the log entry, as text.
        let entry: String
        /// The inclusion proof (RFC 9162 §2.1.3) in the tree of the bundle's tree head.
        let path: [[UInt8]]
    }

    /// The general JWS JSON object of the contract.
    let contract: JSONValue
    /// base64 (standard) DER certificate chains, leaf first, keyed `provider` and `consumer`.
    let providerChain: [String]
    let consumerChain: [String]
    let registry: String
    let crl: String
    let entries: [Entry]
    let treeHead: String

    func encoded() throws -> [UInt8] {
        let value: JSONValue = [
            "type": .string(Self.typeName),
            "contract": contract,
            "signers": ["provider": .array(providerChain.map(JSONValue.string)),
                        "consumer": .array(consumerChain.map(JSONValue.string))],
            "registry": .string(registry),
            "crl": .string(crl),
            "entries": .array(entries.map { entry in
                ["index": .integer(Int64(entry.index)), "entry": .string(entry.entry),
                 "path": .array(entry.path.map { .string(Hex.encode($0)) })]
            }),
            "treeHead": .string(treeHead),
        ]
        return try CanonicalJSON.encode(value) + [0x0a]
    }

    /// What the file is when it is another of Verbund's audit files (a log export, a signed tree head), said with the
    /// command that checks it, so an auditor is not told that a file "was edited after export".
    static func otherKnownFile(_ body: ArraySlice<UInt8>) -> String? {
        let text = String(decoding: body, as: UTF8.self)
        if text.hasPrefix("eyJ"), text.split(separator: ".").count == 3, !text.contains("{") {
            return "this is a signed tree head (compact JWS), not an evidence bundle; it goes with a log export to "
                + "`verbund audit log verify LOG.jsonl --sth FILE --root root.pem`"
        }
        let firstLine = body.split(separator: 0x0a, maxSplits: 1).first ?? body
        guard case .object(let first)? = try? CanonicalJSON.decode(firstLine),
              first["kind"] != nil, first["at"] != nil, first["fields"] != nil else { return nil }
        return "this is a log export (JSON Lines of log entries), not an evidence bundle; check it with "
            + "`verbund audit log verify FILE --root root.pem` (its signed tree head is FILE.sth.jws)"
    }

    /// Reads a bundle; the bytes must be canonical JSON (one trailing newline allowed) with exactly these members.
    init(bytes: [UInt8]) throws(EvidenceFormatError) {
        var body = bytes[...]
        if body.last == 0x0a { body = body.dropLast() }
        if let other = Self.otherKnownFile(body) { throw EvidenceFormatError(other) }
        guard CanonicalJSON.isCanonical(body) else {
            throw EvidenceFormatError("the file is not canonical JSON (RFC 8785); it was edited after export")
        }
        let value: JSONValue
        do { value = try CanonicalJSON.decode(body) } catch { throw EvidenceFormatError("\(error)") }
        guard case .object(let top) = value,
              Set(top.keys) == ["type", "contract", "signers", "registry", "crl", "entries", "treeHead"] else {
            throw EvidenceFormatError("the members must be exactly contract, crl, entries, registry, signers, treeHead, type")
        }
        guard top["type"]?.stringValue == Self.typeName else {
            throw EvidenceFormatError("type is not \(Self.typeName)")
        }
        guard case .object? = top["contract"] else { throw EvidenceFormatError("contract is not a JWS JSON object") }
        guard let signers = top["signers"]?.objectValue, Set(signers.keys) == ["provider", "consumer"],
              let provider = signers["provider"]?.arrayValue?.compactMap(\.stringValue),
              let consumer = signers["consumer"]?.arrayValue?.compactMap(\.stringValue),
              provider.count == signers["provider"]?.arrayValue?.count, !provider.isEmpty,
              consumer.count == signers["consumer"]?.arrayValue?.count, !consumer.isEmpty else {
            throw EvidenceFormatError("signers must be {consumer: [certificates], provider: [certificates]}")
        }
        guard let registry = top["registry"]?.stringValue, let crl = top["crl"]?.stringValue,
              let treeHead = top["treeHead"]?.stringValue, let entryValues = top["entries"]?.arrayValue else {
            throw EvidenceFormatError("registry, crl and treeHead must be strings and entries an array")
        }
        var entries: [Entry] = []
        for (position, item) in entryValues.enumerated() {
            guard case .object(let members) = item, Set(members.keys) == ["index", "entry", "path"],
                  let index = members["index"]?.integerValue, let text = members["entry"]?.stringValue,
                  let path = members["path"]?.arrayValue else {
                throw EvidenceFormatError("entries[\(position)] must be exactly {entry, index, path}")
            }
            let hashes = try path.map { hash throws(EvidenceFormatError) -> [UInt8] in
                guard let hex = hash.stringValue, let bytes = Hex.decode(hex), bytes.count == MerkleTree.hashSize,
                      Hex.encode(bytes) == hex else {
                    throw EvidenceFormatError("entries[\(position)].path holds something other than 64 lowercase hex digits")
                }
                return bytes
            }
            entries.append(Entry(index: Int(index), entry: text, path: hashes))
        }
        self.init(contract: top["contract"]!, providerChain: provider, consumerChain: consumer, registry: registry,
                  crl: crl, entries: entries, treeHead: treeHead)
    }

    /// True if a string anywhere in `value` equals one of `ids`.
    static func mentions(_ value: JSONValue, anyOf ids: Set<String>) -> Bool {
        switch value {
        case .string(let text): return ids.contains(text)
        case .array(let items): return items.contains { mentions($0, anyOf: ids) }
        case .object(let members): return members.values.contains { mentions($0, anyOf: ids) }
        default: return false
        }
    }

    init(contract: JSONValue, providerChain: [String], consumerChain: [String], registry: String, crl: String,
         entries: [Entry], treeHead: String) {
        self.contract = contract
        self.providerChain = providerChain
        self.consumerChain = consumerChain
        self.registry = registry
        self.crl = crl
        self.entries = entries
        self.treeHead = treeHead
    }
}

/// An evidence file that is not a well-formed bundle.
struct EvidenceFormatError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
