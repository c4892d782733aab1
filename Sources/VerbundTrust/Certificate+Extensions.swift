import COpenSSL
import Foundation

/// keyUsage bits (RFC 5280 §4.2.1.3).
public struct KeyUsage: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let digitalSignature = KeyUsage(rawValue: UInt32(KU_DIGITAL_SIGNATURE))
    public static let contentCommitment = KeyUsage(rawValue: UInt32(KU_NON_REPUDIATION))
    public static let keyEncipherment = KeyUsage(rawValue: UInt32(KU_KEY_ENCIPHERMENT))
    public static let dataEncipherment = KeyUsage(rawValue: UInt32(KU_DATA_ENCIPHERMENT))
    public static let keyAgreement = KeyUsage(rawValue: UInt32(KU_KEY_AGREEMENT))
    public static let keyCertSign = KeyUsage(rawValue: UInt32(KU_KEY_CERT_SIGN))
    public static let cRLSign = KeyUsage(rawValue: UInt32(KU_CRL_SIGN))
}

/// extendedKeyUsage purposes Verbund cares about (RFC 5280 §4.2.1.12).
public struct ExtendedKeyUsage: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let serverAuth = ExtendedKeyUsage(rawValue: UInt32(XKU_SSL_SERVER))
    public static let clientAuth = ExtendedKeyUsage(rawValue: UInt32(XKU_SSL_CLIENT))
    public static let codeSigning = ExtendedKeyUsage(rawValue: UInt32(XKU_CODE_SIGN))
    public static let emailProtection = ExtendedKeyUsage(rawValue: UInt32(XKU_SMIME))
    public static let timeStamping = ExtendedKeyUsage(rawValue: UInt32(XKU_TIMESTAMP))
    public static let ocspSigning = ExtendedKeyUsage(rawValue: UInt32(XKU_OCSP_SIGN))
}

extension Certificate {
    /// URIs of the subjectAltName extension (RFC 5280 §4.2.1.6), e.g. the participant id `urn:verbund:fed:member`.
    public var subjectAltNameURIs: [String] {
        withUnsafeX509 { GeneralNames(consuming: X509_get_ext_d2i($0, NID_subject_alt_name, nil, nil)).uris }
    }

    /// DNS names of the subjectAltName extension.
    public var subjectAltNameDNSNames: [String] {
        withUnsafeX509 { GeneralNames(consuming: X509_get_ext_d2i($0, NID_subject_alt_name, nil, nil)).dnsNames }
    }

    /// Whether basicConstraints says CA:TRUE (RFC 5280 §4.2.1.9).
    public var isCA: Bool {
        withUnsafeX509 { X509_get_extension_flags($0) & UInt32(EXFLAG_CA) != 0 }
    }

    /// The basicConstraints pathLenConstraint, nil when absent or not a CA.
    public var pathLengthConstraint: Int? {
        withUnsafeX509 { x509 in
            let length = X509_get_pathlen(x509)
            return length >= 0 && X509_get_extension_flags(x509) & UInt32(EXFLAG_CA) != 0 ? Int(length) : nil
        }
    }

    /// keyUsage, nil when the extension is absent (meaning "any usage").
    public var keyUsage: KeyUsage? {
        withUnsafeX509 { x509 in
            guard X509_get_extension_flags(x509) & UInt32(EXFLAG_KUSAGE) != 0 else { return nil }
            return KeyUsage(rawValue: X509_get_key_usage(x509))
        }
    }

    /// extendedKeyUsage, nil when the extension is absent.
    public var extendedKeyUsage: ExtendedKeyUsage? {
        withUnsafeX509 { x509 in
            guard X509_get_extension_flags(x509) & UInt32(EXFLAG_XKUSAGE) != 0 else { return nil }
            return ExtendedKeyUsage(rawValue: X509_get_extended_key_usage(x509))
        }
    }

    /// Whether the certificate's validity window contains `date`.
    public func isValid(at date: Date) -> Bool { notBefore <= date && date <= notAfter }
}
