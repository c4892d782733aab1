import Foundation
import VerbundDataspace
import VerbundFederation
import VerbundHTTP
import VerbundTransport

/// The DSP 2025-1 contract negotiation routes (its Contract Negotiation HTTPS Binding): the provider's under the
/// endpoint, the consumer's callbacks under `<endpoint>/callback`. Every route answers only the member the negotiation is with
/// (another member's gets 404, as an unknown id does).
struct NegotiationDSPRoutes {
    let engine: NegotiationEngine

    func register(into router: inout DSPRoutes) {
        registerProvider(into: &router)
        registerConsumer(into: &router)
    }

    private func registerProvider(into router: inout DSPRoutes) {
        let engine = self.engine
        route(&router, .post, "/negotiations/request") { dsp, body in
            try engine.context.memberWrites.admit(dsp.member.id, .negotiation, shape: .negotiation(providerPid: "", consumerPid: ""))
            let (message, bytes) = try Self.decode(ContractRequestMessage.self, dsp, body, shape: { .negotiation(providerPid: "", consumerPid: "") })
            let ack = try engine.startProviding(message, bytes: bytes, from: dsp.member)
            return try DSPResponse.json(ack, status: .created)
        }
        route(&router, .get, "/negotiations/:pid") { dsp, _ in
            try engine.current(localPid: dsp.parameter("pid") ?? "", as: .provider, for: dsp.member)
        }
        route(&router, .post, "/negotiations/:pid/request") { dsp, body in
            let (message, bytes) = try Self.decode(ContractRequestMessage.self, dsp, body, shape: Self.shape(dsp, .provider))
            return try engine.receive(.request(message), bytes: bytes, localPid: dsp.parameter("pid") ?? "", as: .provider, from: dsp.member)
        }
        route(&router, .post, "/negotiations/:pid/events") { dsp, body in
            let (message, bytes) = try Self.decode(ContractNegotiationEventMessage.self, dsp, body, shape: Self.shape(dsp, .provider))
            return try engine.receive(.event(message), bytes: bytes, localPid: dsp.parameter("pid") ?? "", as: .provider, from: dsp.member)
        }
        route(&router, .post, "/negotiations/:pid/agreement/verification") { dsp, body in
            let (message, bytes) = try Self.decode(ContractAgreementVerificationMessage.self, dsp, body, shape: Self.shape(dsp, .provider))
            return try engine.receive(.verification(message), bytes: bytes, localPid: dsp.parameter("pid") ?? "", as: .provider,
                                      from: dsp.member) { record in try engine.checkVerification(message, record: record) }
        }
        route(&router, .post, "/negotiations/:pid/termination") { dsp, body in
            let (message, bytes) = try Self.decode(ContractNegotiationTerminationMessage.self, dsp, body, shape: Self.shape(dsp, .provider))
            return try engine.receive(.termination(message), bytes: bytes, localPid: dsp.parameter("pid") ?? "", as: .provider,
                                      from: dsp.member)
        }
    }

    private func registerConsumer(into router: inout DSPRoutes) {
        let engine = self.engine
        let base = NegotiationEngine.callbackPath
        route(&router, .post, base + "/negotiations/offers") { dsp, body in
            try engine.context.memberWrites.admit(dsp.member.id, .negotiation, shape: .negotiation(providerPid: "", consumerPid: ""))
            let (message, bytes) = try Self.decode(ContractOfferMessage.self, dsp, body, shape: { .negotiation(providerPid: "", consumerPid: "") })
            return try DSPResponse.json(try engine.receiveInitialOffer(message, bytes: bytes, from: dsp.member), status: .created)
        }
        route(&router, .get, base + "/negotiations/:pid") { dsp, _ in
            try engine.current(localPid: dsp.parameter("pid") ?? "", as: .consumer, for: dsp.member)
        }
        route(&router, .post, base + "/negotiations/:pid/offers") { dsp, body in
            let (message, bytes) = try Self.decode(ContractOfferMessage.self, dsp, body, shape: Self.shape(dsp, .consumer))
            return try engine.receive(.offer(message), bytes: bytes, localPid: dsp.parameter("pid") ?? "", as: .consumer, from: dsp.member)
        }
        route(&router, .post, base + "/negotiations/:pid/agreement") { dsp, body in
            let (message, bytes) = try Self.decode(ContractAgreementMessage.self, dsp, body, shape: Self.shape(dsp, .consumer))
            return try engine.receive(.agreement(message), bytes: bytes, localPid: dsp.parameter("pid") ?? "", as: .consumer, from: dsp.member)
        }
        route(&router, .post, base + "/negotiations/:pid/events") { dsp, body in
            let (message, bytes) = try Self.decode(ContractNegotiationEventMessage.self, dsp, body, shape: Self.shape(dsp, .consumer))
            return try engine.receive(.event(message), bytes: bytes, localPid: dsp.parameter("pid") ?? "", as: .consumer, from: dsp.member)
        }
        route(&router, .post, base + "/negotiations/:pid/termination") { dsp, body in
            let (message, bytes) = try Self.decode(ContractNegotiationTerminationMessage.self, dsp, body, shape: Self.shape(dsp, .consumer))
            return try engine.receive(.termination(message), bytes: bytes, localPid: dsp.parameter("pid") ?? "", as: .consumer,
                                      from: dsp.member)
        }
    }

    /// Adds a route whose answer bodies (ACKs and `ContractNegotiationError`s) go to the wire tap.
    private func route(_ router: inout DSPRoutes, _ method: HTTPMethod, _ pattern: String,
                       _ handler: @escaping @Sendable (DSPRequest, RequestBody) throws -> HTTPResponse) {
        let tap = engine.tap
        router.add(method, pattern, bodyLimit: DSPRequest.defaultBodyLimit) { dsp, body in
            do {
                let response = try handler(dsp, body)
                if case let .bytes(bytes) = response.body { tap?.record(.answered, bytes) }
                return response
            } catch let failure as DSPFailure {
                tap?.record(.answered, failure.shape.body(code: failure.code, reasons: failure.reasons))
                throw failure
            }
        }
    }

    /// The error shape for a process route: our pid from the path on our side, the peer's unknown yet.
    private static func shape(_ dsp: DSPRequest, _ role: DSPRole) -> () -> DSPErrorShape {
        let pid = dsp.parameter("pid") ?? ""
        return { role == .provider ? .negotiation(providerPid: pid, consumerPid: "") : .negotiation(providerPid: "", consumerPid: pid) }
    }

    private static func decode<Message: Decodable>(_ type: Message.Type, _ dsp: DSPRequest, _ body: RequestBody,
                                                   shape: () -> DSPErrorShape) throws -> (Message, [UInt8]) {
        let bytes = try DSPRequest.read(body, limit: DSPRequest.defaultBodyLimit)
        guard !bytes.isEmpty else {
            throw DSPFailure(.badRequest, shape: shape(), code: "MalformedMessage", reasons: ["the request has no body"])
        }
        do {
            return (try DSPBodyDecoder.decode(type, from: bytes), bytes)
        } catch {
            throw DSPFailure(.badRequest, shape: shape(), code: "MalformedMessage",
                             reasons: ["the body is not a valid \(Message.self): \(DSPBodyDecoder.explain(error))"])
        }
    }
}

extension NegotiationEngine {
    /// `GET /negotiations/:pid`: the current state, also for finished negotiations; 404 for unknown or foreign ones.
    func current(localPid: String, as role: DSPRole, for member: Member) throws -> HTTPResponse {
        let ack = try context.database.read { tx -> ContractNegotiation in
            guard let record = try NegotiationTable.find(localPid: localPid, role: role, in: tx), record.peerMemberId == member.id else {
                throw DSPFailure(.notFound, shape: .negotiation(providerPid: role == .provider ? localPid : "",
                                                                consumerPid: role == .consumer ? localPid : ""),
                                 code: "404", reasons: ["no negotiation \(localPid)"])
            }
            return try acknowledgement(record)
        }
        return try DSPResponse.json(ack)
    }
}
