import COpenSSL
import Foundation

/// A PKCS#10 certificate signing request (RFC 2986) held by OpenSSL: the member's public key, requested name and
/// subjectAltName, signed with the member's private key as proof of possession.
///
/// Requests from any tool (e.g. `openssl req`) parse the same way as ours. Immutable and thread-safe.
package final class CertificateSigningRequest: @unchecked Sendable, Equatable {
    private let pointer: OpaquePointer
    /// The DER encoding.
    package let der: [UInt8]

    init(takingOwnership pointer: OpaquePointer) throws {
        self.pointer = pointer
        do {
            der = try derEncoded("a CSR") { i2d_X509_REQ(pointer, &$0) }
        } catch {
            X509_REQ_free(pointer)
            throw error
        }
    }

    deinit { X509_REQ_free(pointer) }

    /// Creates and signs a request for `key` with subject CN (and O), asking for the given subjectAltName entries.
    package convenience init(commonName: String, organization: String? = nil, subjectAltNameURIs: [String] = [],
                            dnsNames: [String] = [], key: PrivateKey) throws {
        guard let digest = Self.digest(for: key.kind) else {
            throw TrustError.unsupportedKey(operation: "signing a CSR", kind: key.kind)
        }
        guard let request = X509_REQ_new() else { throw OpenSSLError.drain("allocating a CSR") }
        do {
            // PKCS#10 has a single version, v1, encoded as 0 (RFC 2986 §4.1).
            guard X509_REQ_set_version(request, Int(X509_REQ_VERSION_1)) == 1 else { throw OpenSSLError.drain("setting the CSR version") }
            let name = try ASN1.makeName(commonName: commonName, organization: organization)
            defer { X509_NAME_free(name) }
            guard X509_REQ_set_subject_name(request, name) == 1 else { throw OpenSSLError.drain("setting the CSR subject") }
            try key.withUnsafeEVPKey { pkey in
                guard X509_REQ_set_pubkey(request, pkey) == 1 else { throw OpenSSLError.drain("setting the CSR public key") }
            }
            if !subjectAltNameURIs.isEmpty || !dnsNames.isEmpty {
                try Self.addSubjectAltName(request, uris: subjectAltNameURIs, dnsNames: dnsNames)
            }
            try key.withUnsafeEVPKey { pkey in
                guard X509_REQ_sign(request, pkey, digest) > 0 else { throw OpenSSLError.drain("signing the CSR") }
            }
        } catch {
            X509_REQ_free(request)
            throw error
        }
        try self.init(takingOwnership: request)
    }

    /// Parses a DER request; trailing bytes are refused.
    package convenience init(der: [UInt8]) throws {
        let request = try derDecoded("CSR", der, free: { X509_REQ_free($0) }) { d2i_X509_REQ(nil, &$0, $1) }
        try self.init(takingOwnership: request)
    }

    /// Parses a PEM request (`BEGIN CERTIFICATE REQUEST`, RFC 7468 §7; the legacy `NEW CERTIFICATE REQUEST` too).
    package convenience init(pem: String) throws {
        let bio = try MemoryBIO(copying: Array(pem.utf8))
        guard let request = PEM_read_bio_X509_REQ(bio.pointer, nil, nil, nil) else {
            throw OpenSSLError.drain("reading the CSR PEM")
        }
        try self.init(takingOwnership: request)
    }

    /// PEM (`BEGIN CERTIFICATE REQUEST`).
    package var pem: String {
        "-----BEGIN CERTIFICATE REQUEST-----\n\(Data64.wrap(der))-----END CERTIFICATE REQUEST-----\n"
    }

    /// Requested subject as an RFC 2253 string.
    package var subject: String { ASN1.rfc2253(X509_REQ_get_subject_name(pointer)) }

    /// Requested common name.
    package var commonName: String? { ASN1.commonName(X509_REQ_get_subject_name(pointer)) }

    /// The public key to certify.
    package var publicKey: PublicKey {
        get throws {
            guard let key = X509_REQ_get0_pubkey(pointer) else { throw OpenSSLError.drain("reading the CSR's public key") }
            return try PublicKey.retaining(key)
        }
    }

    /// URIs of the requested subjectAltName (from the extensionRequest attribute, RFC 2985 §5.4.2).
    package var requestedSubjectAltNameURIs: [String] { requestedNames.uris }

    /// DNS names of the requested subjectAltName.
    package var requestedDNSNames: [String] { requestedNames.dnsNames }

    /// Whether the request's signature verifies with its own public key (proof of possession, RFC 2986 §3).
    package var isSignatureValid: Bool {
        defer { ERR_clear_error() }
        guard let key = X509_REQ_get0_pubkey(pointer) else { return false }
        return X509_REQ_verify(pointer, key) == 1
    }

    package static func == (lhs: CertificateSigningRequest, rhs: CertificateSigningRequest) -> Bool { lhs.der == rhs.der }

    /// Lends the `X509_REQ` to the CA code; the pointer must not escape `body`.
    func withUnsafeRequest<T>(_ body: (OpaquePointer) throws -> T) rethrows -> T {
        try body(pointer)
    }

    private var requestedNames: GeneralNames {
        guard let extensions = X509_REQ_get_extensions(pointer) else {
            ERR_clear_error()
            return GeneralNames(consuming: nil)
        }
        defer { shim_sk_X509_EXTENSION_pop_free(extensions) }
        for index in 0..<shim_sk_X509_EXTENSION_num(extensions) {
            guard let ext = shim_sk_X509_EXTENSION_value(extensions, index),
                  OBJ_obj2nid(X509_EXTENSION_get_object(ext)) == NID_subject_alt_name else { continue }
            return GeneralNames(consuming: X509V3_EXT_d2i(ext))
        }
        return GeneralNames(consuming: nil)
    }

    /// The digest used with a key type for CSR and certificate signatures.
    static func digest(for kind: KeyKind) -> OpaquePointer? {
        switch kind {
        case .p256, .rsa: return EVP_sha256()
        case .other: return nil
        }
    }

    private static func addSubjectAltName(_ request: OpaquePointer, uris: [String], dnsNames: [String]) throws {
        let names = try GeneralNames.make(uris: uris, dnsNames: dnsNames)
        defer { GENERAL_NAMES_free(names) }
        guard let ext = X509V3_EXT_i2d(NID_subject_alt_name, 0, UnsafeMutableRawPointer(names)) else {
            throw OpenSSLError.drain("encoding the requested subjectAltName")
        }
        guard let stack = shim_sk_X509_EXTENSION_new_null() else {
            X509_EXTENSION_free(ext)
            throw OpenSSLError.drain("allocating the CSR extension list")
        }
        defer { shim_sk_X509_EXTENSION_pop_free(stack) }
        guard shim_sk_X509_EXTENSION_push(stack, ext) > 0 else {
            X509_EXTENSION_free(ext)
            throw OpenSSLError.drain("adding the requested subjectAltName")
        }
        guard X509_REQ_add_extensions(request, stack) == 1 else { throw OpenSSLError.drain("adding the CSR extensionRequest") }
    }
}
