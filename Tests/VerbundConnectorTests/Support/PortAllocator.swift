import Glibc
import Synchronization

/// Hands out loopback ports from 20000–32767, starting at a point that depends on the process id so
/// that test processes running side by side rarely meet.
enum PortAllocator {
    private static let range: ClosedRange<Int> = 20_000...32_767
    private static let cursor = Mutex(Int(getpid()) % 12_000)

    static func next() -> UInt16 {
        cursor.withLock { offset in
            offset = (offset + 1) % range.count
            return UInt16(range.lowerBound + offset)
        }
    }
}
