import Testing
import VerbundTestSupport
@testable import VerbundConnector

/// The pure scheduling of registry/CRL fetches from peers: which fetch starts, what waits, what is skipped.
@Suite(.offCooperativePool) struct FederationFetchScheduleTests {
    typealias Schedule = FederationFetchSchedule
    let held = Schedule.Held(registrySerial: 5, crlNumber: 2)
    let t0 = ContinuousClock.now

    @Test func aHigherSerialStartsOneFetchAndOldNewsStartsNone() {
        var schedule = Schedule()
        #expect(schedule.announced(member: "c", .registry, 5, held: held, now: t0).isEmpty)
        #expect(schedule.announced(member: "c", .crl, 1, held: held, now: t0).isEmpty)
        let actions = schedule.announced(member: "c", .registry, 6, held: held, now: t0)
        #expect(actions == [.start(.init(member: "c", material: .registry, number: 6))])
        #expect(schedule.inFlight == 1)
    }

    @Test func onePeerHasAtMostOneFetchInFlightAndLaterNumbersAreCoalesced() {
        var schedule = Schedule()
        let first = Schedule.Fetch(member: "c", material: .registry, number: 6)
        #expect(schedule.announced(member: "c", .registry, 6, held: held, now: t0) == [.start(first)])
        for serial in UInt64(7)...50 {
            #expect(schedule.announced(member: "c", .registry, serial, held: held, now: t0).isEmpty)
        }
        #expect(schedule.announced(member: "c", .crl, 3, held: held, now: t0).isEmpty)
        #expect(schedule.running == [first])
        #expect(schedule.waiting("c") == [.registry: 50, .crl: 3])
        // When it ends the CRL goes first (a revocation travels in it), then the newest registry.
        #expect(schedule.finished(first, held: held, now: t0) == [.start(.init(member: "c", material: .crl, number: 3))])
    }

    @Test func theSameNumberIsNotFetchedTwiceFromOnePeer() {
        var schedule = Schedule()
        let fetch = Schedule.Fetch(member: "c", material: .registry, number: 6)
        _ = schedule.announced(member: "c", .registry, 6, held: held, now: t0)
        _ = schedule.finished(fetch, held: held, now: t0 + .seconds(1))
        #expect(schedule.announced(member: "c", .registry, 6, held: held, now: t0 + .seconds(60)).isEmpty)
        // Another peer announcing the same number is asked (it may serve the genuine registry).
        #expect(schedule.announced(member: "d", .registry, 6, held: held, now: t0 + .seconds(60))
            == [.start(.init(member: "d", material: .registry, number: 6))])
    }

    @Test func announcementsBeyondThePeersBurstWaitForItsRefill() {
        var schedule = Schedule(limits: .init(burst: 2, refill: .seconds(20)))
        var now = t0
        for serial in UInt64(6)...7 {
            let fetch = Schedule.Fetch(member: "c", material: .registry, number: serial)
            #expect(schedule.announced(member: "c", .registry, serial, held: held, now: now) == [.start(fetch)])
            #expect(schedule.finished(fetch, held: held, now: now).isEmpty)
            now += .seconds(1)
        }
        // Out of tokens: said once, then silence until a token is back.
        #expect(schedule.announced(member: "c", .registry, 8, held: held, now: now) == [.rateLimited(member: "c")])
        #expect(schedule.announced(member: "c", .registry, 9, held: held, now: now).isEmpty)
        #expect(schedule.tick(held: held, now: now + .seconds(5)).isEmpty)
        #expect(schedule.tick(held: held, now: t0 + .seconds(21)) == [.start(.init(member: "c", material: .registry, number: 9))])
    }

    @Test func theTotalInFlightIsBoundedAndSlotsPassOnWhenAFetchEnds() {
        var schedule = Schedule(limits: .init(maxInFlight: 2))
        var started: [Schedule.Fetch] = []
        for member in ["c", "d", "e", "f"] {
            for case let .start(fetch) in schedule.announced(member: member, .registry, 6, held: held, now: t0) { started.append(fetch) }
        }
        #expect(started.map(\.member) == ["c", "d"])
        #expect(schedule.inFlight == 2)
        #expect(schedule.finished(started[0], held: held, now: t0) == [.start(.init(member: "e", material: .registry, number: 6))])
    }

    @Test func whatBecameOldNewsMeanwhileIsDropped() {
        var schedule = Schedule(limits: .init(maxInFlight: 1))
        let first = Schedule.Fetch(member: "c", material: .registry, number: 6)
        _ = schedule.announced(member: "c", .registry, 6, held: held, now: t0)
        #expect(schedule.announced(member: "d", .registry, 7, held: held, now: t0).isEmpty)
        // The file brought serial 7 meanwhile: d's announcement is not news any more.
        let newer = Schedule.Held(registrySerial: 7, crlNumber: 2)
        #expect(schedule.finished(first, held: newer, now: t0).isEmpty)
        #expect(schedule.waiting("d").isEmpty)
    }

    @Test func theMemoryOfTriedNumbersStaysBounded() {
        var schedule = Schedule(limits: .init(burst: 1_000_000, triedPerPeer: 4, maxPeers: 8))
        for serial in UInt64(6)..<1000 {
            let fetch = Schedule.Fetch(member: "c", material: .registry, number: serial)
            _ = schedule.announced(member: "c", .registry, serial, held: held, now: t0)
            _ = schedule.finished(fetch, held: held, now: t0)
        }
        for index in 0..<100 {
            let fetch = Schedule.Fetch(member: "m\(index)", material: .registry, number: 6)
            _ = schedule.announced(member: "m\(index)", .registry, 6, held: held, now: t0)
            _ = schedule.finished(fetch, held: held, now: t0)
        }
        #expect(schedule.peerCount <= 8)
        #expect(schedule.triedCount <= 8 * 2 * 4)
    }
}
