import COpenSSL

/// A failed OpenSSL call: which operation failed and the text OpenSSL left on its (per-thread) error queue.
///
/// Build it right after the failing call, on the same thread, with nothing in between that could
/// touch the queue (docs/openssl-notes.md §7).
package struct OpenSSLError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What Verbund was doing, e.g. "reading the private key PEM".
    package let operation: String
    /// Entries of OpenSSL's error queue, oldest first, as `ERR_error_string_n` renders them.
    package let queue: [String]

    package init(operation: String, queue: [String]) {
        self.operation = operation
        self.queue = queue
    }

    /// Drains the calling thread's error queue into a new error.
    package static func drain(_ operation: String) -> OpenSSLError {
        OpenSSLError(operation: operation, queue: drainQueue())
    }

    /// Takes every entry off the calling thread's OpenSSL error queue.
    package static func drainQueue() -> [String] {
        var entries: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
            entries.append(String(decoding: bytes, as: UTF8.self))
        }
        return entries
    }

    package var description: String {
        queue.isEmpty ? "\(operation) failed" : "\(operation) failed: \(queue.joined(separator: "; "))"
    }
}
