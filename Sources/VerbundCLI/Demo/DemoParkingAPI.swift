import Foundation
import Synchronization
import VerbundHTTP
import VerbundTransport

/// The demo's stand-in for a city's urban data platform: a small read-only API in the shape of OGC SensorThings
/// (OGC 18-088, §9: `Things`, `Datastreams(id)/Observations`) on loopback, plain HTTP, that Jena publishes as an API
/// dataset. Every observation request answers with new values, so a consumer reading twice sees live data change.
/// The values are sample data, not measurements.
final class DemoParkingAPI: Sendable {
    /// Jena's car parks of the sample: SensorThings `Thing` and `Datastream` id, name, capacity.
    static let carParks: [(id: Int, name: String, capacity: Int)] = [
        (1, "Parkhaus Neue Mitte", 520), (2, "Parkhaus Holzmarkt", 310), (3, "Parkplatz Inselplatz", 180),
    ]

    /// Requests answered, shared by the route handlers and the demo.
    private final class RequestCount: Sendable {
        let value = Mutex(0)
    }

    private let server: HTTPServer
    private let requests = RequestCount()

    /// The base URL Jena publishes (`--upstream`), e.g. `http://127.0.0.1:41234/v1.1`.
    var baseURL: String { "http://127.0.0.1:\(server.localPort)/v1.1" }

    /// Requests answered so far.
    var requestsServed: Int { requests.value.withLock { $0 } }

    init() throws {
        let requests = self.requests
        var router = Router()
        router.get("/v1.1/Things") { _, _ in
            requests.value.withLock { $0 += 1 }
            return Self.json(["value": Self.carParks.map { park in
                ["@iot.id": park.id, "name": park.name, "properties": ["capacity": park.capacity]] as [String: Any]
            }])
        }
        router.get("/v1.1/:stream/Observations") { request, _ in
            // Route patterns match whole segments: `Datastreams(2)` arrives as one; the id is inside the parentheses.
            let segment = request.parameter("stream") ?? ""
            let id = segment.hasPrefix("Datastreams(") && segment.hasSuffix(")")
                ? Int(segment.dropFirst("Datastreams(".count).dropLast()) : nil
            guard let park = Self.carParks.first(where: { $0.id == id }) else {
                return HTTPResponse(status: .notFound, contentType: "application/json",
                                    bytes: Array(#"{"code":404,"message":"no such Datastream"}"#.utf8))
            }
            let round = requests.value.withLock { count -> Int in
                count += 1
                return count
            }
            return Self.json(["value": [Self.observation(park: park, round: round)]])
        }
        self.server = HTTPServer(acceptor: try TCPAcceptor(host: "127.0.0.1", port: 0), router: router)
        try server.start()
    }

    func stop() {
        server.stop(grace: .seconds(1))
    }

    /// Free spaces of `park` at request `round`: moves by a different amount each round, within the capacity.
    static func freeSpaces(capacity: Int, round: Int) -> Int {
        let swing = capacity / 3
        return capacity / 2 + ((round * 37) % (2 * swing + 1)) - swing
    }

    private static func observation(park: (id: Int, name: String, capacity: Int), round: Int) -> [String: Any] {
        let time = ISO8601DateFormatter().string(from: Date())
        return ["@iot.id": round, "phenomenonTime": time, "resultTime": time,
                "result": freeSpaces(capacity: park.capacity, round: round),
                "parameters": ["carPark": park.name, "unit": "freie Stellplätze"]]
    }

    private static func json(_ object: [String: Any]) -> HTTPResponse {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return HTTPResponse(contentType: "application/json", bytes: Array(data))
    }
}
