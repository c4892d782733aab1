/// Where and how the consumer reaches the data (pull) or where the provider delivers it (push).
package struct DataAddress: Sendable, Hashable {
    package var endpointType: String
    package var endpoint: String?
    package var endpointProperties: [EndpointProperty]

    package init(endpointType: String, endpoint: String? = nil, endpointProperties: [EndpointProperty] = []) {
        self.endpointType = endpointType
        self.endpoint = endpoint
        self.endpointProperties = endpointProperties
    }

    /// The value of the first property called `name` (e.g. `authorization`).
    package subscript(property name: String) -> String? {
        endpointProperties.first { $0.name == name }?.value
    }
}

/// A named value of a `DataAddress`, e.g. `authorization` → a transfer-bound token.
package struct EndpointProperty: Sendable, Hashable {
    package var name: String
    package var value: String

    package init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

extension DataAddress: Codable {
    package init(from decoder: any Decoder) throws {
        let keyed = try decoder.container(keyedBy: JSONKey.self)
        try keyed.requireType("DataAddress")
        endpointType = try keyed.string("endpointType")
        endpoint = try keyed.optionalString("endpoint")
        endpointProperties = try keyed.decodeIfPresent([EndpointProperty].self, forKey: "endpointProperties") ?? []
    }

    package func encode(to encoder: any Encoder) throws {
        var keyed = encoder.container(keyedBy: JSONKey.self)
        try keyed.encode("DataAddress", forKey: "@type")
        try keyed.encode(endpointType, forKey: "endpointType")
        try keyed.encodeIfPresent(endpoint, forKey: "endpoint")
        if !endpointProperties.isEmpty { try keyed.encode(endpointProperties, forKey: "endpointProperties") }
    }
}

extension EndpointProperty: Codable {
    package init(from decoder: any Decoder) throws {
        let keyed = try decoder.container(keyedBy: JSONKey.self)
        try keyed.requireType("EndpointProperty")
        name = try keyed.string("name")
        value = try keyed.string("value")
    }

    package func encode(to encoder: any Encoder) throws {
        var keyed = encoder.container(keyedBy: JSONKey.self)
        try keyed.encode("EndpointProperty", forKey: "@type")
        try keyed.encode(name, forKey: "name")
        try keyed.encode(value, forKey: "value")
    }
}
