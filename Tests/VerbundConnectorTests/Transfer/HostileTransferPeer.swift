import Foundation
import Synchronization
import VerbundConnector
import VerbundDataspace
import VerbundHTTP
import VerbundStore
import VerbundTransport

/// A member that does not play fair on the transfer process, as a connector module on a real connector (real
/// certificate, admitted by the others): it answers what the test tells it to and records what reached it.
///
/// - as a provider: answers every `TransferRequestMessage` with 201 REQUESTED and sends nothing by itself (the test
///   sends the start it wants, with the address it wants), and serves `GET /data/:pid` with `dataBytes` bytes,
///   chunked, whatever it declared;
/// - as a consumer: takes or refuses start messages on its callback (`refuseStarts`) and keeps their data addresses;
///   takes pushed pieces, or makes the provider start over after each (`restartPushes`);
/// - as a third member: takes pushed pieces and data requests meant for somebody else, and records them.
struct HostileTransferPeer: ConnectorModule {
    final class Record: Sendable {
        /// Requests that reached this member's data plane or push target: (member, method, path, bytes).
        let hits = Mutex<[(member: String, method: String, path: String, bytes: Int)]>([])
        /// Transfer requests received (as provider).
        let requests = Mutex<[TransferRequestMessage]>([])
        /// Start messages received (as consumer).
        let starts = Mutex<[TransferStartMessage]>([])
        /// Answer start messages with 400.
        let refuseStarts = Mutex(false)
        /// Bytes the data route sends.
        let dataBytes = Mutex(4 << 20)
        /// Answer every pushed piece with 409 `Upload-Offset: 0`, so the provider starts over.
        let restartPushes = Mutex(false)
    }

    let name = "hostile-transfer"
    let migrationVersions = 90...99
    let record = Record()

    var migrations: [Migration] { [] }

    func registerDSPRoutes(into router: inout DSPRoutes, context: ConnectorContext) {
        let record = self.record
        router.post("/transfers/request") { dsp, body in
            let message = try dsp.decode(TransferRequestMessage.self, from: body,
                                         errorShape: .transfer(providerPid: "", consumerPid: ""))
            record.requests.withLock { $0.append(message) }
            return try DSPResponse.json(TransferProcess(providerPid: "urn:hostile:" + message.consumerPid,
                                                        consumerPid: message.consumerPid, state: .requested), status: .created)
        }
        for suffix in ["start", "completion", "suspension", "termination"] {
            router.post("/callback/transfers/:cpid/\(suffix)") { dsp, body in
                let bytes = try body.readAll()
                if suffix == "start" {
                    if let start = try? DSPJSON.decode(TransferStartMessage.self, from: Data(bytes)) {
                        record.starts.withLock { $0.append(start) }
                    }
                    if record.refuseStarts.withLock({ $0 }) {
                        throw DSPFailure(.badRequest, shape: .transfer(providerPid: "", consumerPid: dsp.parameter("cpid") ?? ""),
                                         code: "400", reasons: ["this consumer refuses every start"])
                    }
                }
                return DSPResponse.ok
            }
        }
        router.put("/push/:cpid", bodyLimit: 16 << 20) { dsp, body in
            let request = dsp.http
            let bytes = try body.readAll()
            record.hits.withLock { $0.append((dsp.member.id, "PUT", request.path, bytes.count)) }
            if record.restartPushes.withLock({ $0 }) {
                var again = HTTPResponse.text("start over\n", status: .conflict)
                again.headers.add("Upload-Offset", "0")
                return again
            }
            return HTTPResponse(status: .noContent)
        }
        router.get("/data/:pid") { dsp, _ in
            let request = dsp.http
            record.hits.withLock { $0.append((dsp.member.id, "GET", request.path, 0)) }
            let total = record.dataBytes.withLock { $0 }
            return HTTPResponse(status: .ok, headers: ["Content-Type": "application/octet-stream"], body: .chunks { sink in
                var sent = 0
                while sent < total {
                    let piece = [UInt8](repeating: 0x41, count: min(64 << 10, total - sent))
                    try sink.write(piece)
                    sent += piece.count
                }
            })
        }
    }
}
