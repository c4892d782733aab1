import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// The children and temp directories of this run, so Ctrl-C (SIGINT) or SIGTERM still kills every
/// server and removes the (possibly multi-GiB) files instead of leaving them behind.
final class ChildRegistry: Sendable {
    static let shared = ChildRegistry()

    private let pids = Mutex<Set<Int32>>([])
    private let directories = Mutex<[String]>([])

    func add(_ pid: Int32) { _ = pids.withLock { $0.insert(pid) } }
    func remove(_ pid: Int32) { _ = pids.withLock { $0.remove(pid) } }
    func addDirectory(_ path: String) { directories.withLock { $0.append(path) } }

    /// Installs the SIGINT/SIGTERM handlers: kill the children, remove the directories, exit 130.
    /// The caller keeps the returned sources alive for as long as the handlers should stay.
    func cleanUpOnSignals() -> [any DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in
                for pid in pids.withLock({ $0 }) { kill(pid, SIGKILL) }
                for path in directories.withLock({ $0 }) { try? FileManager.default.removeItem(atPath: path) }
                FileHandle.standardError.write(Data("verbund-bench: interrupted; servers killed, temp files removed\n".utf8))
                exit(130)
            }
            source.resume()
            return source
        }
    }
}
