import Foundation
import Testing
import VerbundTestSupport
import VerbundTrust
@testable import VerbundTransport

@Suite(.offCooperativePool) struct TLSConfigurationTests {
    @Test func requiredCRLMustBePresent() throws {
        let pki = try TLSTestPKI()
        let erfurt = try pki.issue("erfurt")
        #expect(throws: TLSConfigurationError.revocationListRequired) {
            _ = try pki.serverContext(erfurt) { $0.requiresRevocationList = true }
        }
        _ = try pki.serverContext(erfurt, crls: [try pki.crl()]) { $0.requiresRevocationList = true }
    }

    @Test func missingMaterialIsNamed() throws {
        let pki = try TLSTestPKI()
        let erfurt = try pki.issue("erfurt")
        #expect(throws: TLSConfigurationError.missingTrustRoot) {
            _ = try pki.serverContext(erfurt) { $0.trustRoots = [] }
        }
        #expect(throws: TLSConfigurationError.missingCertificate) {
            _ = try pki.clientContext(erfurt) { $0.certificateChain = [] }
        }
        #expect(throws: TLSConfigurationError.invalidVersionRange) {
            _ = try pki.clientContext(erfurt) { $0.minimumVersion = .tls13; $0.maximumVersion = .tls12 }
        }
    }

    @Test func keyOfAnotherCertificateIsRefused() throws {
        let pki = try TLSTestPKI()
        let erfurt = try pki.issue("erfurt")
        let jena = try pki.issue("jena")
        let error = #expect(throws: TLSConfigurationError.self) {
            _ = try pki.serverContext(erfurt) { $0.privateKey = jena.key }
        }
        guard case .openSSL(let openSSL)? = error else {
            Issue.record("expected an OpenSSL error, got \(String(describing: error))")
            return
        }
        #expect(openSSL.operation.contains("certificate and private key"))
        #expect(!openSSL.queue.isEmpty)
        #expect(error?.description.contains("values mismatch") == true || error?.description.contains("mismatch") == true,
                "\(String(describing: error))")
    }

    @Test func weakKeyIsRefused() throws {
        let pki = try TLSTestPKI()
        let weak = try pki.issue("weak", keyOptions: ["rsa:1024"])
        let error = #expect(throws: TLSConfigurationError.self) { _ = try pki.serverContext(weak) }
        #expect(error?.description.contains("too small") == true, "\(String(describing: error))")
    }

    @Test func expiredCRLFailsEveryHandshake() throws {
        // notes §2.3 C12: a CRL past nextUpdate makes verification fail; verifying 40 days ahead shows it.
        let pki = try TLSTestPKI()
        let context = try pki.serverContext(try pki.issue("erfurt", days: 3650), crls: [try pki.crl()]) {
            $0.verificationTime = Date().addingTimeInterval(40 * 86_400)
        }
        let server = try TLSTestServer(context: context)
        let socket = try Socket.connect(host: "127.0.0.1", port: server.port, timeout: .seconds(2))
        let client = try TLSStream.connect(socket: socket,
                                           context: try pki.clientContext(try pki.issue("jena", uri: "urn:verbund:test:jena", days: 3650)),
                                           serverName: nil, handshakeTimeout: .seconds(5))
        #expect(throws: TransportError.self) { _ = try client.receiveAll() }
        #expect(server.failure().contains("CRL has expired"), "\(server.failure())")
    }
}

@Suite(.offCooperativePool) struct TLSConfigurationFileTests {
    @Test func loadsMaterialFromPEMFiles() throws {
        let pki = try TLSTestPKI()
        let erfurt = try pki.issue("erfurt", uri: "urn:verbund:test:erfurt")
        _ = try pki.crl()
        chmod(erfurt.keyPath, 0o600)
        let configuration = try TLSConfiguration(role: .server, certificateChainFile: erfurt.certificatePath,
                                                 privateKeyFile: erfurt.keyPath, trustRootsFile: pki.rootPath,
                                                 revocationListFile: pki.path("crl.pem"))
        #expect(configuration.certificateChain == [erfurt.certificate])
        #expect(configuration.trustRoots == [pki.root])
        #expect(configuration.revocationLists.count == 1)
        #expect(configuration.requiresRevocationList)
        let context = try TLSContext(configuration: configuration)
        #expect(context.role == .server)
    }

    @Test func refusesAKeyFileOthersCanRead() throws {
        let pki = try TLSTestPKI()
        let erfurt = try pki.issue("erfurt")
        chmod(erfurt.keyPath, 0o644)
        let error = #expect(throws: (any Error).self) {
            _ = try TLSConfiguration(role: .server, certificateChainFile: erfurt.certificatePath,
                                     privateKeyFile: erfurt.keyPath, trustRootsFile: pki.rootPath)
        }
        #expect("\(String(describing: error))".contains("chmod 600"))
    }

    @Test func refusesAFileWithoutCertificates() throws {
        let pki = try TLSTestPKI()
        let erfurt = try pki.issue("erfurt")
        chmod(erfurt.keyPath, 0o600)
        #expect(throws: (any Error).self) {
            _ = try TLSConfiguration(role: .client, certificateChainFile: erfurt.keyPath,
                                     privateKeyFile: erfurt.keyPath, trustRootsFile: pki.rootPath)
        }
    }
}
