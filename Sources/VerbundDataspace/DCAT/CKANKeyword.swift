/// Keywords as CKAN accepts them as tags: CKAN's `ckanext-dcat` harvester turns every `dcat:keyword` into a tag, and
/// CKAN refuses the whole dataset when one tag has a character other than letters, digits, `_`, `-`, `.` and space,
/// or fewer than 2 or more than 100 characters (CKAN's `tag_name_validator` and `tag_length_validator`). The export
/// writes the fitted keyword and tells which it changed.
package enum CKANKeyword {
    package static let maximumLength = 100

    /// The keyword with each run of other characters (and the whitespace around them) replaced by one `-`, other
    /// whitespace runs by one space, trimmed, at most 100 characters; nil when fewer than 2 remain (left out).
    package static func fitted(_ keyword: String) -> String? {
        var out = ""
        var pendingSpace = false
        var pendingDash = false
        for character in keyword {
            if character.isWhitespace {
                pendingSpace = true
            } else if character.isLetter || character.isNumber || "_-.".contains(character) {
                if !out.isEmpty && pendingDash { out.append("-") } else if !out.isEmpty && pendingSpace { out.append(" ") }
                pendingSpace = false
                pendingDash = false
                out.append(character)
            } else {
                pendingDash = true
            }
        }
        let text = String(out.prefix(maximumLength))
        let trimmed = text.hasSuffix(" ") ? String(text.dropLast()) : text
        return trimmed.count >= 2 ? trimmed : nil
    }

    /// The keywords of `records` the export writes differently: the dataset id, the keyword, and what was written
    /// (nil: left out).
    package static func changes(_ records: [DatasetRecord]) -> [(dataset: String, keyword: String, written: String?)] {
        records.flatMap { record in
            record.keywords.compactMap { keyword in
                let written = fitted(keyword)
                return written == keyword ? nil : (record.id, keyword, written)
            }
        }
    }
}
