import COpenSSL

/// An owned in-memory OpenSSL `BIO`, the way PEM text and DER bytes go in and out of OpenSSL.
final class MemoryBIO {
    let pointer: OpaquePointer

    init() throws {
        guard let bio = BIO_new(BIO_s_mem()) else { throw OpenSSLError.drain("allocating a memory BIO") }
        pointer = bio
    }

    /// A BIO holding a copy of `bytes` (`BIO_new_mem_buf` would borrow the buffer past its lifetime).
    convenience init<Bytes: Collection>(copying bytes: Bytes) throws where Bytes.Element == UInt8 {
        try self.init()
        let array = Array(bytes)
        guard !array.isEmpty else { return }
        let written = array.withUnsafeBytes { BIO_write(pointer, $0.baseAddress, Int32($0.count)) }
        guard written == Int32(array.count) else { throw OpenSSLError.drain("writing into a memory BIO") }
    }

    deinit { BIO_free(pointer) }

    /// Everything written into the BIO so far.
    var bytes: [UInt8] {
        var data: UnsafeMutablePointer<CChar>? = nil
        let count = shim_BIO_get_mem_data(pointer, &data)
        guard count > 0, let data else { return [] }
        return data.withMemoryRebound(to: UInt8.self, capacity: count) { Array(UnsafeBufferPointer(start: $0, count: count)) }
    }

    var string: String { String(decoding: bytes, as: UTF8.self) }
}

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
