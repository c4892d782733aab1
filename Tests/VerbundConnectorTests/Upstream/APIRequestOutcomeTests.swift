import Foundation
import Testing
import VerbundTestSupport
import VerbundStore
@testable import VerbundConnector

/// The outcome entry of a forwarded API request does not hold up the connection (`DeferredAuditEvents`), yet the log
/// names every request the budget counted: with its outcome, or — after a crash in between — as unknown.
@Suite(.offCooperativePool) struct APIRequestOutcomeTests {
    private static func rows(_ bed: APIDatasetTests.Bed) throws -> [(recorded: Int, path: String, query: String)] {
        try bed.harness.running["p"]!.context.database.read { tx in
            try tx.query("SELECT recorded, path, query FROM upstream_request ORDER BY id").map {
                (try $0.int("recorded"), try $0.string("path"), try $0.string("query"))
            }
        }
    }

    @Test(OutsideCheckers.trait("python3 http.server upstream", absence: PythonUpstream.absence))
    func outcomesAreWrittenSoonAfterTheAnswerAndAStopsLeftoversAreRecordedAsUnknown() throws {
        let bed = try APIDatasetTests.Bed()
        defer { bed.stop() }
        #expect(bed.publish().status == 0)
        let (endpoint, token, providerPid) = try bed.started()

        for _ in 0..<3 { #expect(try bed.get(endpoint + "/v1/things?limit=2", token: token).status.code == 200) }
        // Without any reader flushing, the entries reach the log on their own within moments: the last one by the
        // delayed flush, the others with the next request's admission.
        #expect(try eventually(5) { try Self.rows(bed).allSatisfy { $0.recorded == 1 } })
        #expect(try Self.rows(bed).count == 3)
        #expect(try Self.rows(bed).allSatisfy { $0.path == "/v1/things" && $0.query == "limit=2" })
        let context = bed.harness.running["p"]!.context
        #expect(context.audit.deferred.count == 0)
        let outcomes = try bed.harness.auditEntries("p", kind: "transfer.api.request")
        #expect(outcomes.count == 3 && outcomes.allSatisfy { $0["complete"] as? Bool == true && $0["status"] as? Int == 200 })

        // A request admitted (counted) whose outcome the process never wrote: the row a crash between admission and
        // outcome leaves. The next start records it as unknown, once.
        try context.database.transaction { tx in
            try tx.execute("""
                INSERT INTO upstream_request (local_pid, agreement_id, at_ms, path, query, recorded)
                SELECT local_pid, agreement_id, at_ms, '/v1/lost', 'limit=1', 0 FROM upstream_request LIMIT 1
                """)
        }
        bed.harness.running["p"]!.stop()
        for _ in 0..<2 {
            bed.harness.running["p"] = try bed.harness.federation.start("p", modules: [
                CatalogModule(crawls: false),
                TransferModule(contracts: bed.harness.contracts["p"]!, files: CatalogDatasetFiles()),
            ])
            bed.harness.running["p"]!.stop()
        }
        bed.harness.running["p"] = try bed.harness.federation.start("p", modules: [
            CatalogModule(crawls: false),
            TransferModule(contracts: bed.harness.contracts["p"]!, files: CatalogDatasetFiles()),
        ])
        let after = try bed.harness.auditEntries("p", kind: "transfer.api.request")
        let lost = after.filter { $0["path"] as? String == "/v1/lost" }
        #expect(lost.count == 1)
        #expect(lost.first?["pid"] as? String == providerPid)
        #expect(lost.first?["query"] as? String == "limit=1")
        #expect(lost.first?["complete"] as? Bool == false && lost.first?["status"] as? Int == 0)
        #expect((lost.first?["reason"] as? String)?.contains("outcome was recorded") == true)
        #expect(lost.first?["sha256"] == nil)
        #expect(try Self.rows(bed).allSatisfy { $0.recorded == 1 })
        // The budget still counts the lost request: four of the day.
        #expect(try Self.rows(bed).count == 4)
    }
}
