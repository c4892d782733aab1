import Foundation
import VerbundConnector
import VerbundHTTP
import VerbundTransport

/// The CLI's client of a running connector's management API: reads the connector configuration for the address and
/// the token file in its data directory, and talks plain HTTP over loopback (docs/design.md §18: the CLI is the API's client).
package struct ManagementClient: Sendable {
    package let host: String
    package let port: UInt16
    package let token: ManagementToken

    package init(host: String, port: UInt16, token: ManagementToken) {
        self.host = host
        self.port = port
        self.token = token
    }

    /// From a `connector.json` (or `VERBUND_CONFIG` when `path` is nil).
    package init(configurationFile path: String?) throws(CLIError) {
        let configuration = try Self.configuration(path)
        guard let address = HostPort(configuration.management) else {
            throw .refused("management '\(configuration.management)' in the configuration is not HOST:PORT")
        }
        var port = address.port
        if port == 0 {
            // Port 0 lets the system choose; the daemon records the port it got.
            let file = configuration.dataDirectory + "/" + Connector.managementPortFileName
            guard let text = try? String(contentsOfFile: file, encoding: .utf8),
                  let recorded = UInt16(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw .refused("the management port is 0 in the configuration and \(file) does not say which port the daemon got; is `verbund serve` running?")
            }
            port = recorded
        }
        let tokenFile = ManagementToken.path(inDataDirectory: configuration.dataDirectory)
        let token: ManagementToken
        do {
            guard let read = try ManagementToken.read(tokenFile) else {
                throw CLIError.refused("no management token at \(tokenFile); start the connector once with `verbund serve` to create it")
            }
            token = read
        } catch let error as CLIError {
            throw error
        } catch {
            throw .refused(String(describing: error))
        }
        self.init(host: address.host, port: port, token: token)
    }

    /// The configuration named by `--config`, else by `VERBUND_CONFIG`.
    package static func configuration(_ path: String?) throws(CLIError) -> ConnectorConfiguration {
        guard let file = path ?? ProcessInfo.processInfo.environment["VERBUND_CONFIG"], !file.isEmpty else {
            throw .usage("--config FILE is required (or set VERBUND_CONFIG to the connector.json)")
        }
        do {
            return try ConnectorConfiguration.load(from: file)
        } catch {
            throw .refused(error.description)
        }
    }

    /// Sends a request and returns the response; connection failures and a refused token are `CLIError.refused`.
    /// `value` percent-encoded for a path segment or query value (RFC 3986 §2.3: only unreserved characters stay).
    package static func queryValue(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? value
    }

    package func send(_ method: HTTPMethod, _ path: String, body: [UInt8] = []) throws(CLIError) -> HTTPClientResponse {
        var headers: HTTPHeaders = ["Authorization": "Bearer \(token.value)"]
        if !body.isEmpty { headers.set("Content-Type", "application/json") }
        let client = HTTPClient(configuration: HTTPClientConfiguration(connectTimeout: .seconds(3), exchangeDeadline: .seconds(300),
                                                                       responseHeadTimeout: .seconds(60)))
        let response: HTTPClientResponse
        do {
            response = try client.send(HTTPClientRequest(method: method, host: host, port: port, target: path, headers: headers, body: body))
        } catch {
            throw .refused("cannot reach the connector's management API at \(host):\(port): \(error); is `verbund serve` running?")
        }
        if response.status.code == 401 {
            throw .refused("the connector refused the management token; the token file does not match the running daemon's")
        }
        return response
    }

    /// GET `path` and decode a 2xx JSON answer; other statuses become a refusal with the API's error text.
    package func get<Value: Decodable>(_ path: String, as type: Value.Type) throws(CLIError) -> Value {
        let response = try send(.get, path)
        return try decode(response, as: type)
    }

    package func decode<Value: Decodable>(_ response: HTTPClientResponse, as type: Value.Type) throws(CLIError) -> Value {
        guard (200..<300).contains(response.status.code) else {
            let message = (try? JSONDecoder().decode([String: String].self, from: Data(response.body)))?["error"]
                ?? String(decoding: response.body, as: UTF8.self)
            // The API's error text often quotes a peer (its refusal reason, its error object).
            throw .refused("the connector answered \(response.status.code): \(TerminalText.shown(message))")
        }
        do {
            return try ManagementJSON.decoder().decode(type, from: Data(response.body))
        } catch {
            throw .refused("the connector's answer is not what this verbund expects (\(error)); are the CLI and daemon the same version?")
        }
    }
}
