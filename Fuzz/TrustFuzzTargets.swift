// Fuzz targets `jws` and `x509`: JOSE parsing (compact, general/flattened JSON, protected headers) and the OpenSSL
// readers of certificates, certificate signing requests and CRLs in DER and PEM.
import Foundation
@testable import VerbundTrust

/// The federation root of the demo federation: a real issuer for the chain and CRL signature checks.
let demoRoot: Certificate = {
    let pem = String(decoding: FuzzTarget.repositoryFile("certs/demo-federation-DO-NOT-USE/public/root.pem"), as: UTF8.self)
    guard let root = try? Certificate(pem: pem) else { fatalError("the demo federation root does not parse") }
    return root
}()

/// `jws`: compact and JSON serializations re-serialize to what parses to the same JWS; headers with x5c give
/// certificate chains or typed errors; verification never traps.
func fuzzJWS(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    if let compact = try? CompactJWS(parsing: text) {
        guard let again = try? CompactJWS(parsing: compact.serialized) else { fatalError("a compact JWS does not re-parse") }
        require(again.serialized == compact.serialized && again.payload == compact.payload, "compact JWS changed by re-parsing")
        _ = try? compact.verifyWithX5C()
    }
    if let general = try? GeneralJWS(json: bytes) {
        guard let json = try? general.json(), let again = try? GeneralJWS(json: json) else {
            fatalError("a general JWS does not survive json() → parse")
        }
        require(again.payload == general.payload && again.signatures.count == general.signatures.count,
                "general JWS changed by json() → parse")
        for index in general.signatures.indices {
            _ = try? general.signatures[index].header.certificateChain()
            _ = try? general.verifyWithX5C(signatureAt: index)
        }
    }
    // The bytes as a protected header's JSON.
    if let header = try? JWSHeader.decode(encoded: Base64URL.encode(bytes)) {
        require(header.alg == JWSHeader.algorithm && header.crit == nil, "a header with another alg or crit was accepted")
        _ = try? header.certificateChain()
    }
}

/// `x509`: the first byte picks certificate, CSR or CRL in DER or PEM; whatever parses re-encodes (DER and PEM)
/// to an equal object, and every accessor and signature check runs without trapping.
func fuzzX509(_ bytes: [UInt8]) {
    guard let selector = bytes.first else { return }
    let body = Array(bytes.dropFirst())
    let text = String(decoding: body, as: UTF8.self)
    switch selector % 6 {
    case 0: (try? Certificate(der: body)).map(checkCertificate)
    case 1: (try? Certificate.all(pem: text))?.forEach(checkCertificate)
    case 2: (try? CertificateSigningRequest(der: body)).map(checkRequest)
    case 3: (try? CertificateSigningRequest(pem: text)).map(checkRequest)
    case 4: (try? CertificateRevocationList(der: body)).map(checkRevocationList)
    default: (try? CertificateRevocationList(pem: text)).map(checkRevocationList)
    }
}

private func checkCertificate(_ certificate: Certificate) {
    require((try? Certificate(der: certificate.der)) == certificate, "certificate DER does not round-trip")
    require((try? Certificate(pem: certificate.pem)) == certificate, "certificate PEM does not round-trip")
    _ = (certificate.subject, certificate.issuer, certificate.commonName, certificate.serialNumber.hex)
    _ = (certificate.notBefore, certificate.notAfter, certificate.fingerprintSHA256, certificate.subjectAltNameURIs)
    _ = (certificate.extendedKeyUsage, certificate.keyUsage, certificate.isCA, certificate.pathLengthConstraint, certificate.subjectAltNameDNSNames)
    _ = try? ChainVerifier(root: demoRoot).verify(certificate, intermediates: [], at: Date(timeIntervalSince1970: 1_800_000_000))
}

private func checkRequest(_ request: CertificateSigningRequest) {
    require((try? CertificateSigningRequest(der: request.der)) == request, "CSR DER does not round-trip")
    require((try? CertificateSigningRequest(pem: request.pem)) == request, "CSR PEM does not round-trip")
    _ = (request.subject, request.commonName, request.requestedSubjectAltNameURIs, request.requestedDNSNames)
    _ = request.isSignatureValid
}

private func checkRevocationList(_ crl: CertificateRevocationList) {
    require((try? CertificateRevocationList(der: crl.der)) == crl, "CRL DER does not round-trip")
    require((try? CertificateRevocationList(pem: crl.pem)) == crl, "CRL PEM does not round-trip")
    _ = (crl.issuer, crl.thisUpdate, crl.nextUpdate, crl.number, crl.entries)
    _ = crl.isSigned(by: demoRoot)
    _ = crl.isRevoked(demoRoot)
}
