import Foundation
import Testing
@testable import VerbundTrust

@Suite struct PrivateKeyTests {
    @Test func generatedKeyIsP256AndRoundTripsThroughPKCS8() throws {
        let key = try PrivateKey.generateP256()
        #expect(key.kind == .p256)
        let pem = try key.pkcs8PEM()
        #expect(pem.hasPrefix("-----BEGIN " + "PRIVATE KEY-----"))  // split: no key-looking literal in the tree
        let reloaded = try PrivateKey(pem: pem)
        #expect(try reloaded.publicKey == key.publicKey)
        #expect(try reloaded.pkcs8PEM() == pem)
    }

    @Test func publicKeyRoundTripsThroughPEMAndDER() throws {
        let key = try PrivateKey.generateP256().publicKey
        #expect(key.pem.hasPrefix("-----BEGIN PUBLIC KEY-----"))
        #expect(try PublicKey(pem: key.pem) == key)
        #expect(try PublicKey(der: key.der) == key)
        #expect(key.kind == .p256)
        #expect(try PrivateKey.generateP256().publicKey != key)
        #expect(throws: TrustError.self) { try PublicKey(der: key.der + [0x00]) }
        #expect(throws: OpenSSLError.self) { try PublicKey(der: Array(key.der.dropLast())) }
    }

    @Test func writtenKeyFileIsOwnerOnlyAndReadable() throws {
        let dir = try TemporaryDirectory()
        let key = try PrivateKey.generateP256()
        let path = dir.file("node.key")
        try key.write(toFile: path)
        #expect(try permissions(of: path) == 0o600)
        #expect(try PrivateKey(pemFile: path).publicKey == key.publicKey)
    }

    @Test func writingOverAnExistingFileIsRefused() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("node.key", "existing")
        #expect(throws: TrustError.self) { try PrivateKey.generateP256().write(toFile: path) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "existing")
    }

    @Test func groupOrWorldReadableKeyFileIsRefusedWithChmodAdvice() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("loose.key")
        try PrivateKey.generateP256().write(toFile: path)
        for mode in [0o644, 0o640, 0o604] {
            chmod(path, mode_t(mode))
            let error = #expect(throws: TrustError.self) { try PrivateKey(pemFile: path) }
            #expect(error == .insecureKeyFile(path: path, mode: UInt32(0o100000 | mode)))
            #expect(error?.description.contains("chmod 600 \(path)") == true)
        }
        chmod(path, 0o400)
        #expect(throws: Never.self) { try PrivateKey(pemFile: path) }
    }

    @Test func missingKeyFileNamesThePath() throws {
        let dir = try TemporaryDirectory()
        let error = #expect(throws: TrustError.self) { try PrivateKey(pemFile: dir.file("absent.key")) }
        #expect(error?.description.contains("absent.key") == true)
    }

    @Test func garbageAndEncryptedPEMAreRefused() throws {
        #expect(throws: OpenSSLError.self) { try PrivateKey(pem: "not a key") }
        let dir = try TemporaryDirectory()
        let result = try openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                                  "-aes256", "-pass", "pass:secret", "-out", "enc.key"], in: dir.path)
        #expect(result.status == 0, "\(result.output)")
        let encrypted = try String(contentsOfFile: dir.file("enc.key"), encoding: .utf8)
        #expect(throws: OpenSSLError.self) { try PrivateKey(pem: encrypted) }
    }

    @Test func rsaAndOtherKeysAreClassified() throws {
        let dir = try TemporaryDirectory()
        let rsa = try openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "rsa.key"], in: dir.path)
        #expect(rsa.status == 0, "\(rsa.output)")
        let rsaKey = try PrivateKey(pem: String(contentsOfFile: dir.file("rsa.key"), encoding: .utf8))
        #expect(rsaKey.kind == .rsa(bits: 2048))
        #expect(!rsaKey.kind.isAcceptableForMembers)
        #expect(KeyKind.rsa(bits: 3072).isAcceptableForMembers)

        let ed = try openssl(["genpkey", "-algorithm", "ED25519", "-out", "ed.key"], in: dir.path)
        #expect(ed.status == 0, "\(ed.output)")
        let edKey = try PrivateKey(pem: String(contentsOfFile: dir.file("ed.key"), encoding: .utf8))
        #expect(edKey.kind == .other("ED25519"))

        let p384 = try openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", "p384.key"], in: dir.path)
        #expect(p384.status == 0, "\(p384.output)")
        let p384Key = try PrivateKey(pem: String(contentsOfFile: dir.file("p384.key"), encoding: .utf8))
        #expect(p384Key.kind == .other("EC secp384r1"))
        #expect(!p384Key.kind.isAcceptableForMembers)
    }

    @Test func opensslReadsOurPKCS8() throws {
        let dir = try TemporaryDirectory()
        let key = try PrivateKey.generateP256()
        try key.write(toFile: dir.file("k.pem"))
        let result = try openssl(["pkey", "-in", "k.pem", "-pubout"], in: dir.path)
        #expect(result.status == 0)
        #expect(try PublicKey(pem: result.output) == key.publicKey)
    }
}
