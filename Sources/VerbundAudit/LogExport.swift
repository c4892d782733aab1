import Foundation
import VerbundTrust

/// A whole log as a file: JSON Lines (one entry per line, in index order), each line exactly the canonical JSON bytes
/// that were hashed into the leaf. Canonical JSON (RFC 8785) escapes control characters, so an entry never contains
/// a newline, and an auditor can re-hash a line with any tool: leaf = SHA-256(0x00 ‖ line without its newline).
package enum LogExport {
    /// The file's bytes for `entries`.
    package static func lines(_ entries: [LogEntry]) -> [UInt8] {
        var out: [UInt8] = []
        for entry in entries {
            out += entry.canonicalJSON
            out.append(0x0a)
        }
        return out
    }

    /// Splits a file into its lines (without newlines); a final newline is optional, empty lines are kept so that
    /// a removed entry is not silently skipped.
    package static func split(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        guard !bytes.isEmpty else { return [] }
        var lines = bytes.split(separator: 0x0a, omittingEmptySubsequences: false)
        if bytes.last == 0x0a { lines.removeLast() }
        return lines
    }

    /// Re-hashes every line of `bytes` and checks the first `sth.treeSize` of them against the signed tree head
    /// given as compact JWS text; with `root`, also that the head's signer chains to it (and is not on `crl`).
    package static func verify(_ bytes: [UInt8], signedTreeHead text: String, root: Certificate?,
                              crl: CertificateRevocationList? = nil) -> AuditReport {
        var report = AuditReport()
        let sth: SignedTreeHead
        do {
            sth = try SignedTreeHead(compact: text)
        } catch {
            report.fail("tree-head-signature", "\(error)")
            return report
        }
        report.pass("tree-head-signature", "ES256 signature by \(sth.signer.subject) over tree size \(sth.treeSize)")
        if let root {
            do {
                try sth.verifyChain(ChainVerifier(root: root, crl: crl), at: sth.head.timestamp)
                report.pass("tree-head-signer", "the signer's certificate chains to the federation root"
                    + (crl == nil ? "" : " and is not on the CRL"))
            } catch {
                report.fail("tree-head-signer", "\(error)")
            }
        }

        let lines = split(bytes)
        var leaves: [[UInt8]] = []
        leaves.reserveCapacity(lines.count)
        var badLine: Int?
        for (number, line) in lines.enumerated() {
            if badLine == nil, !CanonicalJSON.isCanonical(line) { badLine = number }
            leaves.append(MerkleTree.leafHash(line))
        }
        if let badLine {
            report.fail("entries-format", "line \(badLine + 1) (entry \(badLine)) is not canonical JSON: it was edited")
        } else {
            report.pass("entries-format", "\(lines.count) lines, each canonical JSON")
        }

        if lines.count < sth.treeSize {
            report.fail("entry-count", "the signed tree head covers \(sth.treeSize) entries but the file has only \(lines.count): entries were removed")
            return report
        }
        report.pass("entry-count", "the file holds the \(sth.treeSize) entries the signed tree head covers")
        if lines.count > sth.treeSize {
            report.notice("uncovered-entries", "entries \(sth.treeSize)…\(lines.count - 1) were appended after this signed tree head and are not covered by it")
        }
        let root = MerkleTree.rootHash(ofLeafHashes: Array(leaves.prefix(sth.treeSize)))
        report.record("root-hash", ok: root == sth.rootHash,
                      "the entries re-hash to the signed root \(Hex.encode(sth.rootHash))",
                      failure: "the entries re-hash to \(Hex.encode(root)), not to the signed root \(Hex.encode(sth.rootHash)): entries were changed, reordered, inserted or removed")
        return report
    }
}
