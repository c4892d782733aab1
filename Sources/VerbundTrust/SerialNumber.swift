import COpenSSL

/// A certificate serial number (RFC 5280 §4.1.2.2): a positive integer of up to 20 octets, compared by value.
package struct SerialNumber: Sendable, Hashable, CustomStringConvertible {
    /// Big-endian magnitude without leading zero octets (empty for zero).
    package let bytes: [UInt8]

    package init(bytes: [UInt8]) {
        self.bytes = Array(bytes.drop { $0 == 0 })
    }

    /// Parses hex with or without `:` separators and leading zeros, either case; nil if not hex.
    package init?(hex: String) {
        var digits = hex.filter { $0 != ":" }
        guard !digits.isEmpty else { return nil }
        if digits.utf8.count % 2 == 1 { digits = "0" + digits }
        guard let bytes = Hex.decode(digits) else { return nil }
        self.init(bytes: bytes)
    }

    /// Lowercase hex, two digits per octet ("00" for zero).
    package var hex: String { bytes.isEmpty ? "00" : Hex.encode(bytes) }

    package var description: String { hex }

    /// Reads an `ASN1_INTEGER`; negative serials (not allowed by RFC 5280 but seen in the wild) keep their magnitude.
    init(_ integer: UnsafePointer<ASN1_INTEGER>) {
        let data = ASN1_STRING_get0_data(integer)
        let count = Int(ASN1_STRING_length(integer))
        if let data, count > 0 {
            self.init(bytes: Array(UnsafeBufferPointer(start: data, count: count)))
        } else {
            self.init(bytes: [])
        }
    }

    /// Writes the value into an existing `ASN1_INTEGER` (e.g. `X509_get_serialNumber`).
    func store(into integer: UnsafeMutablePointer<ASN1_INTEGER>) throws {
        let magnitude = bytes.isEmpty ? [0] : bytes
        guard let bn = BN_bin2bn(magnitude, Int32(magnitude.count), nil) else { throw OpenSSLError.drain("converting a serial number") }
        defer { BN_free(bn) }
        guard BN_to_ASN1_INTEGER(bn, integer) != nil else { throw OpenSSLError.drain("storing a serial number") }
    }

    /// 128 random bits with the top bit cleared so the DER INTEGER stays positive (RFC 5280 §4.1.2.2, CA/B BR §7.1).
    static func random() throws -> SerialNumber {
        var raw = [UInt8](repeating: 0, count: 16)
        guard RAND_bytes(&raw, Int32(raw.count)) == 1 else { throw OpenSSLError.drain("drawing a random serial number") }
        raw[0] &= 0x7f
        if raw.allSatisfy({ $0 == 0 }) { raw[15] = 1 }  // zero is not a valid serial
        return SerialNumber(bytes: raw)
    }
}
