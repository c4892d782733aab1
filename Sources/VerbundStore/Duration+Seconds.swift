extension Duration {
    /// The duration as floating-point seconds (attosecond precision is far below what timers need).
    var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
