import Foundation
import Testing
import VerbundTestSupport
@testable import VerbundConnector

/// The outbox schedule as a value: events in, actions out, no clock and no thread.
@Suite(.offCooperativePool) struct OutboxScheduleTests {
    private let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    private let limits = OutboxSchedule.Limits(parallel: 8, perPeer: 2, batchSize: 32, maximumIdle: 2, hold: 2, deliveryDeadline: 30)

    private func message(_ id: String, peer: String = "https://b/", process: String? = nil) -> OutboxSchedule.Message {
        OutboxSchedule.Message(id: id, lane: peer + "\n" + (process ?? id), peer: peer)
    }

    private func delivered(_ actions: [OutboxSchedule.Action]) -> [String] {
        actions.compactMap { if case let .deliver(message, _) = $0 { return message.id } else { return nil } }
    }

    @Test func aSlowPeerGetsAtMostItsPerPeerSlotsAndOthersStillGo() {
        var schedule = OutboxSchedule(limits: limits)
        let slow = (1...10).map { message("s\($0)", peer: "https://slow/") }
        let normal = [message("n1", peer: "https://b/")]
        let actions = schedule.due(slow + normal, readLimit: 32, nextAttempt: nil, now: t0)
        #expect(delivered(actions) == ["s1", "s2", "n1"])
        #expect(schedule.load(of: "https://slow/") == 2)
        // The next read leaves the full peer out, so its backlog cannot crowd others out of the batch.
        #expect(schedule.nextRead == OutboxSchedule.Read(limit: 35, skippingPeers: ["https://slow/"]))
        // One slow delivery ends: exactly one more of that peer may go.
        #expect(schedule.finished(id: "s1") == true)
        #expect(schedule.nextRead?.skippingPeers.isEmpty == true)
        #expect(delivered(schedule.due(Array(slow.dropFirst()), readLimit: 32, nextAttempt: nil, now: t0)) == ["s3"])
    }

    @Test func aLaneDeliversOneMessageAtATimeInOrder() {
        var schedule = OutboxSchedule(limits: limits)
        let process = [message("p1", process: "neg-1"), message("p2", process: "neg-1"), message("q1", process: "neg-2")]
        #expect(delivered(schedule.due(process, readLimit: 32, nextAttempt: nil, now: t0)) == ["p1", "q1"])
        #expect(delivered(schedule.due(process, readLimit: 32, nextAttempt: nil, now: t0)).isEmpty)  // p1 and q1 in flight
        schedule.finished(id: "p1")
        #expect(delivered(schedule.due(Array(process.dropFirst()), readLimit: 32, nextAttempt: nil, now: t0)) == ["p2"])
    }

    @Test func theTotalParallelLimitHoldsAndAFullScheduleReadsNothing() {
        var schedule = OutboxSchedule(limits: OutboxSchedule.Limits(parallel: 3, perPeer: 2, batchSize: 32, maximumIdle: 2, hold: 2,
                                                                    deliveryDeadline: 30))
        let messages = (1...6).map { message("m\($0)", peer: "https://p\($0)/") }
        #expect(delivered(schedule.due(messages, readLimit: 32, nextAttempt: nil, now: t0)) == ["m1", "m2", "m3"])
        #expect(schedule.nextRead == nil)
        schedule.finished(id: "m2")
        #expect(schedule.nextRead?.limit == 34)
    }

    @Test func eachDeliveryCarriesItsTotalDeadline() {
        var schedule = OutboxSchedule(limits: limits)
        let actions = schedule.due([message("m")], readLimit: 32, nextAttempt: nil, now: t0)
        #expect(actions.first == .deliver(message("m"), deadline: t0.addingTimeInterval(30)))
    }

    @Test func itSleepsUntilTheNextAttemptTheEndOfAHoldOrTheIdleLimit() {
        var schedule = OutboxSchedule(limits: limits)
        #expect(schedule.due([], readLimit: 32, nextAttempt: nil, now: t0) == [.sleep(until: t0.addingTimeInterval(2))])
        #expect(schedule.due([], readLimit: 32, nextAttempt: t0.addingTimeInterval(0.5), now: t0)
            == [.sleep(until: t0.addingTimeInterval(0.5))])
        // A next attempt in the past means "now", not a negative sleep.
        #expect(schedule.due([], readLimit: 32, nextAttempt: t0.addingTimeInterval(-1), now: t0) == [.sleep(until: t0)])
        #expect(schedule.failureNotRecorded(id: "h", now: t0.addingTimeInterval(-1.5)) == .hold(id: "h", until: t0.addingTimeInterval(0.5)))
        #expect(schedule.due([], readLimit: 32, nextAttempt: nil, now: t0) == [.sleep(until: t0.addingTimeInterval(0.5))])
    }

    @Test func aHeldMessageWaitsUntilItsHoldEnds() {
        var schedule = OutboxSchedule(limits: limits)
        _ = schedule.due([message("h")], readLimit: 32, nextAttempt: nil, now: t0)
        schedule.finished(id: "h")
        _ = schedule.failureNotRecorded(id: "h", now: t0)
        #expect(delivered(schedule.due([message("h")], readLimit: 32, nextAttempt: nil, now: t0.addingTimeInterval(1))).isEmpty)
        #expect(delivered(schedule.due([message("h")], readLimit: 32, nextAttempt: nil, now: t0.addingTimeInterval(2))) == ["h"])
    }

    @Test func aFullBatchThatStartedDeliveriesReadsAgainAtOnce() {
        var schedule = OutboxSchedule(limits: OutboxSchedule.Limits(parallel: 8, perPeer: 2, batchSize: 2, maximumIdle: 2, hold: 2,
                                                                    deliveryDeadline: 30))
        let actions = schedule.due([message("a", peer: "https://a/"), message("b", peer: "https://b/")], readLimit: 2,
                                   nextAttempt: nil, now: t0)
        #expect(actions.last == .readAgain)
        // A full batch in which nothing could start waits for a finishing delivery instead of spinning.
        let blocked = schedule.due([message("a", peer: "https://a/"), message("b", peer: "https://b/")], readLimit: 2,
                                   nextAttempt: nil, now: t0)
        #expect(blocked == [.sleep(until: t0.addingTimeInterval(2))])
    }

    @Test func afterStopNothingStartsAndRestartResumes() {
        var schedule = OutboxSchedule(limits: limits)
        _ = schedule.due([message("a")], readLimit: 32, nextAttempt: nil, now: t0)
        #expect(schedule.stop() == true)  // one delivery still in flight
        #expect(schedule.nextRead == nil)
        #expect(delivered(schedule.due([message("b", peer: "https://c/")], readLimit: 32, nextAttempt: nil, now: t0)).isEmpty)
        #expect(schedule.finished(id: "a") == false)  // no read after the last delivery of a stopping dispatcher
        #expect(schedule.stop() == false)
        schedule.restart()
        #expect(delivered(schedule.due([message("b", peer: "https://c/")], readLimit: 32, nextAttempt: nil, now: t0)) == ["b"])
    }

    @Test func finishingAnUnknownDeliveryChangesNothing() {
        var schedule = OutboxSchedule(limits: limits)
        #expect(schedule.finished(id: "never") == false)
        #expect(schedule.inFlight.isEmpty)
    }
}
