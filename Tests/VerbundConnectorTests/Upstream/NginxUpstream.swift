import Foundation
import Testing
import VerbundTestSupport

/// A real HTTPS upstream for API datasets: Debian's nginx on loopback, started by the test as a single user process
/// (`master_process off`, so it runs as the test's user and reads the test's 0600 files) with certificates made by
/// `openssl` for the test: a CA, a server certificate for `IP:127.0.0.1`, a second unrelated CA (the "wrong CA") and a
/// client certificate for mutual TLS.
///
/// Two servers, both TLS and serving `www/` (static JSON and a 64 MiB random file below `/base/v1/`):
/// - `port`: HTTP basic authentication (`auth_basic`, an htpasswd file written here with `openssl passwd -apr1`);
/// - `mutualPort`: a client certificate issued by the CA is required (`ssl_verify_client on`), no basic auth.
/// nginx answers Range, If-None-Match and If-Modified-Since itself (206, 304) and sets ETag and Last-Modified.
final class NginxUpstream: Sendable {
    static let user = "city-reader"
    static let password = "n0t-for-consumers-7Qx"
    static let largeSize = 64 << 20

    let folder: String
    let port: UInt16
    let mutualPort: UInt16
    let process: Process
    /// What the upstream serves below `/base/v1/`, by name.
    let thingsJSON = #"{"value":[{"@iot.id":1,"name":"Parkhaus Mitte","free":117},{"@iot.id":2,"name":"Goethegalerie","free":42}]}"#

    /// Why nginx or openssl cannot be used here, nil when both can.
    static let absence: String? = {
        guard let nginx = executable else { return "nginx is not installed (Debian: apt-get install nginx-light)" }
        guard FileManager.default.isExecutableFile(atPath: openssl) else { return "openssl is not installed at \(openssl)" }
        return OutsideCheckers.probe(URL(fileURLWithPath: nginx), ["-v"], what: nginx)
    }()

    static let executable: String? = ["/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }
    static let openssl = "/usr/bin/openssl"

    var caFile: String { folder + "/ca.pem" }
    var wrongCAFile: String { folder + "/wrong-ca.pem" }
    var clientCertificate: String { folder + "/client.pem" }
    var clientKey: String { folder + "/client.key" }
    var largeFile: String { folder + "/www/base/v1/large.bin" }

    /// The certificates, the htpasswd file and the served files; then nginx, waited for until both ports accept.
    init(folder: String, ports: (UInt16, UInt16)) throws {
        self.folder = folder
        (port, mutualPort) = ports
        try FileManager.default.createDirectory(atPath: folder + "/www/base/v1", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder + "/tmp", withIntermediateDirectories: true)
        let made = try ChildProcess.run("/bin/sh", ["-c", Self.certificateScript, "sh", folder, Self.openssl, Self.password],
                                        timeout: 60)
        guard made.status == 0 else { throw StartFailure(what: "making certificates", output: made.error + made.output) }
        let hash = made.output.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
        try Data("\(Self.user):\(hash)\n".utf8).write(to: URL(fileURLWithPath: folder + "/htpasswd"))
        try Data(thingsJSON.utf8).write(to: URL(fileURLWithPath: folder + "/www/base/v1/things.json"))
        try Data(Self.configuration(folder: folder, port: port, mutualPort: mutualPort).utf8)
            .write(to: URL(fileURLWithPath: folder + "/nginx.conf"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable ?? "/usr/sbin/nginx")
        process.arguments = ["-c", folder + "/nginx.conf", "-p", folder, "-e", folder + "/error.log"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        let deadline = Date().addingTimeInterval(15)
        while !(Self.accepts(port) && Self.accepts(mutualPort)) {
            guard process.isRunning, Date() < deadline else {
                stop()
                let log = (try? String(contentsOfFile: folder + "/error.log", encoding: .utf8)) ?? ""
                throw StartFailure(what: "starting nginx", output: log)
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    struct StartFailure: Error, CustomStringConvertible {
        let what: String
        let output: String
        var description: String { "\(what) failed: \(output)" }
    }

    /// SIGKILL: a child spawned from a test thread may inherit a mask that blocks SIGTERM.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// nginx's error and access logs (what the upstream saw), for assertions.
    var accessLog: String { (try? String(contentsOfFile: folder + "/access.log", encoding: .utf8)) ?? "" }

    /// Whether the access log gets a line containing `text` within `timeout` seconds: nginx writes a request's line
    /// after it sent the answer, so a test that already has the answer may look a moment too early.
    func logs(_ text: String, timeout: Double = 5) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while !accessLog.contains(text) {
            guard Date() < deadline else { return false }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return true
    }

    private static func accepts(_ port: UInt16) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    /// `$1` folder, `$2` openssl, `$3` the basic-auth password; prints the password's apr1 hash last.
    static let certificateScript = #"""
set -e
cd "$1"
O="$2"
umask 077
P256="-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"
$O req -x509 $P256 -keyout ca.key -out ca.pem -days 2 -subj "/CN=Upstream Test CA" 2>/dev/null
$O req -x509 $P256 -keyout wrong-ca.key -out wrong-ca.pem -days 2 -subj "/CN=Unrelated CA" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n' > server.ext
$O req $P256 -keyout server.key -out server.csr -subj "/CN=127.0.0.1" 2>/dev/null
$O x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile server.ext 2>/dev/null
printf 'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\n' > client.ext
$O req $P256 -keyout client.key -out client.csr -subj "/CN=Jena Provider" 2>/dev/null
$O x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out client.pem -days 2 -extfile client.ext 2>/dev/null
chmod 600 client.key
chmod 644 ca.pem wrong-ca.pem server.pem client.pem
$O rand -out www/base/v1/large.bin 67108864
$O passwd -apr1 "$3"
"""#

    static func configuration(folder: String, port: UInt16, mutualPort: UInt16) -> String {
        """
        daemon off;
        master_process off;
        pid \(folder)/nginx.pid;
        error_log \(folder)/error.log warn;
        events { worker_connections 64; }
        http {
            access_log \(folder)/access.log;
            client_body_temp_path \(folder)/tmp; proxy_temp_path \(folder)/tmp; fastcgi_temp_path \(folder)/tmp;
            uwsgi_temp_path \(folder)/tmp; scgi_temp_path \(folder)/tmp;
            types { application/json json; application/octet-stream bin; }
            default_type application/octet-stream;
            ssl_protocols TLSv1.2 TLSv1.3;
            ssl_certificate \(folder)/server.pem;
            ssl_certificate_key \(folder)/server.key;
            root \(folder)/www;
            server {
                listen 127.0.0.1:\(port) ssl;
                auth_basic "city data platform";
                auth_basic_user_file \(folder)/htpasswd;
            }
            server {
                listen 127.0.0.1:\(mutualPort) ssl;
                ssl_client_certificate \(folder)/ca.pem;
                ssl_verify_client on;
            }
        }

        """
    }
}
