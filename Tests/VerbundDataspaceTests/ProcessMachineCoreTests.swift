import Foundation
import Testing
@testable import VerbundDataspace

/// The rules both machines take from the shared transition core, checked on each machine.
@Suite("Process machine core")
struct ProcessMachineCoreTests {
    @Test("an acknowledgement naming another local pid is refused and changes nothing")
    func foreignAcknowledgement() throws {
        var negotiation = ContractNegotiationMachine(role: .consumer, localPid: Samples.consumerPid)
        let before = negotiation
        let refused = try #require(negotiation.acknowledge(ContractNegotiation(
            providerPid: Samples.providerPid, consumerPid: "urn:uuid:other", state: .requested)).failureValue)
        #expect(refused.reason == .processMismatch(field: "consumerPid", expected: Samples.consumerPid,
                                                   received: "urn:uuid:other"))
        #expect(refused.message == ContractNegotiation.type)
        #expect(refused.sender == .provider)
        #expect(negotiation == before)

        var transfer = TransferProcessMachine(role: .provider, localPid: Samples.providerPid)
        let unchanged = transfer
        let transferRefused = try #require(transfer.acknowledge(TransferProcess(
            providerPid: "urn:uuid:other", consumerPid: Samples.consumerPid, state: .requested)).failureValue)
        #expect(transferRefused.reason == .processMismatch(field: "providerPid", expected: Samples.providerPid,
                                                           received: "urn:uuid:other"))
        #expect(transferRefused.message == TransferProcess.type)
        #expect(transferRefused.sender == .consumer)
        #expect(transfer == unchanged)
    }

    @Test("a matching acknowledgement fills in the peer's pid and the current acknowledgement appears")
    func matchingAcknowledgement() throws {
        var transfer = TransferProcessMachine(role: .consumer, localPid: Samples.consumerPid)
        _ = try transfer.apply(.request(TransferRequestMessage(
            consumerPid: Samples.consumerPid, agreementId: "a1", format: "HttpData-PULL",
            callbackAddress: Samples.callback)), from: .consumer).get()
        #expect(transfer.process == nil)
        #expect(transfer.acknowledge(TransferProcess(
            providerPid: Samples.providerPid, consumerPid: Samples.consumerPid, state: .requested)).failureValue == nil)
        #expect(transfer.process == TransferProcess(
            providerPid: Samples.providerPid, consumerPid: Samples.consumerPid, state: .requested))
    }

    @Test("an error reply takes the ids this process lacks from the refused message")
    func errorReplyIds() throws {
        let negotiation = ContractNegotiationMachine(role: .provider, localPid: Samples.providerPid)
        let early = NegotiationMessage.event(ContractNegotiationEventMessage(
            providerPid: Samples.providerPid, consumerPid: Samples.consumerPid, eventType: .accepted))
        var copy = negotiation
        let error = try #require(copy.apply(early, from: .consumer).failureValue)
        #expect(error.reason == .notAllowedInState)
        let reply = negotiation.errorReply(error, to: early)
        #expect(reply == ContractNegotiationError(providerPid: Samples.providerPid, consumerPid: Samples.consumerPid,
                                                  code: "400", reason: [error.description]))

        var transfer = TransferProcessMachine(role: .provider, localPid: Samples.providerPid)
        let completion = TransferMessage.completion(TransferCompletionMessage(
            providerPid: Samples.providerPid, consumerPid: Samples.consumerPid))
        let transferError = try #require(transfer.apply(completion, from: .consumer).failureValue)
        #expect(transfer.errorReply(transferError, to: completion) == TransferError(
            providerPid: Samples.providerPid, consumerPid: Samples.consumerPid, code: "400",
            reason: [transferError.description]))
    }

    @Test("a stored process message of the other process is refused with the process named")
    func storedMessageOfOtherProcess() throws {
        let transferBytes = try DSPMessage.transferCompletion(TransferCompletionMessage(
            providerPid: Samples.providerPid, consumerPid: Samples.consumerPid)).encoded()
        #expect(throws: DSPMessageError.invalidValue(
            field: "@type", reason: "TransferCompletionMessage is not a negotiation message")) {
            try DSPJSON.decode(NegotiationMessage.self, from: transferBytes)
        }
        let negotiationBytes = try DSPMessage.contractNegotiationEvent(ContractNegotiationEventMessage(
            providerPid: Samples.providerPid, consumerPid: Samples.consumerPid, eventType: .accepted)).encoded()
        #expect(throws: DSPMessageError.invalidValue(
            field: "@type", reason: "ContractNegotiationEventMessage is not a transfer message")) {
            try DSPJSON.decode(TransferMessage.self, from: negotiationBytes)
        }
        let completion = try DSPJSON.decode(TransferMessage.self, from: transferBytes)
        #expect(try DSPJSON.encode(completion) == transferBytes)
    }
}
