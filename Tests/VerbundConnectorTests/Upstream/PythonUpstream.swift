import Foundation
import Testing
import VerbundTestSupport

/// A real upstream for API datasets: Python's `http.server` (HTTP/1.1, threaded) on loopback, started by the test
/// with the script below. It logs every request it gets (method, target, Authorization, all header fields) to `log`,
/// sets headers that must never reach a consumer (`Set-Cookie`, `WWW-Authenticate`, `X-Upstream-Secret`), and has paths
/// that are slow (before the head, or trickling the body), not HTTP, with 100 KB of headers, cut short, too large (by `Content-Length` or while streaming chunked) and that change on each request.
final class PythonUpstream: Sendable {
    static let script = #"""
import http.server, json, sys, time, threading
log_path = sys.argv[1]
lock = threading.Lock()
counter = [0]
class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args):
        pass
    def record(self):
        with lock:
            counter[0] += 1
            with open(log_path, "a") as f:
                f.write(json.dumps({"method": self.command, "target": self.path,
                                    "authorization": self.headers.get("Authorization", ""),
                                    "accept": self.headers.get("Accept", ""),
                                    "headers": "\n".join("%s: %s" % (k, v) for k, v in self.headers.items())}) + "\n")
            return counter[0]
    def answer(self, body, status=200, content_type="application/json"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Set-Cookie", "session=upstream-cookie")
        self.send_header("WWW-Authenticate", "Basic realm=upstream")
        self.send_header("X-Upstream-Secret", "do-not-forward")
        self.send_header("ETag", "\"v1\"")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
    def do_HEAD(self):
        self.do_GET()
    def do_GET(self):
        n = self.record()
        path = self.path.split("?")[0]
        if path.startswith("/base/v1/things"):
            body = json.dumps({"path": self.path, "count": n, "values": list(range(50))}).encode()
            self.answer(body)
        elif path == "/base/v1/slow":
            time.sleep(6)
            self.answer(b"{}")
        elif path == "/base/v1/big":
            self.answer(b"x" * (2 * 1024 * 1024), content_type="application/octet-stream")
        elif path == "/base/v1/stream":
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            piece = b"y" * 65536
            try:
                for _ in range(64):
                    self.wfile.write(b"%x\r\n" % len(piece) + piece + b"\r\n")
                self.wfile.write(b"0\r\n\r\n")
            except Exception:
                pass
        elif path == "/base/v1/trickle":
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            try:
                for _ in range(100):
                    self.wfile.write(b"t" * 10)
                    self.wfile.flush()
                    time.sleep(0.3)
            except Exception:
                pass
        elif path == "/base/v1/garbage":
            self.wfile.write(b"NOT HTTP AT ALL\r\n\r\n")
            self.close_connection = True
        elif path == "/base/v1/hugeheaders":
            self.send_response(200)
            for i in range(1000):
                self.send_header("X-Pad-%d" % i, "p" * 100)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")
        elif path == "/base/v1/short":
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(b"s" * 1000)
            self.wfile.flush()
            self.close_connection = True
        elif path == "/base/v1/blob":
            blob = bytes((i * 7) % 256 for i in range(300000))
            self.answer(blob, content_type="application/octet-stream")
        else:
            self.answer(b'{"error":"not here"}', status=404)
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
"""#

    let process: Process
    let port: UInt16
    let log: String

    /// Why the upstream cannot be started here (no python3), nil when it can.
    static var absence: String? {
        FileManager.default.isExecutableFile(atPath: python) ? nil : "python3 is not installed at \(python)"
    }

    static let python: String = {
        for candidate in ["/usr/bin/python3", "/usr/local/bin/python3"] where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        return "/usr/bin/python3"
    }()

    init(folder: String) throws {
        let scriptPath = folder + "/upstream.py"
        log = folder + "/upstream.log"
        try Data(Self.script.utf8).write(to: URL(fileURLWithPath: scriptPath))
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.python)
        process.arguments = ["-u", scriptPath, log]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        // The first line is the port it bound (port 0: no clash with other tests).
        var line = Data()
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        guard let port = UInt16(String(decoding: line, as: UTF8.self)) else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw UpstreamStartFailure(output: String(decoding: line, as: UTF8.self))
        }
        self.port = port
    }

    struct UpstreamStartFailure: Error { let output: String }

    /// SIGKILL: a child spawned from a test thread may inherit a mask that blocks SIGTERM.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// The requests it received, oldest first.
    func requests() -> [[String: String]] {
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String]
        }
    }
}
