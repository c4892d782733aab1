/// The Verbund release this connector reports in its logs and on `/healthz`.
public enum ConnectorVersion {
    public static let current = "0.1.0"
}
