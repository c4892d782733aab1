import Synchronization

/// The values of JSON columns this process decoded or encoded recently, by their exact text (issue 15).
///
/// A negotiation record is read at every step of both sides, and each read decoded the same offer, agreement and
/// request texts again with Foundation's `JSONDecoder` — the largest single CPU cost of a negotiation. Decoding is a
/// function of the text, so a value remembered under its text is the value decoding would give. (Values are never
/// remembered from encoding: a value need not equal what its text decodes to, e.g. a date finer than its text.)
/// Bounded: at most `capacity` entries, the oldest dropped first.
package final class DecodedColumnCache: Sendable {
    private struct Key: Hashable {
        let type: ObjectIdentifier
        let text: String
    }

    private struct Storage {
        var values: [Key: any Sendable] = [:]
        var order: [Key] = []
        var next = 0
    }

    private let storage = Mutex(Storage())
    private let capacity: Int

    package init(capacity: Int = 512) {
        self.capacity = max(1, capacity)
    }

    /// The value remembered for `text` as `type`, or `make()`'s (remembered from now on).
    package func value<Value: Sendable>(of type: Value.Type, text: String, make: () throws -> Value) rethrows -> Value {
        let key = Key(type: ObjectIdentifier(type), text: text)
        if let hit = storage.withLock({ $0.values[key] }) as? Value { return hit }
        let made = try make()
        remember(made, text: text)
        return made
    }

    private func remember<Value: Sendable>(_ value: Value, text: String) {
        let key = Key(type: ObjectIdentifier(Value.self), text: text)
        storage.withLock { storage in
            guard storage.values.updateValue(value, forKey: key) == nil else { return }
            if storage.order.count < capacity {
                storage.order.append(key)
            } else {
                storage.values.removeValue(forKey: storage.order[storage.next])
                storage.order[storage.next] = key
                storage.next = (storage.next + 1) % capacity
            }
        }
    }

    /// Entries held now.
    package var count: Int { storage.withLock { $0.values.count } }
}
