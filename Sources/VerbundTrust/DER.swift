import COpenSSL

/// Copies the output of an `i2d_*` call that allocates its buffer (`*pp == NULL`) and frees that buffer.
func derEncoded(_ what: String, _ encode: (inout UnsafeMutablePointer<UInt8>?) -> Int32) throws -> [UInt8] {
    var out: UnsafeMutablePointer<UInt8>? = nil
    let count = encode(&out)
    guard count > 0, let out else { throw OpenSSLError.drain("DER-encoding \(what)") }
    defer { shim_OPENSSL_free(out) }
    return Array(UnsafeBufferPointer(start: out, count: Int(count)))
}

/// Runs a `d2i_*` call over `der` and requires it to consume every byte (no trailing garbage); `free` releases the
/// decoded object when it is refused for that.
func derDecoded(_ what: String, _ der: [UInt8], free: (OpaquePointer) -> Void,
                _ decode: (inout UnsafePointer<UInt8>?, Int) -> OpaquePointer?) throws -> OpaquePointer {
    guard !der.isEmpty else { throw TrustError.malformed(what: what, reason: "no bytes") }
    return try der.withUnsafeBufferPointer { buffer in
        var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
        guard let object = decode(&cursor, buffer.count) else { throw OpenSSLError.drain("parsing \(what) DER") }
        if let cursor, let base = buffer.baseAddress, cursor - base != buffer.count {
            free(object)
            throw TrustError.malformed(what: what, reason: "\(buffer.count - (cursor - base)) trailing bytes after the DER object")
        }
        return object
    }
}
