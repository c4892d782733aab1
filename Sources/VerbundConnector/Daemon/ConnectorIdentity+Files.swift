import Foundation
import VerbundTrust

extension ConnectorIdentity {
    /// Loads the key (which must be mode 0600) and the certificate chain named by the configuration and checks that
    /// they belong together and to the configured participant.
    static func load(_ configuration: ConnectorConfiguration, now: Date) throws(ConnectorStartError) -> ConnectorIdentity {
        let key: PrivateKey
        do {
            key = try PrivateKey(pemFile: configuration.keyFile)
        } catch {
            throw .identity("keyFile \(configuration.keyFile): \(error)")
        }
        let chain: [Certificate]
        do {
            chain = try Certificate.all(pemFile: configuration.certificateFile)
        } catch {
            throw .identity("certificateFile \(configuration.certificateFile): \(error); put the certificate the federation admin issued there")
        }
        guard let leaf = chain.first else {
            throw .identity("certificateFile \(configuration.certificateFile) holds no certificate")
        }
        guard let certified = try? leaf.publicKey, let own = try? key.publicKey, certified == own else {
            throw .identity("the certificate in \(configuration.certificateFile) was not issued for the key in \(configuration.keyFile)")
        }
        guard leaf.subjectAltNameURIs.contains(configuration.participantId) else {
            let names = leaf.subjectAltNameURIs.isEmpty ? "none" : leaf.subjectAltNameURIs.joined(separator: ", ")
            throw .identity("the certificate names participant \(names), but participantId is \(configuration.participantId)")
        }
        guard leaf.notAfter > now else {
            throw .identity("the certificate expired on \(InternetDateTime.string(from: leaf.notAfter)); ask the federation admin to renew it")
        }
        return ConnectorIdentity(memberId: configuration.memberId, participantId: configuration.participantId,
                                 privateKey: key, certificateChain: chain)
    }
}
