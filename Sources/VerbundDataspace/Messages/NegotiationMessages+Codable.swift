// The termination is a `CodedProcessMessage`; the negotiation ACK and error are in `NegotiationAcks.swift`.

extension ContractRequestMessage: Codable {
    package init(from decoder: any Decoder) throws {
        let keyed = try decoder.dspMessageFields(type: Self.type)
        id = try keyed.optionalString("@id")
        consumerPid = try keyed.string("consumerPid")
        providerPid = try keyed.optionalString("providerPid")
        offer = try keyed.decode(Offer.self, forKey: "offer")
        callbackAddress = try keyed.optionalString("callbackAddress")
        purpose = try keyed.optionalString(DSPVocabulary.purposeProperty)
    }

    package func encode(to encoder: any Encoder) throws {
        var keyed = try encoder.dspMessageFields(type: Self.type, id: id)
        try keyed.encode(consumerPid, forKey: "consumerPid")
        try keyed.encodeIfPresent(providerPid, forKey: "providerPid")
        try keyed.encode(offer, forKey: "offer")
        try keyed.encodeIfPresent(callbackAddress, forKey: "callbackAddress")
        try keyed.encodeIfPresent(purpose, forKey: JSONKey(DSPVocabulary.purposeProperty))
    }
}

extension ContractOfferMessage: Codable {
    package init(from decoder: any Decoder) throws {
        let keyed = try decoder.dspMessageFields(type: Self.type)
        id = try keyed.optionalString("@id")
        providerPid = try keyed.string("providerPid")
        consumerPid = try keyed.optionalString("consumerPid")
        offer = try keyed.decode(Offer.self, forKey: "offer")
        callbackAddress = try keyed.optionalString("callbackAddress")
    }

    package func encode(to encoder: any Encoder) throws {
        var keyed = try encoder.dspMessageFields(type: Self.type, id: id)
        try keyed.encode(providerPid, forKey: "providerPid")
        try keyed.encodeIfPresent(consumerPid, forKey: "consumerPid")
        try keyed.encode(offer, forKey: "offer")
        try keyed.encodeIfPresent(callbackAddress, forKey: "callbackAddress")
    }
}

extension ContractAgreementMessage: Codable {
    package init(from decoder: any Decoder) throws {
        let keyed = try decoder.dspMessageFields(type: Self.type)
        id = try keyed.optionalString("@id")
        (providerPid, consumerPid) = try keyed.processIDs()
        agreement = try keyed.decode(Agreement.self, forKey: "agreement")
        signature = try keyed.optionalString(DSPVocabulary.signatureProperty)
        receivedAgreement = try keyed.decode(JSONValue.self, forKey: "agreement")
    }

    package func encode(to encoder: any Encoder) throws {
        var keyed = try encoder.dspMessageFields(type: Self.type, id: id)
        try keyed.encodeProcessIDs(providerPid: providerPid, consumerPid: consumerPid)
        try keyed.encode(agreement, forKey: "agreement")
        try keyed.encodeIfPresent(signature, forKey: JSONKey(DSPVocabulary.signatureProperty))
    }
}

extension ContractAgreementVerificationMessage: Codable {
    package init(from decoder: any Decoder) throws {
        let keyed = try decoder.dspMessageFields(type: Self.type)
        id = try keyed.optionalString("@id")
        (providerPid, consumerPid) = try keyed.processIDs()
        signature = try keyed.optionalString(DSPVocabulary.signatureProperty)
    }

    package func encode(to encoder: any Encoder) throws {
        var keyed = try encoder.dspMessageFields(type: Self.type, id: id)
        try keyed.encodeProcessIDs(providerPid: providerPid, consumerPid: consumerPid)
        try keyed.encodeIfPresent(signature, forKey: JSONKey(DSPVocabulary.signatureProperty))
    }
}

extension ContractNegotiationEventMessage: Codable {
    package init(from decoder: any Decoder) throws {
        let keyed = try decoder.dspMessageFields(type: Self.type)
        id = try keyed.optionalString("@id")
        (providerPid, consumerPid) = try keyed.processIDs()
        let written = try keyed.string("eventType")
        guard let event = EventType(rawValue: DSPVocabulary.withoutCompactPrefix(written)) else {
            throw DSPMessageError.invalidValue(field: "eventType", reason: "\"\(written)\" is not ACCEPTED or FINALIZED")
        }
        eventType = event
    }

    package func encode(to encoder: any Encoder) throws {
        var keyed = try encoder.dspMessageFields(type: Self.type, id: id)
        try keyed.encodeProcessIDs(providerPid: providerPid, consumerPid: consumerPid)
        try keyed.encode(eventType, forKey: "eventType")
    }
}
