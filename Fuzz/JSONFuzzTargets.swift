// Fuzz targets `json`, `canonical-json` and `dsp`: the strict JSON parser every peer document goes through, the
// RFC 8785 form that signatures and the log rely on, and the DSP message decoders.
import Foundation
@testable import VerbundDataspace
@testable import VerbundJSON

/// `json`: whatever the strict parser accepts survives canonical encoding: encode → decode gives the same value,
/// and encoding is idempotent. Foundation's decoder must not crash on the same bytes.
func fuzzJSONParser(_ bytes: [UInt8]) {
    var parser = JSONParser(bytes)
    _ = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))
    guard let value = try? parser.parseDocument() else { return }
    guard let encoded = try? CanonicalJSON.encode(value) else { return }
    guard let again = try? CanonicalJSON.decode(encoded) else {
        fatalError("the canonical encoding of a parsed value does not parse")
    }
    require(again == value, "canonical encode → decode changed the value")
    require((try? CanonicalJSON.encode(again)) == encoded, "canonical encoding is not idempotent")
}

/// `canonical-json`: bytes are canonical exactly when they decode and re-encode to themselves.
func fuzzCanonicalJSON(_ bytes: [UInt8]) {
    let canonical = CanonicalJSON.isCanonical(bytes)
    let value = try? CanonicalJSON.decode(bytes)
    let reencoded = value.flatMap { try? CanonicalJSON.encode($0) }
    if canonical {
        require(reencoded == bytes, "isCanonical accepted bytes that do not re-encode to themselves")
    } else if let reencoded {
        require(reencoded != bytes, "isCanonical refused bytes that re-encode to themselves")
        require(CanonicalJSON.isCanonical(reencoded), "the canonical encoding is not canonical")
    }
}

/// `dsp`: every DSP message that decodes encodes to bytes that decode to the same message; agreements likewise.
func fuzzDSPMessages(_ bytes: [UInt8]) {
    let data = Data(bytes)
    if let message = try? DSPMessage.decode(from: data) {
        guard let encoded = try? message.encoded() else { fatalError("a decoded DSP message does not encode: \(message)") }
        guard let again = try? DSPMessage.decode(from: encoded) else {
            fatalError("a re-encoded DSP message does not decode: \(String(decoding: encoded, as: UTF8.self))")
        }
        require(again == message, "DSP message changed by encode → decode")
    }
    if let agreement = try? DSPJSON.decode(Agreement.self, from: data) {
        guard let encoded = try? DSPJSON.encode(agreement), let again = try? DSPJSON.decode(Agreement.self, from: encoded) else {
            fatalError("a decoded agreement does not survive encode → decode")
        }
        require(again == agreement, "agreement changed by encode → decode")
        _ = PolicyDescription.describe(agreement)
    }
}
