import Synchronization

/// What the running daemon knows about itself beyond the context: the bound ports (port 0 in the configuration picks
/// free ones) and the modules it runs. Filled by `Connector.start`, read by the status routes.
package final class DaemonInfo: Sendable {
    private struct State {
        var dspPort: UInt16?
        var managementPort: UInt16?
        var modules: [String] = []
    }

    private let state = Mutex(State())

    package init() {}

    package var dspPort: UInt16? { state.withLock { $0.dspPort } }
    package var managementPort: UInt16? { state.withLock { $0.managementPort } }
    package var modules: [String] { state.withLock { $0.modules } }

    func set(dspPort: UInt16?, managementPort: UInt16?, modules: [String]) {
        state.withLock { state in
            state.dspPort = dspPort
            state.managementPort = managementPort
            state.modules = modules
        }
    }
}
