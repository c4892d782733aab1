// A catalog or dataset at the root of a document carries `@context`; nested ones do not. The coding path tells
// which one is being read or written.

extension Catalog: Codable {
    static let knownKeys: Set<String> = ["@context", "@type", "@id", "participantId", "dataset", "service", "catalog"]

    package init(from decoder: any Decoder) throws {
        let keyed = try decoder.container(keyedBy: JSONKey.self)
        let isRoot = decoder.codingPath.isEmpty
        if isRoot { try keyed.requireDSPContext() }
        try keyed.requireType(Self.type)
        id = try keyed.string("@id")
        participantId = try keyed.optionalString("participantId")
        if isRoot, participantId == nil {
            throw DSPMessageError.invalidValue(field: "participantId", reason: "a root catalog must name its participant")
        }
        dataset = try keyed.decodeIfPresent([Dataset].self, forKey: "dataset") ?? []
        service = try keyed.decodeIfPresent([DataService].self, forKey: "service") ?? []
        catalog = try keyed.decodeIfPresent([Catalog].self, forKey: "catalog") ?? []
        properties = try keyed.extraProperties(excluding: Self.knownKeys)
    }

    package func encode(to encoder: any Encoder) throws {
        var keyed = encoder.container(keyedBy: JSONKey.self)
        try keyed.encodeProperties(properties, excluding: Self.knownKeys)
        try keyed.encodeType(Self.type, asRoot: encoder.codingPath.isEmpty)
        try keyed.encode(id, forKey: "@id")
        try keyed.encodeIfPresent(participantId, forKey: "participantId")
        // Arrays need ≥1 item when present; an empty catalog omits `dataset` (DSP 2025-1, Catalog Protocol, ACK - Catalog).
        if !dataset.isEmpty { try keyed.encode(dataset, forKey: "dataset") }
        if !service.isEmpty { try keyed.encode(service, forKey: "service") }
        if !catalog.isEmpty { try keyed.encode(catalog, forKey: "catalog") }
    }
}

extension Dataset: Codable {
    static let knownKeys: Set<String> = ["@context", "@type", "@id", "hasPolicy", "distribution"]

    package init(from decoder: any Decoder) throws {
        let keyed = try decoder.container(keyedBy: JSONKey.self)
        if decoder.codingPath.isEmpty {
            try keyed.requireDSPContext()
            try keyed.requireType(Self.type)
        } else if keyed.contains("@type") {
            try keyed.requireType(Self.type)
        }
        id = try keyed.string("@id")
        hasPolicy = try keyed.decode([Offer].self, forKey: "hasPolicy")
        distribution = try keyed.decode([Distribution].self, forKey: "distribution")
        // DSP 2025-1, Catalog Protocol, ACK - Dataset: a dataset needs at least one Offer and at least one distribution.
        if hasPolicy.isEmpty {
            throw DSPMessageError.invalidValue(field: "hasPolicy", reason: "dataset \(id) lists no offer")
        }
        if distribution.isEmpty {
            throw DSPMessageError.invalidValue(field: "distribution", reason: "dataset \(id) lists no distribution")
        }
        properties = try keyed.extraProperties(excluding: Self.knownKeys)
    }

    package func encode(to encoder: any Encoder) throws {
        var keyed = encoder.container(keyedBy: JSONKey.self)
        try keyed.encodeProperties(properties, excluding: Self.knownKeys)
        try keyed.encodeType(Self.type, asRoot: encoder.codingPath.isEmpty)
        try keyed.encode(id, forKey: "@id")
        // An Offer inside a dataset MUST NOT have `target` (DSP 2025-1, Catalog Protocol, ACK - Dataset).
        try keyed.encode(hasPolicy.map(\.withoutTarget), forKey: "hasPolicy")
        try keyed.encode(distribution, forKey: "distribution")
    }
}

extension Distribution: Codable {
    static let knownKeys: Set<String> = ["@type", "format", "accessService", "hasPolicy"]

    package init(from decoder: any Decoder) throws {
        let keyed = try decoder.container(keyedBy: JSONKey.self)
        if keyed.contains("@type") { try keyed.requireType(Self.type) }
        format = try keyed.string("format")
        if let reference = try? keyed.decode(String.self, forKey: "accessService") {
            accessService = .reference(reference)
        } else if let services = try? keyed.decode([DataService].self, forKey: "accessService"),
                  let first = services.first, services.count == 1 {
            // 2024-1 peers wrap the service in an array.
            accessService = .inline(first)
        } else {
            accessService = .inline(try keyed.decode(DataService.self, forKey: "accessService"))
        }
        hasPolicy = try keyed.decodeIfPresent([Offer].self, forKey: "hasPolicy") ?? []
        properties = try keyed.extraProperties(excluding: Self.knownKeys)
    }

    package func encode(to encoder: any Encoder) throws {
        var keyed = encoder.container(keyedBy: JSONKey.self)
        try keyed.encodeProperties(properties, excluding: Self.knownKeys)
        try keyed.encode(Self.type, forKey: "@type")
        try keyed.encode(format, forKey: "format")
        switch accessService {
        case .reference(let id): try keyed.encode(id, forKey: "accessService")
        case .inline(let service): try keyed.encode(service, forKey: "accessService")
        }
        if !hasPolicy.isEmpty { try keyed.encode(hasPolicy.map(\.withoutTarget), forKey: "hasPolicy") }
    }
}

extension DataService: Codable {
    static let knownKeys: Set<String> = ["@type", "@id", "endpointURL", "endpointDescription"]

    package init(from decoder: any Decoder) throws {
        let keyed = try decoder.container(keyedBy: JSONKey.self)
        try keyed.requireType(Self.type)
        id = try keyed.string("@id")
        endpointURL = try keyed.string("endpointURL")
        endpointDescription = try keyed.optionalString("endpointDescription")
        properties = try keyed.extraProperties(excluding: Self.knownKeys)
    }

    package func encode(to encoder: any Encoder) throws {
        var keyed = encoder.container(keyedBy: JSONKey.self)
        try keyed.encodeProperties(properties, excluding: Self.knownKeys)
        try keyed.encode(Self.type, forKey: "@type")
        try keyed.encode(id, forKey: "@id")
        try keyed.encode(endpointURL, forKey: "endpointURL")
        try keyed.encodeIfPresent(endpointDescription, forKey: "endpointDescription")
    }
}
