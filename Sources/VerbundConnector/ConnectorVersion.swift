/// The Verbund release this connector reports in its logs and on `/healthz`.
package enum ConnectorVersion {
    package static let current = "0.1.0"
}
