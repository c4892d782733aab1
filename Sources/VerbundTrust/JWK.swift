import COpenSSL

/// A JSON Web Key (RFC 7517) for an EC P-256 public key (RFC 7518 §6.2.1). Private members are never read or written.
package struct JWK: Codable, Sendable, Hashable {
    package var kty: String
    package var crv: String?
    /// base64url of the 32-byte x coordinate.
    package var x: String?
    /// base64url of the 32-byte y coordinate.
    package var y: String?
    package var kid: String?

    package init(kty: String = "EC", crv: String? = "P-256", x: String?, y: String?, kid: String? = nil) {
        self.kty = kty
        self.crv = crv
        self.x = x
        self.y = y
        self.kid = kid
    }
}

extension PublicKey {
    /// Builds a P-256 public key from a JWK; the point must lie on the curve and both coordinates must be 32 bytes
    /// (RFC 7518 §6.2.1.2: "MUST be the full size of a coordinate").
    package convenience init(jwk: JWK) throws {
        guard jwk.kty == "EC", jwk.crv == "P-256" else {
            throw TrustError.malformed(what: "JWK", reason: "kty \(jwk.kty) crv \(jwk.crv ?? "none") is not an EC P-256 key")
        }
        guard let x = jwk.x.flatMap(Base64URL.decode), let y = jwk.y.flatMap(Base64URL.decode), x.count == 32, y.count == 32 else {
            throw TrustError.malformed(what: "JWK", reason: "x and y must be base64url of exactly 32 bytes each")
        }
        var point: [UInt8] = [0x04] + x + y  // SEC 1 §2.3.3 uncompressed point
        var group = Array("P-256".utf8CString)
        guard let context = EVP_PKEY_CTX_new_from_name(nil, "EC", nil) else { throw OpenSSLError.drain("allocating an EC key context") }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_fromdata_init(context) == 1 else { throw OpenSSLError.drain("starting EC key import") }
        var key: OpaquePointer? = nil
        // The parameter array keeps pointers to `group` and `point`, so both stay pinned for the whole call.
        let imported = group.withUnsafeMutableBufferPointer { name in
            point.withUnsafeMutableBufferPointer { octets in
                var params = [
                    OSSL_PARAM_construct_utf8_string(shim_OSSL_PKEY_PARAM_GROUP_NAME(), name.baseAddress, 0),
                    OSSL_PARAM_construct_octet_string(shim_OSSL_PKEY_PARAM_PUB_KEY(), octets.baseAddress, octets.count),
                    OSSL_PARAM_construct_end(),
                ]
                return EVP_PKEY_fromdata(context, &key, shim_EVP_PKEY_PUBLIC_KEY(), &params)
            }
        }
        guard imported == 1, let key else { throw OpenSSLError.drain("importing the JWK point (is it on P-256?)") }
        guard let check = EVP_PKEY_CTX_new_from_pkey(nil, key, nil) else {
            EVP_PKEY_free(key)
            throw OpenSSLError.drain("allocating a key check context")
        }
        defer { EVP_PKEY_CTX_free(check) }
        guard EVP_PKEY_public_check(check) == 1 else {
            EVP_PKEY_free(key)
            throw OpenSSLError.drain("checking the JWK point")
        }
        try self.init(takingOwnership: key)
    }

    /// The key as a JWK (`kty` EC, `crv` P-256, `x`, `y`). Only P-256 keys have one.
    package func jwk(kid: String? = nil) throws -> JWK {
        guard kind == .p256 else { throw TrustError.unsupportedKey(operation: "exporting a JWK", kind: kind) }
        func coordinate(_ name: UnsafePointer<CChar>) throws -> String {
            var number: OpaquePointer? = nil
            let ok = withUnsafeEVPKey { EVP_PKEY_get_bn_param($0, name, &number) }
            guard ok == 1, let number else { throw OpenSSLError.drain("reading an EC coordinate") }
            defer { BN_free(number) }
            var bytes = [UInt8](repeating: 0, count: 32)
            guard BN_bn2binpad(number, &bytes, 32) == 32 else { throw OpenSSLError.drain("encoding an EC coordinate") }
            return Base64URL.encode(bytes)
        }
        return JWK(x: try coordinate(shim_OSSL_PKEY_PARAM_EC_PUB_X()), y: try coordinate(shim_OSSL_PKEY_PARAM_EC_PUB_Y()), kid: kid)
    }
}
