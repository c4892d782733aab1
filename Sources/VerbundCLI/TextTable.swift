/// A plain-text table with a header row: columns padded to their widest cell, the last column left ragged (it holds
/// free text such as a reason). Cells must already be safe to print (`TerminalText.shown`).
enum TextTable {
    static func render(header: [String], rows: [[String]]) -> [String] {
        let all = [header] + rows
        let widths = (0..<max(header.count - 1, 0)).map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            zip(row.dropLast(), widths).map { $0.padding(toLength: $1 + 2, withPad: " ", startingAt: 0) }.joined()
                + (row.last ?? "")
        }
    }
}
