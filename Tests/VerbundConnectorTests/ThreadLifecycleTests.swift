import Foundation
import Synchronization
import Testing
import VerbundTestSupport
@testable import VerbundConnector

/// The lifecycle of background threads: the value, and `WorkerThread` running it.
@Suite(.offCooperativePool) struct ThreadLifecycleTests {
    @Test func startStopAndRestartAsAValue() {
        var life = ThreadLifecycle()
        #expect(life.state == .stopped)
        #expect(life.stop() == .none)
        #expect(life.start() == .spawn(generation: 1))
        #expect(life.start() == .alreadyRunning)
        #expect(life.wake() == true)
        #expect(!life.maySleep)
        life.pauseEnded()
        #expect(life.maySleep)
        #expect(life.stop() == .wakeAndJoin)
        #expect(life.shouldReturn && !life.maySleep)
        #expect(life.stop() == .join)
        #expect(life.start() == .waitForStop)
        #expect(life.wake() == false)  // a stopping loop is not woken to more work
        life.loopReturned()
        #expect(life.state == .stopped)
        #expect(life.start() == .spawn(generation: 2))
        #expect(!life.shouldReturn)
    }

    @Test func aWakeBeforeThePauseIsNotLost() {
        var life = ThreadLifecycle()
        _ = life.start()
        _ = life.wake()
        life.pauseEnded()
        #expect(life.maySleep)
    }

    @Test func workerThreadRunsAgainAfterStopAndStopWaitsForTheLoop() {
        let worker = WorkerThread(name: "verbund.test")
        let laps = Atomic<Int>(0)
        let inside = Atomic<Bool>(false)
        let loop: @Sendable () -> Void = {
            repeat {
                inside.store(true, ordering: .relaxed)
                laps.add(1, ordering: .relaxed)
                worker.pause(.seconds(30))
                inside.store(false, ordering: .relaxed)
            } while !worker.isStopping
        }
        #expect(worker.start(loop))
        #expect(!worker.start(loop))
        // stop() wakes the 30 s pause and returns only after the loop returned.
        let began = ContinuousClock.now
        worker.stop()
        #expect(ContinuousClock.now - began < .seconds(5))
        #expect(worker.state == .stopped)
        let stillInside = inside.load(ordering: .relaxed)
        #expect(!stillInside)
        let first = laps.load(ordering: .relaxed)

        #expect(worker.start(loop))
        worker.wake()
        worker.stop()
        #expect(worker.state == .stopped)
        let second = laps.load(ordering: .relaxed)
        #expect(second > first)
    }
}
