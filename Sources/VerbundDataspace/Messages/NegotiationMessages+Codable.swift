extension ContractRequestMessage: Codable {
    public init(from decoder: any Decoder) throws {
        let keyed = try decoder.container(keyedBy: JSONKey.self)
        try keyed.requireDSPContext()
        try keyed.requireType(Self.type)
        id = try keyed.optionalString("@id")
        consumerPid = try keyed.string("consumerPid")
        providerPid = try keyed.optionalString("providerPid")
        offer = try keyed.decode(Offer.self, forKey: "offer")
        callbackAddress = try keyed.optionalString("callbackAddress")
    }

    public func encode(to encoder: any Encoder) throws {
        var keyed = encoder.container(keyedBy: JSONKey.self)
        try keyed.encodeHeader(type: Self.type)
        try keyed.encodeIfPresent(id, forKey: "@id")
        try keyed.encode(consumerPid, forKey: "consumerPid")
        try keyed.encodeIfPresent(providerPid, forKey: "providerPid")
        try keyed.encode(offer, forKey: "offer")
        try keyed.encodeIfPresent(callbackAddress, forKey: "callbackAddress")
    }
}

extension ContractOfferMessage: Codable {
    public init(from decoder: any Decoder) throws {
        let keyed = try decoder.container(keyedBy: JSONKey.self)
        try keyed.requireDSPContext()
        try keyed.requireType(Self.type)
        id = try keyed.optionalString("@id")
        providerPid = try keyed.string("providerPid")
        consumerPid = try keyed.optionalString("consumerPid")
        offer = try keyed.decode(Offer.self, forKey: "offer")
        callbackAddress = try keyed.optionalString("callbackAddress")
    }

    public func encode(to encoder: any Encoder) throws {
        var keyed = encoder.container(keyedBy: JSONKey.self)
        try keyed.encodeHeader(type: Self.type)
        try keyed.encodeIfPresent(id, forKey: "@id")
        try keyed.encode(providerPid, forKey: "providerPid")
        try keyed.encodeIfPresent(consumerPid, forKey: "consumerPid")
        try keyed.encode(offer, forKey: "offer")
        try keyed.encodeIfPresent(callbackAddress, forKey: "callbackAddress")
    }
}

extension ContractAgreementMessage: Codable {
    public init(from decoder: any Decoder) throws {
        let keyed = try decoder.container(keyedBy: JSONKey.self)
        try keyed.requireDSPContext()
        try keyed.requireType(Self.type)
        id = try keyed.optionalString("@id")
        providerPid = try keyed.string("providerPid")
        consumerPid = try keyed.string("consumerPid")
        agreement = try keyed.decode(Agreement.self, forKey: "agreement")
        signature = try keyed.optionalString(DSPVocabulary.signatureProperty)
    }

    public func encode(to encoder: any Encoder) throws {
        var keyed = encoder.container(keyedBy: JSONKey.self)
        try keyed.encodeHeader(type: Self.type)
        try keyed.encodeIfPresent(id, forKey: "@id")
        try keyed.encode(providerPid, forKey: "providerPid")
        try keyed.encode(consumerPid, forKey: "consumerPid")
        try keyed.encode(agreement, forKey: "agreement")
        try keyed.encodeIfPresent(signature, forKey: JSONKey(DSPVocabulary.signatureProperty))
    }
}

extension ContractAgreementVerificationMessage: Codable {
    public init(from decoder: any Decoder) throws {
        let keyed = try decoder.container(keyedBy: JSONKey.self)
        try keyed.requireDSPContext()
        try keyed.requireType(Self.type)
        id = try keyed.optionalString("@id")
        providerPid = try keyed.string("providerPid")
        consumerPid = try keyed.string("consumerPid")
        signature = try keyed.optionalString(DSPVocabulary.signatureProperty)
    }

    public func encode(to encoder: any Encoder) throws {
        var keyed = encoder.container(keyedBy: JSONKey.self)
        try keyed.encodeHeader(type: Self.type)
        try keyed.encodeIfPresent(id, forKey: "@id")
        try keyed.encode(providerPid, forKey: "providerPid")
        try keyed.encode(consumerPid, forKey: "consumerPid")
        try keyed.encodeIfPresent(signature, forKey: JSONKey(DSPVocabulary.signatureProperty))
    }
}

extension ContractNegotiationEventMessage: Codable {
    public init(from decoder: any Decoder) throws {
        let keyed = try decoder.container(keyedBy: JSONKey.self)
        try keyed.requireDSPContext()
        try keyed.requireType(Self.type)
        id = try keyed.optionalString("@id")
        providerPid = try keyed.string("providerPid")
        consumerPid = try keyed.string("consumerPid")
        let written = try keyed.string("eventType")
        // 2024-1 peers prefix enum values (`dspace:ACCEPTED`); the meaning is the same.
        let bare = written.hasPrefix("dspace:") ? String(written.dropFirst(7)) : written
        guard let event = EventType(rawValue: bare) else {
            throw DSPMessageError.invalidValue(field: "eventType", reason: "\"\(written)\" is not ACCEPTED or FINALIZED")
        }
        eventType = event
    }

    public func encode(to encoder: any Encoder) throws {
        var keyed = encoder.container(keyedBy: JSONKey.self)
        try keyed.encodeHeader(type: Self.type)
        try keyed.encodeIfPresent(id, forKey: "@id")
        try keyed.encode(providerPid, forKey: "providerPid")
        try keyed.encode(consumerPid, forKey: "consumerPid")
        try keyed.encode(eventType, forKey: "eventType")
    }
}

extension ContractNegotiationTerminationMessage: Codable {
    public init(from decoder: any Decoder) throws {
        let keyed = try decoder.container(keyedBy: JSONKey.self)
        try keyed.requireDSPContext()
        try keyed.requireType(Self.type)
        id = try keyed.optionalString("@id")
        providerPid = try keyed.string("providerPid")
        consumerPid = try keyed.string("consumerPid")
        code = try keyed.optionalString("code")
        reason = try keyed.reasons()
    }

    public func encode(to encoder: any Encoder) throws {
        var keyed = encoder.container(keyedBy: JSONKey.self)
        try keyed.encodeHeader(type: Self.type)
        try keyed.encodeIfPresent(id, forKey: "@id")
        try keyed.encode(providerPid, forKey: "providerPid")
        try keyed.encode(consumerPid, forKey: "consumerPid")
        try keyed.encodeReasons(code: code, reasons: reason)
    }
}
