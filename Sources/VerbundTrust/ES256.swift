import COpenSSL

/// ECDSA with P-256 and SHA-256 as JWS uses it (RFC 7518 §3.4): signatures are the 64-byte concatenation r‖s,
/// each a 32-byte big-endian integer, instead of OpenSSL's DER `ECDSA-Sig-Value`.
package enum ES256 {
    /// Length of a JWS ES256 signature.
    package static let signatureByteCount = 64

    /// Signs `message` (SHA-256 is applied here) and returns r‖s.
    package static func sign<Bytes: Collection>(_ message: Bytes, with key: PrivateKey) throws -> [UInt8] where Bytes.Element == UInt8 {
        guard key.kind == .p256 else { throw TrustError.unsupportedKey(operation: "ES256 signing", kind: key.kind) }
        let bytes = Array(message)
        guard let context = EVP_MD_CTX_new() else { throw OpenSSLError.drain("allocating a signing context") }
        defer { EVP_MD_CTX_free(context) }
        let der: [UInt8] = try key.withUnsafeEVPKey { pkey in
            guard EVP_DigestSignInit(context, nil, EVP_sha256(), nil, pkey) == 1 else {
                throw OpenSSLError.drain("starting an ES256 signature")
            }
            var length = 0
            guard EVP_DigestSign(context, nil, &length, bytes, bytes.count) == 1 else {
                throw OpenSSLError.drain("sizing an ES256 signature")
            }
            var signature = [UInt8](repeating: 0, count: length)
            guard EVP_DigestSign(context, &signature, &length, bytes, bytes.count) == 1 else {
                throw OpenSSLError.drain("computing an ES256 signature")
            }
            return Array(signature.prefix(length))
        }
        return try rawSignature(fromDER: der)
    }

    /// Verifies r‖s over `message` with a P-256 public key. Any length other than 64 bytes, or another key type, fails.
    package static func verify<Bytes: Collection>(_ signature: [UInt8], for message: Bytes, with key: PublicKey) -> Bool
    where Bytes.Element == UInt8 {
        defer { ERR_clear_error() }  // a failed verification leaves entries on the queue
        guard signature.count == signatureByteCount, key.kind == .p256,
              let der = try? derSignature(fromRaw: signature),
              let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        let bytes = Array(message)
        return key.withUnsafeEVPKey { pkey in
            guard EVP_DigestVerifyInit(context, nil, EVP_sha256(), nil, pkey) == 1 else { return false }
            return EVP_DigestVerify(context, der, der.count, bytes, bytes.count) == 1
        }
    }

    /// DER `ECDSA-Sig-Value` (RFC 3279 §2.2.3) → r‖s, each left-padded to 32 bytes.
    static func rawSignature(fromDER der: [UInt8]) throws -> [UInt8] {
        let signature = try derDecoded("ECDSA signature", der, free: { ECDSA_SIG_free($0) }) { d2i_ECDSA_SIG(nil, &$0, $1) }
        defer { ECDSA_SIG_free(signature) }
        var r: OpaquePointer? = nil
        var s: OpaquePointer? = nil
        ECDSA_SIG_get0(signature, &r, &s)  // borrowed
        var raw = [UInt8](repeating: 0, count: signatureByteCount)
        let ok = raw.withUnsafeMutableBufferPointer { buffer in
            BN_bn2binpad(r, buffer.baseAddress, 32) == 32 && BN_bn2binpad(s, buffer.baseAddress! + 32, 32) == 32
        }
        guard ok else { throw TrustError.malformed(what: "ECDSA signature", reason: "r or s longer than 32 bytes") }
        return raw
    }

    /// r‖s → DER `ECDSA-Sig-Value`.
    static func derSignature(fromRaw raw: [UInt8]) throws -> [UInt8] {
        guard raw.count == signatureByteCount else {
            throw TrustError.malformed(what: "ES256 signature", reason: "\(raw.count) bytes instead of 64")
        }
        guard let signature = ECDSA_SIG_new() else { throw OpenSSLError.drain("allocating an ECDSA signature") }
        defer { ECDSA_SIG_free(signature) }
        let r = BN_bin2bn(raw, 32, nil)
        let s = raw.withUnsafeBufferPointer { BN_bin2bn($0.baseAddress! + 32, 32, nil) }
        // set0 takes ownership of r and s only on success.
        guard let r, let s, ECDSA_SIG_set0(signature, r, s) == 1 else {
            BN_free(r)
            BN_free(s)
            throw OpenSSLError.drain("building an ECDSA signature")
        }
        return try derEncoded("an ECDSA signature") { i2d_ECDSA_SIG(signature, &$0) }
    }
}
