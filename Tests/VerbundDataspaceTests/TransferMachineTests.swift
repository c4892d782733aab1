import Foundation
import Testing
@testable import VerbundDataspace

/// The transfer process table of DSP 2025-1 (Transfer Process Protocol, State Machine), written out independently of
/// the implementation. The cross product runs SUSPENDED machines suspended by the provider, so only the provider may
/// restart them (see `onlyTheSuspenderResumes`).
private let allowed: [String: TransferState] = [
    "nil|request|consumer": .requested,
    "REQUESTED|start|provider": .started,
    "REQUESTED|termination|consumer": .terminated,
    "REQUESTED|termination|provider": .terminated,
    "STARTED|completion|consumer": .completed,
    "STARTED|completion|provider": .completed,
    "STARTED|suspension|consumer": .suspended,
    "STARTED|suspension|provider": .suspended,
    "STARTED|termination|consumer": .terminated,
    "STARTED|termination|provider": .terminated,
    "SUSPENDED|start|provider": .started,
    "SUSPENDED|termination|consumer": .terminated,
    "SUSPENDED|termination|provider": .terminated,
]

private let pidP = "urn:uuid:tp-provider"
private let pidC = "urn:uuid:tp-consumer"

private func transferMessage(_ kind: TransferMessage.Kind, id: String? = nil) -> TransferMessage {
    switch kind {
    case .request:
        return .request(TransferRequestMessage(id: id, consumerPid: pidC, agreementId: "urn:uuid:agreement-1",
                                               format: "HttpData-PULL", callbackAddress: "https://c.example/cb"))
    case .start:
        return .start(TransferStartMessage(id: id, providerPid: pidP, consumerPid: pidC, dataAddress: DataAddress(
            endpointType: "https://w3id.org/idsa/v4.1/HTTP", endpoint: "https://p.example/data/1",
            endpointProperties: [EndpointProperty(name: "authorization", value: "token")])))
    case .completion:
        return .completion(TransferCompletionMessage(id: id, providerPid: pidP, consumerPid: pidC))
    case .suspension:
        return .suspension(TransferSuspensionMessage(id: id, providerPid: pidP, consumerPid: pidC, reason: ["pause"]))
    case .termination:
        return .termination(TransferTerminationMessage(id: id, providerPid: pidP, consumerPid: pidC, code: "1"))
    }
}

private func machine(role: DSPRole, state: TransferState?) -> TransferProcessMachine {
    state == nil
        ? TransferProcessMachine(role: role, localPid: role == .provider ? pidP : pidC)
        : TransferProcessMachine(role: role, state: state, providerPid: pidP, consumerPid: pidC,
                                 suspendedBy: state == .suspended ? .provider : nil)
}

struct TransferCase: Sendable, CustomTestStringConvertible {
    let role: DSPRole
    let state: TransferState?
    let kind: TransferMessage.Kind
    let sender: DSPRole
    var kindName: String { String(kind.rawValue.dropFirst("Transfer".count).dropLast("Message".count)).lowercased() }
    var key: String { "\(state?.rawValue ?? "nil")|\(kindName)|\(sender.rawValue)" }
    var testDescription: String { "\(role.rawValue) side: \(key)" }

    static let all: [TransferCase] = DSPRole.allCases.flatMap { role in
        ([nil] + TransferState.allCases.map(Optional.some)).flatMap { state in
            TransferMessage.Kind.allCases.flatMap { kind in
                DSPRole.allCases.map { TransferCase(role: role, state: state, kind: kind, sender: $0) }
            }
        }
    }
}

@Suite("Transfer process state machine")
struct TransferMachineTests {
    @Test("the cross product covers both roles × 6 states × 5 messages × 2 senders")
    func coverage() {
        #expect(TransferCase.all.count == 2 * 6 * 5 * 2)
        #expect(TransferCase.all.filter { allowed[$0.key] != nil }.count == 2 * allowed.count)
    }

    @Test("every transition is allowed or refused as in the DSP table", arguments: TransferCase.all)
    func transition(_ testCase: TransferCase) throws {
        var transfer = machine(role: testCase.role, state: testCase.state)
        let before = transfer
        let message = transferMessage(testCase.kind)
        let result = transfer.apply(message, from: testCase.sender)

        if let expected = allowed[testCase.key] {
            let step = try result.get()
            #expect(step.state == expected)
            #expect(step.previous == testCase.state)
            #expect(transfer.state == expected)
            if testCase.sender == testCase.role {
                #expect(step.outgoing == [message.dspMessage])
            } else if testCase.state == nil {
                // The provider answers the request with its own pid.
                #expect(step.outgoing == [.transferProcess(TransferProcess(
                    providerPid: pidP, consumerPid: pidC, state: .requested))])
            } else {
                #expect(step.outgoing == [.transferProcess(TransferProcess(
                    providerPid: pidP, consumerPid: pidC, state: expected))])
            }
        } else {
            guard case .failure(let error) = result else {
                Issue.record("\(testCase.key) must be refused")
                return
            }
            #expect(transfer == before, "a refused message leaves the state unchanged")
            #expect(error.state == testCase.state?.rawValue)
            let reply = transfer.errorReply(error, to: message)
            #expect(reply.code == "400" && reply.consumerPid == pidC)
        }
    }

    @Test("named rules: only the provider starts a requested transfer; no completion from SUSPENDED")
    func namedRules() throws {
        var requested = machine(role: .provider, state: .requested)
        #expect(requested.apply(transferMessage(.start), from: .consumer).failureValue?.reason == .notAllowedInState)
        var suspended = machine(role: .consumer, state: .suspended)
        #expect(suspended.apply(transferMessage(.completion), from: .provider).failureValue?.reason == .notAllowedInState)
        var fresh = machine(role: .consumer, state: nil)
        #expect(fresh.apply(transferMessage(.request), from: .provider).failureValue?.reason == .senderNotAllowed)
        for state in [TransferState.completed, .terminated] {
            var ended = machine(role: .provider, state: state)
            #expect(ended.apply(transferMessage(.termination), from: .consumer).failureValue?.reason == .terminalState)
        }
    }

    @Test("only the side that suspended a transfer may restart it; the holder is part of the value")
    func onlyTheSuspenderResumes() throws {
        for (suspender, other) in [(DSPRole.provider, DSPRole.consumer), (.consumer, .provider)] {
            for role in DSPRole.allCases {
                var transfer = machine(role: role, state: .started)
                #expect(transfer.suspendedBy == nil)
                _ = try transfer.apply(transferMessage(.suspension), from: suspender).get()
                #expect(transfer.state == .suspended && transfer.suspendedBy == suspender)
                let before = transfer
                let refused = transfer.apply(transferMessage(.start, id: "urn:restart"), from: other)
                #expect(refused.failureValue?.description.contains("only the side that suspended it") == true)
                #expect(transfer == before, "a refused restart changes nothing")
                // Either side may still end it.
                var ended = transfer
                #expect(try ended.apply(transferMessage(.termination), from: other).get().state == .terminated)
                #expect(try transfer.apply(transferMessage(.start, id: "urn:restart"), from: suspender).get().state == .started)
                #expect(transfer.suspendedBy == nil)
                // Stored and read back, the holder survives.
                _ = try transfer.apply(transferMessage(.suspension), from: suspender).get()
                let restored = try DSPJSON.decode(TransferProcessMachine.self, from: try DSPJSON.encode(transfer))
                #expect(restored.suspendedBy == suspender && restored == transfer)
            }
        }
        // A machine stored before the holder was recorded names it by its last message.
        let legacy = TransferProcessMachine(role: .provider, state: .suspended, providerPid: pidP, consumerPid: pidC,
                                            lastMessage: transferMessage(.suspension), lastSender: .provider)
        var fromConsumer = legacy
        #expect(fromConsumer.apply(transferMessage(.start), from: .consumer).failureValue != nil)
        var fromProvider = legacy
        #expect(try fromProvider.apply(transferMessage(.start), from: .provider).get().state == .started)
    }

    @Test("TCK TP:01-04 as provider: start, suspend, start, complete")
    func providerFlow() throws {
        var transfer = TransferProcessMachine(role: .provider, localPid: pidP)
        let ack = try transfer.apply(transferMessage(.request), from: .consumer).get()
        #expect(ack.outgoing == [.transferProcess(TransferProcess(providerPid: pidP, consumerPid: pidC, state: .requested))])
        #expect(try transfer.apply(transferMessage(.start, id: "urn:1"), from: .provider).get().state == .started)
        #expect(try transfer.apply(transferMessage(.suspension), from: .provider).get().state == .suspended)
        #expect(try transfer.apply(transferMessage(.start, id: "urn:2"), from: .provider).get().state == .started)
        #expect(try transfer.apply(transferMessage(.completion), from: .provider).get().state == .completed)
        #expect(transfer.process?.state == .completed)
    }

    @Test("replays are duplicates; pids of other processes are refused")
    func duplicatesAndForeign() throws {
        var transfer = machine(role: .consumer, state: .requested)
        let start = transferMessage(.start, id: "urn:uuid:start-1")
        _ = try transfer.apply(start, from: .provider).get()
        let replay = try transfer.apply(start, from: .provider).get()
        #expect(replay.isDuplicate && replay.state == .started)
        #expect(transfer.apply(transferMessage(.start, id: "urn:uuid:start-2"), from: .provider)
            .failureValue?.reason == .notAllowedInState)

        let foreign = TransferMessage.completion(TransferCompletionMessage(providerPid: pidP, consumerPid: "urn:x"))
        #expect(transfer.apply(foreign, from: .provider).failureValue?.reason
            == .processMismatch(field: "consumerPid", expected: pidC, received: "urn:x"))
        #expect(transfer.state == .started)

        var requester = TransferProcessMachine(role: .consumer, localPid: pidC)
        _ = try requester.apply(transferMessage(.request), from: .consumer).get()
        try requester.acknowledge(TransferProcess(providerPid: pidP, consumerPid: pidC, state: .requested)).get()
        #expect(requester.providerPid == pidP)
        #expect(requester.acknowledge(TransferProcess(providerPid: pidP, consumerPid: "urn:x", state: .requested))
            .failureValue != nil)
    }

    @Test("a stored and restored transfer machine keeps its state and last message")
    func storedMachine() throws {
        var transfer = machine(role: .provider, state: nil)
        _ = try transfer.apply(transferMessage(.request), from: .consumer).get()
        _ = try transfer.apply(transferMessage(.start), from: .provider).get()
        let restored = try DSPJSON.decode(TransferProcessMachine.self, from: try DSPJSON.encode(transfer))
        #expect(restored == transfer)
        #expect(restored.lastMessage == transferMessage(.start) && restored.lastSender == .provider)
    }

    @Test("transfer messages convert to and from DSPMessage")
    func conversion() {
        for kind in TransferMessage.Kind.allCases {
            let message = transferMessage(kind)
            #expect(TransferMessage(message.dspMessage) == message)
        }
        #expect(TransferMessage(.catalogRequest(CatalogRequestMessage())) == nil)
        #expect(NegotiationMessage(.transferProcess(TransferProcess(providerPid: "p", consumerPid: "c", state: .started))) == nil)
    }
}
