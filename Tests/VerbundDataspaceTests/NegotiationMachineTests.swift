import Foundation
import Testing
@testable import VerbundDataspace

/// The contract negotiation table of DSP 2025-1 (Contract Negotiation Protocol, State Machine), written out
/// independently of the implementation.
private let allowed: [String: NegotiationState] = [
    "nil|request|consumer": .requested,
    "nil|offer|provider": .offered,
    "REQUESTED|offer|provider": .offered,
    "REQUESTED|agreement|provider": .agreed,
    "REQUESTED|termination|consumer": .terminated,
    "REQUESTED|termination|provider": .terminated,
    "OFFERED|request|consumer": .requested,
    "OFFERED|accepted|consumer": .accepted,
    "OFFERED|termination|consumer": .terminated,
    "OFFERED|termination|provider": .terminated,
    "ACCEPTED|agreement|provider": .agreed,
    "ACCEPTED|termination|provider": .terminated,
    "AGREED|verification|consumer": .verified,
    "AGREED|termination|consumer": .terminated,
    "VERIFIED|finalized|provider": .finalized,
    "VERIFIED|termination|provider": .terminated,
]

private let pidP = "urn:uuid:provider-1"
private let pidC = "urn:uuid:consumer-1"

/// A message of `kind` in the form that fits `state` (initial forms before the negotiation exists).
func negotiationMessage(_ kind: NegotiationMessage.Kind, initial: Bool, id: String? = nil) -> NegotiationMessage {
    let offer = Offer(id: "urn:uuid:offer-1", target: "urn:uuid:dataset-1", permission: [Rule(action: "use")])
    switch kind {
    case .request:
        return .request(initial
            ? ContractRequestMessage(id: id, consumerPid: pidC, offer: offer, callbackAddress: "https://c.example/cb")
            : ContractRequestMessage(id: id, consumerPid: pidC, providerPid: pidP, offer: offer))
    case .offer:
        return .offer(initial
            ? ContractOfferMessage(id: id, providerPid: pidP, offer: offer, callbackAddress: "https://p.example/cb")
            : ContractOfferMessage(id: id, providerPid: pidP, consumerPid: pidC, offer: offer))
    case .agreement:
        return .agreement(ContractAgreementMessage(id: id, providerPid: pidP, consumerPid: pidC, agreement: Agreement(
            id: "urn:uuid:agreement-1", target: "urn:uuid:dataset-1", assigner: "urn:p", assignee: "urn:c",
            timestamp: Date(timeIntervalSince1970: 1_800_000_000), permission: [Rule(action: "use")])))
    case .verification:
        return .verification(ContractAgreementVerificationMessage(id: id, providerPid: pidP, consumerPid: pidC))
    case .accepted:
        return .event(ContractNegotiationEventMessage(id: id, providerPid: pidP, consumerPid: pidC, eventType: .accepted))
    case .finalized:
        return .event(ContractNegotiationEventMessage(id: id, providerPid: pidP, consumerPid: pidC, eventType: .finalized))
    case .termination:
        return .termination(ContractNegotiationTerminationMessage(
            id: id, providerPid: pidP, consumerPid: pidC, code: "1", reason: ["ended"]))
    }
}

private func machine(role: DSPRole, state: NegotiationState?) -> ContractNegotiationMachine {
    state == nil
        ? ContractNegotiationMachine(role: role, localPid: role == .provider ? pidP : pidC)
        : ContractNegotiationMachine(role: role, state: state, providerPid: pidP, consumerPid: pidC)
}

struct NegotiationCase: Sendable, CustomTestStringConvertible {
    let role: DSPRole
    let state: NegotiationState?
    let kind: NegotiationMessage.Kind
    let sender: DSPRole
    var key: String { "\(state?.rawValue ?? "nil")|\(kindName)|\(sender.rawValue)" }
    var kindName: String {
        switch kind {
        case .request: "request"
        case .offer: "offer"
        case .agreement: "agreement"
        case .verification: "verification"
        case .accepted: "accepted"
        case .finalized: "finalized"
        case .termination: "termination"
        }
    }
    var testDescription: String { "\(role.rawValue) side: \(key)" }

    static let all: [NegotiationCase] = DSPRole.allCases.flatMap { role in
        ([nil] + NegotiationState.allCases.map(Optional.some)).flatMap { state in
            NegotiationMessage.Kind.allCases.flatMap { kind in
                DSPRole.allCases.map { NegotiationCase(role: role, state: state, kind: kind, sender: $0) }
            }
        }
    }
}

@Suite("Contract negotiation state machine")
struct NegotiationMachineTests {
    @Test("the cross product covers both roles × 8 states × 7 messages × 2 senders")
    func coverage() {
        #expect(NegotiationCase.all.count == 2 * 8 * 7 * 2)
        #expect(NegotiationCase.all.filter { allowed[$0.key] != nil }.count == 2 * allowed.count)
    }

    @Test("every transition is allowed or refused as in the DSP table", arguments: NegotiationCase.all)
    func transition(_ testCase: NegotiationCase) throws {
        var negotiation = machine(role: testCase.role, state: testCase.state)
        let before = negotiation
        let message = negotiationMessage(testCase.kind, initial: testCase.state == nil)
        let result = negotiation.apply(message, from: testCase.sender)

        if let expected = allowed[testCase.key] {
            let step = try result.get()
            #expect(step.state == expected)
            #expect(step.previous == testCase.state)
            #expect(!step.isDuplicate)
            #expect(negotiation.state == expected)
            if testCase.sender == testCase.role {
                #expect(step.outgoing == [message.dspMessage], "our own message goes to the outbox")
            } else {
                #expect(step.outgoing == [.contractNegotiation(ContractNegotiation(
                    providerPid: pidP, consumerPid: pidC, state: expected))], "a received message is acknowledged")
            }
        } else {
            guard case .failure(let error) = result else {
                Issue.record("\(testCase.key) must be refused")
                return
            }
            #expect(negotiation == before, "a refused message leaves the state unchanged")
            #expect(error.state == testCase.state?.rawValue)
            #expect(error.sender == testCase.sender)
            if testCase.state?.isTerminal == true {
                #expect([.terminalState, .senderNotAllowed].contains(error.reason))
            }
            let reply = negotiation.errorReply(error, to: message)
            #expect(reply.code == "400")
            #expect(reply.reason == [error.description])
        }
    }

    @Test("terminal states refuse everything, even a termination")
    func terminal() throws {
        for state in [NegotiationState.finalized, .terminated] {
            for sender in DSPRole.allCases {
                var negotiation = machine(role: .provider, state: state)
                let error = try #require(negotiation.apply(negotiationMessage(.termination, initial: false), from: sender)
                    .failureValue)
                #expect(error.reason == .terminalState)
                #expect(negotiation.state == state)
            }
        }
    }

    @Test("a consumer must not send FINALIZED and a provider must not send ACCEPTED")
    func forbiddenSenders() throws {
        var provider = machine(role: .provider, state: .verified)
        let finalizedByConsumer = try #require(provider.apply(negotiationMessage(.finalized, initial: false),
                                                              from: .consumer).failureValue)
        #expect(finalizedByConsumer.reason == .senderNotAllowed)
        #expect(finalizedByConsumer.description.contains("may not be sent by the consumer"))
        var consumer = machine(role: .consumer, state: .offered)
        let acceptedByProvider = try #require(consumer.apply(negotiationMessage(.accepted, initial: false),
                                                             from: .provider).failureValue)
        #expect(acceptedByProvider.reason == .senderNotAllowed)
    }

    @Test("the happy path as provider (TCK CN:01-03)")
    func providerFlow() throws {
        var negotiation = ContractNegotiationMachine(role: .provider, localPid: pidP)
        let request = negotiationMessage(.request, initial: true)
        let first = try negotiation.apply(request, from: .consumer).get()
        #expect(first.outgoing == [.contractNegotiation(ContractNegotiation(
            providerPid: pidP, consumerPid: pidC, state: .requested))])
        #expect(try negotiation.apply(negotiationMessage(.offer, initial: false), from: .provider).get().state == .offered)
        #expect(try negotiation.apply(negotiationMessage(.accepted, initial: false), from: .consumer).get().state == .accepted)
        #expect(try negotiation.apply(negotiationMessage(.agreement, initial: false), from: .provider).get().state == .agreed)
        #expect(try negotiation.apply(negotiationMessage(.verification, initial: false), from: .consumer).get().state == .verified)
        let final = try negotiation.apply(negotiationMessage(.finalized, initial: false), from: .provider).get()
        #expect(final.state == .finalized)
        #expect(negotiation.negotiation?.state == .finalized)
        // TCK CN:03-01: a termination after FINALIZED is refused.
        #expect(negotiation.apply(negotiationMessage(.termination, initial: false), from: .consumer).failureValue != nil)
    }

    @Test("the consumer learns the provider pid from the acknowledgement")
    func consumerLearnsPid() throws {
        var negotiation = ContractNegotiationMachine(role: .consumer, localPid: pidC)
        let step = try negotiation.apply(negotiationMessage(.request, initial: true), from: .consumer).get()
        #expect(step.outgoing.count == 1)
        #expect(negotiation.providerPid == nil)
        #expect(negotiation.negotiation == nil)
        try negotiation.acknowledge(ContractNegotiation(providerPid: pidP, consumerPid: pidC, state: .requested)).get()
        #expect(negotiation.providerPid == pidP)
        let foreign = negotiation.acknowledge(ContractNegotiation(providerPid: "urn:other", consumerPid: pidC,
                                                                  state: .requested))
        #expect(foreign.failureValue?.reason == .processMismatch(field: "providerPid", expected: pidP, received: "urn:other"))
    }

    @Test("a replay of the message that caused the state is a duplicate, not an error")
    func duplicates() throws {
        var negotiation = machine(role: .provider, state: .offered)
        let accepted = negotiationMessage(.accepted, initial: false, id: "urn:uuid:msg-1")
        _ = try negotiation.apply(accepted, from: .consumer).get()
        let replay = try negotiation.apply(accepted, from: .consumer).get()
        #expect(replay.isDuplicate)
        #expect(replay.state == .accepted)
        #expect(replay.outgoing == [.contractNegotiation(ContractNegotiation(
            providerPid: pidP, consumerPid: pidC, state: .accepted))])
        // The same kind of message with another @id is a new message, and not allowed in ACCEPTED.
        let other = negotiationMessage(.accepted, initial: false, id: "urn:uuid:msg-2")
        #expect(negotiation.apply(other, from: .consumer).failureValue?.reason == .notAllowedInState)

        // Our own resent message is a duplicate too, with nothing new to send.
        _ = try negotiation.apply(negotiationMessage(.agreement, initial: false), from: .provider).get()
        let resend = try negotiation.apply(negotiationMessage(.agreement, initial: false), from: .provider).get()
        #expect(resend.isDuplicate && resend.outgoing.isEmpty && resend.state == .agreed)

        // A terminal state still recognises its own cause.
        var ended = machine(role: .consumer, state: .requested)
        let termination = negotiationMessage(.termination, initial: false)
        _ = try ended.apply(termination, from: .provider).get()
        #expect(try ended.apply(termination, from: .provider).get().isDuplicate)
        #expect(ended.apply(termination, from: .consumer).failureValue?.reason == .terminalState)
    }

    @Test("a stored and restored machine still recognises the replay of its last message")
    func storedMachine() throws {
        var negotiation = ContractNegotiationMachine(role: .consumer, localPid: pidC)
        _ = try negotiation.apply(negotiationMessage(.request, initial: true), from: .consumer).get()
        let agreement = negotiationMessage(.agreement, initial: false, id: "urn:uuid:agr")
        _ = try negotiation.apply(agreement, from: .provider).get()
        let restored = try DSPJSON.decode(ContractNegotiationMachine.self, from: try DSPJSON.encode(negotiation))
        #expect(restored == negotiation)
        var copy = restored
        #expect(try copy.apply(agreement, from: .provider).get().isDuplicate)
        #expect(throws: DSPMessageError.self) {
            try DSPJSON.decode(NegotiationMessage.self, from: try DSPMessage.transferCompletion(
                TransferCompletionMessage(providerPid: pidP, consumerPid: pidC)).encoded())
        }
    }

    @Test("TCK CN:03-04: a second counter-request in REQUESTED is refused")
    func secondCounterRequest() throws {
        var negotiation = machine(role: .provider, state: .offered)
        _ = try negotiation.apply(negotiationMessage(.request, initial: false, id: "urn:uuid:1"), from: .consumer).get()
        let second = negotiation.apply(negotiationMessage(.request, initial: false, id: "urn:uuid:2"), from: .consumer)
        #expect(second.failureValue?.reason == .notAllowedInState)
        #expect(negotiation.state == .requested)
    }

    @Test("messages of another process or of the wrong form are refused")
    func foreignAndMalformed() throws {
        var negotiation = machine(role: .provider, state: .offered)
        let foreign = NegotiationMessage.event(ContractNegotiationEventMessage(
            providerPid: "urn:uuid:other", consumerPid: pidC, eventType: .accepted))
        #expect(negotiation.apply(foreign, from: .consumer).failureValue?.reason
            == .processMismatch(field: "providerPid", expected: pidP, received: "urn:uuid:other"))
        let otherConsumer = NegotiationMessage.event(ContractNegotiationEventMessage(
            providerPid: pidP, consumerPid: "urn:uuid:other", eventType: .accepted))
        #expect(negotiation.apply(otherConsumer, from: .consumer).failureValue?.reason
            == .processMismatch(field: "consumerPid", expected: pidC, received: "urn:uuid:other"))

        // An initial request cannot serve as a counter-request.
        let initialAgain = negotiationMessage(.request, initial: true)
        guard case .malformed = negotiation.apply(initialAgain, from: .consumer).failureValue?.reason else {
            Issue.record("an initial request in OFFERED must be malformed")
            return
        }
        // A counter-request cannot start a negotiation, nor can an initial request without callback.
        var fresh = machine(role: .provider, state: nil)
        guard case .malformed = fresh.apply(negotiationMessage(.request, initial: false), from: .consumer)
            .failureValue?.reason else {
            Issue.record("a counter-request cannot start a negotiation")
            return
        }
        let noCallback = NegotiationMessage.request(ContractRequestMessage(
            consumerPid: pidC, offer: Offer(id: "urn:o", target: "urn:d", permission: [Rule(action: "use")])))
        guard case .malformed = fresh.apply(noCallback, from: .consumer).failureValue?.reason else {
            Issue.record("an initial request needs a callbackAddress")
            return
        }
        #expect(fresh.state == nil)

        // The schemas' oneOf: a counter-request or running offer carries no callbackAddress; offers name a target.
        var offered = machine(role: .provider, state: .offered)
        let both = NegotiationMessage.request(ContractRequestMessage(
            consumerPid: pidC, providerPid: pidP, offer: Offer(id: "urn:o", target: "urn:d", permission: [Rule(action: "use")]),
            callbackAddress: "https://c.example/cb"))
        guard case .malformed(let why) = offered.apply(both, from: .consumer).failureValue?.reason else {
            Issue.record("a counter-request with a callbackAddress must be malformed")
            return
        }
        #expect(why.contains("callbackAddress"))
        var requested = machine(role: .consumer, state: .requested)
        let untargeted = NegotiationMessage.offer(ContractOfferMessage(
            providerPid: pidP, consumerPid: pidC, offer: Offer(id: "urn:o", permission: [Rule(action: "use")])))
        guard case .malformed(let noTarget) = requested.apply(untargeted, from: .provider).failureValue?.reason else {
            Issue.record("an offer without target must be malformed")
            return
        }
        #expect(noTarget.contains("target"))
        #expect(offered.state == .offered && requested.state == .requested)
    }
}

extension Result {
    var failureValue: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
