import Foundation
import Synchronization
import VerbundHTTP
import VerbundJSON
import VerbundTransport
import VerbundTrust
@testable import VerbundConnector

/// A DSP 2025-1 peer written independently of Verbund's message encoder: it writes every body as its own JSON text
/// (its own key order and spacing, see `IndependentJSON`), signs the exact bytes it sends, and can be told to refuse a
/// route with 503 a number of times. It runs as the only module of a fixture member's connector; tests make that
/// member with `opensslMembers`, so its key and CSR come from `openssl req` and its certificate from the test
/// federation's CA, not from Verbund's enrollment. TLS and admission are the connector's, every DSP byte is the peer's.
///
/// As provider it answers `POST /negotiations/request` with 201 and takes messages under `/negotiations/:pid/…`; as
/// consumer it takes callbacks under `<endpoint>/independent/negotiations/:pid/…`.
final class IndependentPeer: ConnectorModule, Sendable {
    struct Received: Sendable {
        let path: String
        let body: [UInt8]
        let status: Int
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    let name = "independent-peer"
    let migrationVersions = 83...83
    /// The callback path under the peer's DSP endpoint.
    static let callbackBase = "/independent"
    private let received = Mutex<[Received]>([])
    /// Route suffix (e.g. `/agreement`) → how many more times it answers 503.
    private let refusals = Mutex<[String: Int]>([:])
    private let changed = Condition()
    /// Route suffix → what the peer does at once on taking a message there, before it answers (its next step).
    private let reactions = Mutex<[String: @Sendable (Received) -> Void]>([:])

    /// The provider process id the peer gives the negotiation with `consumerPid`.
    static func providerPid(_ consumerPid: String) -> String { "urn:uuid:independent-" + consumerPid.suffix(12) }

    /// The next `times` messages to a route ending in `suffix` get 503 (with a DSP error body).
    func refuse(_ suffix: String, times: Int = 1) {
        refusals.withLock { $0[suffix, default: 0] += times }
    }

    var messages: [Received] { received.withLock { $0 } }

    /// On each message to a route ending in `suffix` (and not refused), runs `next` before answering: the peer acts on
    /// the message while the sender still waits for its acknowledgement.
    func react(_ suffix: String, _ next: @escaping @Sendable (Received) -> Void) {
        reactions.withLock { $0[suffix] = next }
    }

    /// Waits (bounded) until a message whose path ends in `suffix` was answered with `status`.
    /// With `count`, waits for that many such messages and returns the last.
    func waitFor(_ suffix: String, status: Int = 200, count: Int = 1, timeout: Double = 10) throws -> Received {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let found = messages.filter { $0.path.hasSuffix(suffix) && $0.status == status }
            if found.count >= count, let last = found.last { return last }
            guard changed.wait(until: deadline) else {
                throw FixtureError("the independent peer got no \(suffix) answered \(status) within \(timeout) s; got \(messages.map { "\($0.path) \($0.status)" })")
            }
        }
    }

    func registerDSPRoutes(into router: inout DSPRoutes, context: ConnectorContext) {
        let take: DSPHandler = { [self] request, body in
            let bytes = try body.readAll()
            let path = request.http.path
            let refused = refusals.withLock { table -> Bool in
                guard let suffix = table.keys.first(where: { path.hasSuffix($0) }), let left = table[suffix], left > 0 else { return false }
                table[suffix] = left - 1
                return true
            }
            let status = refused ? 503 : (path.hasSuffix("/negotiations/request") ? 201 : 200)
            let message = Received(path: path, body: bytes, status: status)
            if !refused, let next = reactions.withLock({ table in table.first(where: { path.hasSuffix($0.key) })?.value }) {
                next(message)
            }
            received.withLock { $0.append(message) }
            changed.signal()
            if refused {
                return IndependentJSON.response(#"{"code": "Busy", "@type": "ContractNegotiationError", "reason": ["try again later"], "@context": ["https://w3id.org/dspace/2025/1/context.jsonld"], "providerPid": "", "consumerPid": ""}"#, status: 503)
            }
            if path.hasSuffix("/negotiations/request") {
                let consumerPid = (try? CanonicalJSON.parsePeerJSON(bytes))?["consumerPid"]?.stringValue ?? ""
                return IndependentJSON.response(IndependentJSON.negotiation(providerPid: Self.providerPid(consumerPid), consumerPid: consumerPid,
                                                                            state: "REQUESTED"), status: 201)
            }
            return HTTPResponse(status: .ok)
        }
        router.post("/negotiations/request", take)
        for suffix in ["agreement/verification", "events", "termination", "request"] {
            router.post("/negotiations/:pid/" + suffix, take)
        }
        for suffix in ["agreement", "events", "termination", "offers"] {
            router.post(Self.callbackBase + "/negotiations/:pid/" + suffix, take)
        }
        for suffix in ["start", "completion", "suspension", "termination"] {
            router.post(Self.callbackBase + "/transfers/:pid/" + suffix, take)
        }
    }
}

/// A condition the peer's handlers signal and tests wait on, with a deadline.
final class Condition: Sendable {
    private let lock = NSCondition()
    private let generation = Mutex(0)

    func signal() {
        lock.lock()
        generation.withLock { $0 += 1 }
        lock.broadcast()
        lock.unlock()
    }

    /// Waits for the next signal; false when the deadline passed first.
    func wait(until deadline: Date) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        let start = generation.withLock { $0 }
        while generation.withLock({ $0 }) == start {
            if !lock.wait(until: deadline) { return false }
        }
        return true
    }
}

/// DSP bodies as JSON text written by hand: the keys in the order a person wrote them (not sorted), with spaces.
enum IndependentJSON {
    static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04X", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static let context = #""@context": ["https://w3id.org/dspace/2025/1/context.jsonld"]"#

    static func negotiation(providerPid: String, consumerPid: String, state: String) -> String {
        #"{"state": \#(string(state)), "providerPid": \#(string(providerPid)), "consumerPid": \#(string(consumerPid)), "@type": "ContractNegotiation", \#(context)}"#
    }

    /// An agreement object in the peer's own key order.
    static func agreement(id: String, target: String, assigner: String, assignee: String, timestamp: String) -> String {
        #"{"timestamp": \#(string(timestamp)), "assignee": \#(string(assignee)), "assigner": \#(string(assigner)), "target": \#(string(target)), "permission": [{"action": "use"}], "@type": "Agreement", "@id": \#(string(id))}"#
    }

    static func agreementMessage(providerPid: String, consumerPid: String, agreement: String, signature: String?) -> String {
        let signed = signature.map { #", "https://w3id.org/verbund/v1/signature": \#(string($0))"# } ?? ""
        return #"{"consumerPid": \#(string(consumerPid)), "agreement": \#(agreement), "providerPid": \#(string(providerPid)), "@type": "ContractAgreementMessage"\#(signed), \#(context)}"#
    }

    static func verification(providerPid: String, consumerPid: String) -> String {
        #"{"providerPid": \#(string(providerPid)), "consumerPid": \#(string(consumerPid)), "@type": "ContractAgreementVerificationMessage", \#(context)}"#
    }

    static func event(providerPid: String, consumerPid: String, eventType: String) -> String {
        #"{"eventType": \#(string(eventType)), "consumerPid": \#(string(consumerPid)), "providerPid": \#(string(providerPid)), "@type": "ContractNegotiationEventMessage", \#(context)}"#
    }

    static func request(consumerPid: String, offerId: String, target: String, callback: String) -> String {
        #"{"callbackAddress": \#(string(callback)), "offer": {"permission": [{"action": "use"}], "target": \#(string(target)), "@type": "Offer", "@id": \#(string(offerId))}, "consumerPid": \#(string(consumerPid)), "@type": "ContractRequestMessage", \#(context)}"#
    }

    static func transferRequest(consumerPid: String, agreementId: String, callback: String) -> String {
        #"{"format": "HttpData-PULL", "callbackAddress": \#(string(callback)), "agreementId": \#(string(agreementId)), "consumerPid": \#(string(consumerPid)), "@type": "TransferRequestMessage", \#(context)}"#
    }

    static func response(_ text: String, status: Int) -> HTTPResponse {
        HTTPResponse(status: status == 201 ? .created : status == 503 ? .serviceUnavailable : .ok, contentType: "application/json",
                     bytes: Array(text.utf8))
    }

    /// A compact JWS (RFC 7515 §7.1), ES256, over exactly `payload`, with the member's chain in `x5c`.
    static func sign(_ payload: String, key: PrivateKey, chain: [Certificate]) throws -> String {
        try CompactJWS.sign(payload: Array(payload.utf8), header: JWSHeader(certificateChain: chain), key: key).serialized
    }
}
