import Foundation
import Testing
import VerbundTestSupport
import VerbundDataspace
import VerbundJSON
import VerbundFederation
import VerbundStore
import VerbundTrust
@testable import VerbundConnector

/// Signing and checking agreements against a federation, without connectors; the message paths; the catalog lookup.
@Suite(.offCooperativePool) struct ContractSignatureTests {
    struct Parties {
        let federation: FederationFixture
        let trust: FederationTrust
        let a: ConnectorIdentity
        let b: ConnectorIdentity
        let agreement: Agreement
    }

    static func parties() throws -> Parties {
        let federation = try FederationFixture(members: ["a", "b"])
        let admin = federation.adminFolder
        let trust = try FederationTrust(rootFile: admin.rootCertificate, registryFile: admin.registry, crlFile: admin.crl)
        func identity(_ id: String) throws -> ConnectorIdentity {
            let (key, chain) = try federation.identity(id)
            return ConnectorIdentity(memberId: id, participantId: "urn:verbund:testfed:\(id)", privateKey: key, certificateChain: chain)
        }
        let agreement = Agreement(id: "urn:uuid:agreement-1", target: "urn:dataset:x", assigner: "urn:verbund:testfed:a",
                                  assignee: "urn:verbund:testfed:b", timestamp: Date(timeIntervalSince1970: 1_800_000_000),
                                  permission: [Rule(action: "use", constraint: [.atomic("count", "lteq", .string("5"))])])
        return Parties(federation: federation, trust: trust, a: try identity("a"), b: try identity("b"), agreement: agreement)
    }

    @Test func signaturesVerifyOnlyForTheirSignerAndAgreement() throws {
        let p = try Self.parties()
        let byA = try ContractSignature.sign(p.agreement, identity: p.a)
        let byB = try ContractSignature.sign(p.agreement, identity: p.b)
        #expect(try ContractSignature.verify(byA, of: p.agreement, by: "a", trust: p.trust, at: Date()).id == "a")
        #expect(try ContractSignature.verify(byB, of: p.agreement, by: "b", trust: p.trust, at: Date()).id == "b")

        // The wrong party, other bytes, a broken signature, garbage: each refused with its reason.
        #expect { try ContractSignature.verify(byB, of: p.agreement, by: "a", trust: p.trust, at: Date()) } throws: { error in
            "\(error)".contains("made by member 'b', but the agreement names 'a'")
        }
        var changed = p.agreement
        changed.assignee = "urn:verbund:testfed:c"
        #expect { try ContractSignature.verify(byA, of: changed, by: "a", trust: p.trust, at: Date()) } throws: { error in
            "\(error)".contains("other bytes")
        }
        var parts = byA.split(separator: ".").map(String.init)
        parts[2] = String(parts[2].reversed())
        #expect(throws: ContractSignatureError.self) {
            try ContractSignature.verify(parts.joined(separator: "."), of: p.agreement, by: "a", trust: p.trust, at: Date())
        }
        #expect(throws: ContractSignatureError.self) {
            try ContractSignature.verify("not a jws", of: p.agreement, by: "a", trust: p.trust, at: Date())
        }
        // A key the federation never certified, with a self-made chain: not trusted.
        let stranger = try PrivateKey.generateP256()
        let forged = try CompactJWS.sign(payload: [UInt8](try p.agreement.signingPayload()),
                                         header: JWSHeader(certificateChain: p.a.certificateChain), key: stranger).serialized
        #expect(throws: ContractSignatureError.self) {
            try ContractSignature.verify(forged, of: p.agreement, by: "a", trust: p.trust, at: Date())
        }
    }

    @Test func contractJoinsBothSignaturesOverOnePayload() throws {
        let p = try Self.parties()
        let byA = try ContractSignature.sign(p.agreement, identity: p.a)
        let byB = try ContractSignature.sign(p.agreement, identity: p.b)
        let contract = try GeneralJWS(json: try ContractSignature.contract(signatures: [byA, byB]))
        #expect(contract.signatures.count == 2)
        #expect(contract.payload == [UInt8](try p.agreement.signingPayload()))
        #expect(contract.signatures[0].header.kid == p.a.certificate.fingerprintSHA256)
        let verifier = ChainVerifier(root: p.trust.root)
        #expect(try contract.verify(signatureAt: 0, trusting: verifier)[0].subjectAltNameURIs == ["urn:verbund:testfed:a"])
        #expect(try contract.verify(signatureAt: 1, trusting: verifier)[0].subjectAltNameURIs == ["urn:verbund:testfed:b"])

        var other = p.agreement
        other.id = "urn:uuid:agreement-2"
        let otherByB = try ContractSignature.sign(other, identity: p.b)
        #expect(throws: ContractSignatureError.self) { try ContractSignature.contract(signatures: [byA, otherByB]) }
        #expect(throws: ContractSignatureError.self) { try ContractSignature.contract(signatures: []) }
    }

    @Test func messagePathsFollowTheHTTPSBinding() throws {
        let offer = Offer(id: "urn:uuid:o", target: "urn:dataset:x", permission: [Rule(action: "use")])
        #expect(try NegotiationEngine.providerPath(of: .request(ContractRequestMessage(consumerPid: "c", offer: offer, callbackAddress: "https://x")))
                == "/negotiations/request")
        #expect(try NegotiationEngine.providerPath(of: .request(ContractRequestMessage(consumerPid: "c", providerPid: "p", offer: offer)))
                == "/negotiations/p/request")
        #expect(try NegotiationEngine.providerPath(of: .verification(ContractAgreementVerificationMessage(providerPid: "urn:uuid:p", consumerPid: "c")))
                == "/negotiations/urn:uuid:p/agreement/verification")
        #expect(try NegotiationEngine.providerPath(of: .event(ContractNegotiationEventMessage(providerPid: "p", consumerPid: "c", eventType: .accepted)))
                == "/negotiations/p/events")
        #expect(try NegotiationEngine.consumerPath(of: .termination(ContractNegotiationTerminationMessage(providerPid: "p", consumerPid: "c/x")))
                == "/negotiations/c%2Fx/termination")
        #expect(try NegotiationEngine.consumerPath(of: .offer(ContractOfferMessage(providerPid: "p", offer: offer, callbackAddress: "https://x")))
                == "/negotiations/offers")
        #expect(throws: NegotiationStoreError.self) {
            try NegotiationEngine.consumerPath(of: .verification(ContractAgreementVerificationMessage(providerPid: "p", consumerPid: "c")))
        }
        #expect(NegotiationEngine.trimmingSlashes("https://h:1/dsp/callback//") == "https://h:1/dsp/callback")
    }

    @Test func catalogOffersReadTheCatalogTableAndFailClosedWithoutIt() throws {
        let folder = TemporaryFolder("verbund-catalog-offers")
        let database = try Database(path: folder.path + "/db.sqlite")
        defer { database.close() }
        let lookup = CatalogOffers()
        #expect(try database.read { tx in try lookup.offer(id: "urn:uuid:o1", in: tx) } == nil)
        database.close()
        let offer = Offer(id: "urn:uuid:o1", permission: [Rule(action: "use")])
        try CatalogSeed.publish(DatasetRecord(id: "urn:dataset:a", title: "A", offers: [
            Offer(id: "urn:uuid:o0", permission: [Rule(action: "use")]), offer,
        ]), databasePath: folder.path + "/db.sqlite")
        let reopened = try Database(path: folder.path + "/db.sqlite")
        defer { reopened.close() }
        let found = try #require(try reopened.read { tx in try lookup.offer(id: "urn:uuid:o1", in: tx) })
        #expect(found.dataset == "urn:dataset:a" && found.offer == offer)
        #expect(try reopened.read { tx in try lookup.offer(id: "urn:uuid:o", in: tx) } == nil)
        #expect(try reopened.read { tx in try lookup.offer(id: "%", in: tx) } == nil)
    }
}

extension ContractSignatureTests {
    /// A signed payload matches the agreement received as a JSON value: member order, spacing and the spelling of a
    /// number do not matter; a changed, missing or extra member does.
    @Test func payloadAndAgreementCompareAsJSONValues() throws {
        func value(_ text: String) throws -> JSONValue { try CanonicalJSON.parsePeerJSON(Array(text.utf8)) }
        let agreement = try value(#"{"a": 5, "b": [1, {"c": "x"}]}"#)
        #expect(ContractSignature.sameValue(try value(#"{"b":[1.0,{"c":"x"}],"a":5e0}"#), agreement))
        #expect(!ContractSignature.sameValue(try value(#"{"b":[1,{"c":"y"}],"a":5}"#), agreement))
        #expect(!ContractSignature.sameValue(try value(#"{"b":[1,{"c":"x"}]}"#), agreement))
        #expect(!ContractSignature.sameValue(try value(#"{"b":[1,{"c":"x"}],"a":5,"d":null}"#), agreement))
        #expect(!ContractSignature.sameValue(try value(#"{"b":[{"c":"x"},1],"a":5}"#), agreement))
        #expect(throws: CanonicalJSONError.self) { try value(#"{"a": 5, "a": 6}"#) }
    }
}
