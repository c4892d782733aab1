import Foundation
import Synchronization
import VerbundDataspace
import VerbundStore
@testable import VerbundConnector

/// An in-test `ContractLookup`: contracts a test builds (real `Agreement` values), as the negotiation module would
/// return them once finalized.
final class StaticContracts: ContractLookup {
    fileprivate let records = Mutex<[ContractRecord]>([])

    func add(_ record: ContractRecord) { records.withLock { $0.insert(record, at: 0) } }

    func contract(agreementId: String, in transaction: Transaction) throws -> ContractRecord? {
        records.withLock { $0.first { $0.agreement.id == agreementId } }
    }

    func contracts(in transaction: Transaction) throws -> [ContractRecord] { records.withLock { $0 } }
}

extension StaticContracts {
    func removeAll() { records.withLock { $0.removeAll() } }
}
