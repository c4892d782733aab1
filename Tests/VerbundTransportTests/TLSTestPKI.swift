import Foundation
import VerbundTrust
@testable import VerbundTransport

/// A throw-away test federation made with the `openssl` command line tool in a unique temp
/// directory: a P-256 root CA, leaves with a SAN URI, revocation and a CRL (`openssl ca`).
/// Every key here is test material, generated per test and deleted with the directory.
final class TLSTestPKI {
    struct Leaf {
        let certificatePath: String
        let keyPath: String
        let certificate: Certificate
        let key: PrivateKey
    }

    let directory: String
    let root: Certificate
    private let name: String
    private var nextSerial = 0x1000

    init(name: String = "Test Root") throws {
        directory = FileManager.default.temporaryDirectory.path + "/verbund-tls-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        self.name = name
        try Self.run(in: directory, ["req", "-x509", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                 "-keyout", "ca.key", "-subj", "/CN=\(name)/O=Verbund Test", "-days", "3650",
                 "-addext", "basicConstraints=critical,CA:TRUE",
                 "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-out", "ca.pem"])
        root = try Certificate(pem: String(contentsOfFile: directory + "/ca.pem", encoding: .utf8))
        try "".write(toFile: path("index.txt"), atomically: false, encoding: .utf8)
        try "01\n".write(toFile: path("crlnumber"), atomically: false, encoding: .utf8)
        try """
            [ ca ]
            default_ca = ca_default
            [ ca_default ]
            database = \(path("index.txt"))
            crlnumber = \(path("crlnumber"))
            default_md = sha256
            default_crl_days = 30

            """.write(toFile: path("ca.cnf"), atomically: false, encoding: .utf8)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    var rootPath: String { path("ca.pem") }

    func path(_ file: String) -> String { "\(directory)/\(file)" }

    /// Issues a leaf for `member` with SAN `URI:<uri>, DNS:localhost, IP:127.0.0.1`, valid `days` days.
    /// `keyOptions` are `openssl req -newkey` arguments (default: a P-256 key).
    func issue(_ member: String, uri: String? = nil, days: Int = 30,
               keyOptions: [String] = ["ec", "-pkeyopt", "ec_paramgen_curve:P-256"]) throws -> Leaf {
        nextSerial += 1
        let san = (uri.map { ["URI:\($0)"] } ?? []) + ["DNS:localhost", "IP:127.0.0.1"]
        try """
            basicConstraints=critical,CA:FALSE
            keyUsage=critical,digitalSignature
            extendedKeyUsage=serverAuth,clientAuth
            subjectAltName=\(san.joined(separator: ","))

            """.write(toFile: path("\(member).ext"), atomically: false, encoding: .utf8)
        try run(["req", "-new", "-newkey"] + keyOptions + ["-nodes",
                 "-keyout", "\(member).key", "-subj", "/CN=\(member)/O=Verbund Test", "-out", "\(member).csr"])
        try run(["x509", "-req", "-in", "\(member).csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-days", String(days),
                 "-extfile", "\(member).ext", "-set_serial", String(nextSerial), "-out", "\(member).pem"])
        return Leaf(certificatePath: path("\(member).pem"), keyPath: path("\(member).key"),
                    certificate: try Certificate(pem: String(contentsOfFile: path("\(member).pem"), encoding: .utf8)),
                    key: try PrivateKey(pem: String(contentsOfFile: path("\(member).key"), encoding: .utf8)))
    }

    /// Revokes `leaf` in the CA database (the next `crl()` lists it).
    func revoke(_ leaf: Leaf) throws {
        try run(["ca", "-config", "ca.cnf", "-keyfile", "ca.key", "-cert", "ca.pem", "-revoke", leaf.certificatePath])
    }

    /// A freshly signed CRL of this CA.
    func crl() throws -> CertificateRevocationList {
        try run(["ca", "-config", "ca.cnf", "-keyfile", "ca.key", "-cert", "ca.pem", "-gencrl", "-out", "crl.pem"])
        return try CertificateRevocationList(pemFile: path("crl.pem"))
    }

    func serverContext(_ leaf: Leaf, crls: [CertificateRevocationList] = [],
                       adjust: (inout TLSConfiguration) -> Void = { _ in }) throws -> TLSContext {
        var configuration = TLSConfiguration.server(certificateChain: [leaf.certificate], privateKey: leaf.key,
                                                    trustRoots: [root], revocationLists: crls)
        adjust(&configuration)
        return try TLSContext(configuration: configuration)
    }

    func clientContext(_ leaf: Leaf, trusting roots: [Certificate]? = nil,
                       adjust: (inout TLSConfiguration) -> Void = { _ in }) throws -> TLSContext {
        var configuration = TLSConfiguration.client(certificateChain: [leaf.certificate], privateKey: leaf.key,
                                                    trustRoots: roots ?? [root])
        adjust(&configuration)
        return try TLSContext(configuration: configuration)
    }

    @discardableResult
    private func run(_ arguments: [String]) throws -> String {
        try Self.run(in: directory, arguments)
    }

    @discardableResult
    private static func run(in directory: String, _ arguments: [String]) throws -> String {
        let result = try TLSCommand.run("/usr/bin/openssl", arguments, in: directory)
        guard result.status == 0 else {
            throw TLSCommand.Failure(command: "openssl " + arguments.joined(separator: " "), output: result.output)
        }
        return result.output
    }
}

/// Runs a command line tool (openssl, curl) with a time limit, capturing stdout and stderr together.
enum TLSCommand {
    struct Result {
        let status: Int32
        let output: String
    }

    struct Failure: Error, CustomStringConvertible {
        let command: String
        let output: String
        var description: String { "\(command) failed: \(output)" }
    }

    static func run(_ executable: String, _ arguments: [String], in directory: String,
                    input: String? = nil, timeout: TimeInterval = 20) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let stdin = Pipe()
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let killer = DispatchWorkItem { [process] in if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: killer)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        killer.cancel()
        return Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }
}
