import Testing
import VerbundTestSupport
@testable import VerbundTransport

/// The server's admission of connections as a value: handshakes and admitted connections bounded apart.
@Suite(.offCooperativePool) struct ConnectionAdmissionTests {
    private func admission(handshakes: Int = 4, perSource: Int = 2, connections: Int = 2, rejections: Int = 1) -> ConnectionAdmission {
        ConnectionAdmission(limits: .init(maxHandshakes: handshakes, maxHandshakesPerSource: perSource,
                                          maxConnections: connections, maxRejections: rejections))
    }

    @Test func handshakesDoNotTakeTheSlotsOfAdmittedConnections() {
        var admission = admission(handshakes: 4, perSource: 4, connections: 1)
        guard case let .handshake(member, nil) = admission.accept(from: "10.0.0.1") else { Issue.record("not admitted"); return }
        #expect(admission.handshakeEnded(member, established: true) == .serve)
        // Strangers fill the handshake stage; the admitted member keeps its slot.
        for _ in 0..<4 { #expect(admission.accept(from: "10.0.0.9") != .refuse(.sourceLimit)) }
        #expect(admission.admittedCount == 1 && admission.handshaking == 4)
    }

    @Test func aSourceOverItsBoundIsRefusedWhileOthersGetIn() {
        var admission = admission(handshakes: 8, perSource: 2)
        #expect(admission.accept(from: "10.0.0.9") == .handshake(id: 0, evicting: nil))
        #expect(admission.accept(from: "10.0.0.9") == .handshake(id: 1, evicting: nil))
        #expect(admission.accept(from: "10.0.0.9") == .refuse(.sourceLimit))
        #expect(admission.accept(from: "10.0.0.1") == .handshake(id: 2, evicting: nil))
        #expect(admission.handshaking(from: "10.0.0.9") == 2)
        // A finished handshake frees the source's place.
        #expect(admission.handshakeEnded(0, established: false) == .close)
        #expect(admission.accept(from: "10.0.0.9") == .handshake(id: 3, evicting: nil))
    }

    @Test func aFullHandshakeStageEvictsTheOldestHandshake() {
        var admission = admission(handshakes: 2, perSource: 2)
        #expect(admission.accept(from: "a") == .handshake(id: 0, evicting: nil))
        #expect(admission.accept(from: "b") == .handshake(id: 1, evicting: nil))
        #expect(admission.accept(from: "c") == .handshake(id: 2, evicting: 0))
        // The evicted one's source has its place back at once; its thread still counts until it ends.
        #expect(admission.handshaking(from: "a") == 0)
        #expect(admission.handshaking == 3)
        #expect(admission.accept(from: "d") == .handshake(id: 3, evicting: 1))
        // Evicted threads that have not ended bound the stage too: no third eviction while two are pending.
        #expect(admission.accept(from: "e") == .refuse(.handshakeStageFull))
        // An evicted handshake that completes anyway is closed, never served.
        #expect(admission.handshakeEnded(0, established: true) == .close)
        #expect(admission.handshakeEnded(1, established: false) == .close)
        #expect(admission.handshaking == 2)
        #expect(admission.handshakeEnded(3, established: true) == .serve)
    }

    @Test func beyondMaxConnectionsAHandshakenConnectionGetsA503ThenIsClosed() {
        var admission = admission(handshakes: 8, perSource: 8, connections: 1, rejections: 1)
        for _ in 0..<3 { _ = admission.accept(from: "a") }
        #expect(admission.handshakeEnded(0, established: true) == .serve)
        #expect(admission.handshakeEnded(1, established: true) == .reject)
        #expect(admission.handshakeEnded(2, established: true) == .close)
        admission.rejectionEnded()
        admission.closed(0)
        _ = admission.accept(from: "a")
        #expect(admission.handshakeEnded(3, established: true) == .serve)
    }

    @Test func stoppingRefusesNewConnectionsAndServesNoHandshake() {
        var admission = admission()
        _ = admission.accept(from: "a")
        admission.stop()
        #expect(admission.accept(from: "b") == .refuse(.stopping))
        #expect(admission.handshakeEnded(0, established: true) == .close)
        #expect(admission.isIdle)
    }

    @Test func refusalLogsAreRateLimitedAndCountWhatTheyDropped() {
        var budget = LogBudget(perWindow: 2, window: .seconds(10))
        let start = ContinuousClock.now
        #expect(budget.admit(at: start) == .write(suppressed: 0))
        #expect(budget.admit(at: start + .seconds(1)) == .write(suppressed: 0))
        #expect(budget.admit(at: start + .seconds(2)) == .drop)
        #expect(budget.admit(at: start + .seconds(3)) == .drop)
        #expect(budget.admit(at: start + .seconds(11)) == .write(suppressed: 2))
        #expect(budget.admit(at: start + .seconds(12)) == .write(suppressed: 0))
    }
}
