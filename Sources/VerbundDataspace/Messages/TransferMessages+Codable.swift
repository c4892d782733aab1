// Suspension, termination and the error are `CodedProcessMessage`s; the process ACK is a `ProcessAcknowledgement`.

extension TransferRequestMessage: Codable {
    package init(from decoder: any Decoder) throws {
        let keyed = try decoder.dspMessageFields(type: Self.type)
        id = try keyed.optionalString("@id")
        consumerPid = try keyed.string("consumerPid")
        agreementId = try keyed.string("agreementId")
        format = try keyed.string("format")
        callbackAddress = try keyed.string("callbackAddress")
        dataAddress = try keyed.decodeIfPresent(DataAddress.self, forKey: "dataAddress")
    }

    package func encode(to encoder: any Encoder) throws {
        var keyed = try encoder.dspMessageFields(type: Self.type, id: id)
        try keyed.encode(consumerPid, forKey: "consumerPid")
        try keyed.encode(agreementId, forKey: "agreementId")
        try keyed.encode(format, forKey: "format")
        try keyed.encode(callbackAddress, forKey: "callbackAddress")
        try keyed.encodeIfPresent(dataAddress, forKey: "dataAddress")
    }
}

extension TransferStartMessage: Codable {
    package init(from decoder: any Decoder) throws {
        let keyed = try decoder.dspMessageFields(type: Self.type)
        id = try keyed.optionalString("@id")
        (providerPid, consumerPid) = try keyed.processIDs()
        dataAddress = try keyed.decodeIfPresent(DataAddress.self, forKey: "dataAddress")
    }

    package func encode(to encoder: any Encoder) throws {
        var keyed = try encoder.dspMessageFields(type: Self.type, id: id)
        try keyed.encodeProcessIDs(providerPid: providerPid, consumerPid: consumerPid)
        try keyed.encodeIfPresent(dataAddress, forKey: "dataAddress")
    }
}

extension TransferCompletionMessage: Codable {
    package init(from decoder: any Decoder) throws {
        let keyed = try decoder.dspMessageFields(type: Self.type)
        id = try keyed.optionalString("@id")
        (providerPid, consumerPid) = try keyed.processIDs()
    }

    package func encode(to encoder: any Encoder) throws {
        var keyed = try encoder.dspMessageFields(type: Self.type, id: id)
        try keyed.encodeProcessIDs(providerPid: providerPid, consumerPid: consumerPid)
    }
}
