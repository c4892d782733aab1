import Dispatch
import Foundation
import Synchronization
@testable import VerbundConnector

/// A download running on a thread of its own while the test disturbs it (stops the provider, revokes the member);
/// `events` waits for its end. A download that throws ends with no events.
final class BackgroundDownload: Sendable {
    private let result = Mutex<[DownloadEvent]>([])
    private let finished = DispatchSemaphore(value: 0)

    init(_ download: @escaping @Sendable () throws -> [DownloadEvent]) {
        Thread { [self] in
            let events = (try? download()) ?? []
            result.withLock { $0 = events }
            finished.signal()
        }.start()
    }

    /// The download's events once it ended, nil when it did not end within `seconds`.
    func events(within seconds: Double) -> [DownloadEvent]? {
        guard finished.wait(timeout: .now() + seconds) == .success else { return nil }
        return result.withLock { $0 }
    }

    /// Waits until the file at `path` holds at least `bytes` (or `seconds` passed), so the disturbance hits mid-way.
    static func waitForFile(_ path: String, toReach bytes: Int, seconds: Double = 10) {
        let deadline = Date().addingTimeInterval(seconds)
        while DownloadFile.size(at: path) < bytes, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
    }
}
