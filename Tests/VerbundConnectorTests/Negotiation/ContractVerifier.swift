import Foundation
import VerbundTestSupport
import Testing
import VerbundDataspace
import VerbundTrust
@testable import VerbundConnector

/// Checks an exported contract (general JSON JWS): ours — each signature with its `x5c` chain to the federation root —
/// and Python's joserfc, a JOSE library that knows nothing of Verbund.
enum ContractVerifier {
    /// Verifies every signature with our JWS code and the root; returns the signers' participant ids (SAN URIs).
    static func verifyOurs(_ json: String, root: Certificate, agreement: Agreement) throws -> [String] {
        let jws = try GeneralJWS(json: json)
        guard jws.payload == [UInt8](try agreement.signingPayload()) else {
            throw FixtureError("the contract's payload is not the agreement's signing bytes")
        }
        let verifier = ChainVerifier(trustAnchors: [root])
        return try jws.signatures.indices.map { index in
            let chain = try jws.verify(signatureAt: index, trusting: verifier)
            return chain[0].subjectAltNameURIs.first ?? ""
        }
    }

    static let joserfcCheck = "verifying the contract with Python's joserfc"

    /// Why joserfc cannot run here (python3 lacks the pip packages joserfc or cryptography), or nil. Probed once per
    /// test process; the README does not require joserfc, so `OutsideCheckers` decides whether its absence skips or fails.
    static let joserfcAbsence: String? = OutsideCheckers.probe(
        URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", "import joserfc, cryptography"],
        what: "python3 with joserfc (pip install joserfc)")

    /// Verifies each signature of the general JWS with joserfc, using the public key of its own `x5c` leaf; nil when
    /// joserfc is missing (the skip is printed, or an issue recorded when outside checkers are required).
    static func verifyWithJoserfc(_ json: String, sourceLocation: SourceLocation = #_sourceLocation) throws
        -> (status: Int32, output: String)? {
        guard OutsideCheckers.mayRun(joserfcCheck, absence: joserfcAbsence, sourceLocation: sourceLocation) else {
            return nil
        }
        let script = """
            import base64, json, sys
            from cryptography import x509
            from cryptography.hazmat.primitives import serialization
            from joserfc import jws
            from joserfc.jwk import ECKey
            from joserfc.jws import JWSRegistry
            # x5c makes the protected header larger than joserfc's default limit of 512 bytes.
            registry = JWSRegistry(algorithms=["ES256"])
            registry.max_header_length = 16384
            data = json.loads(sys.stdin.read())
            count = 0
            for entry in data["signatures"]:
                header = json.loads(base64.urlsafe_b64decode(entry["protected"] + "=" * (-len(entry["protected"]) % 4)))
                leaf = x509.load_der_x509_certificate(base64.b64decode(header["x5c"][0]))
                pem = leaf.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
                key = ECKey.import_key(pem)
                single = {"payload": data["payload"], "protected": entry["protected"], "signature": entry["signature"]}
                result = jws.deserialize_json(single, key, algorithms=["ES256"], registry=registry)
                assert result.payload == base64.urlsafe_b64decode(data["payload"] + "=" * (-len(data["payload"]) % 4))
                count += 1
            print("verified", count)
            """
        let result = try ChildProcess.run("/usr/bin/env", ["python3", "-c", script], input: json, timeout: 30)
        return (result.status, result.output + result.error)
    }
}
