/// The licences of the dcat-ap.de licence vocabulary (`http://dcat-ap.de/def/licenses`), version 20200715: every
/// `skos:Concept` of `dcat-ap-de-licenses-20200715.rdf` (published at https://www.dcat-ap.de/def/licenses/; the copy
/// checked against is `shared/dcat-ap-de/vocab/` beside the repository, see its README), with its German label.
/// Generated from that file (IRI and `skos:prefLabel@de` of each concept); regenerate when the vocabulary changes.
package enum DCATLicence {
    package static let vocabularyVersion = "20200715"

    package static let all: [(iri: String, label: String)] = [
        ("http://dcat-ap.de/def/licenses/apache", "Freie Softwarelizenz der Apache Software Foundation"),
        ("http://dcat-ap.de/def/licenses/bsd", "BSD Lizenz"),
        ("http://dcat-ap.de/def/licenses/cc-by", "Creative Commons Namensnennung (CC-BY)"),
        ("http://dcat-ap.de/def/licenses/cc-by-de/3.0", "Creative Commons Namensnennung 3.0 Deutschland (CC BY 3.0 DE)"),
        ("http://dcat-ap.de/def/licenses/cc-by-nc", "Creative Commons Namensnennung - Nicht kommerziell (CC BY-NC)"),
        ("http://dcat-ap.de/def/licenses/cc-by-nc-de/3.0", "Creative Commons Namensnennung-Nicht kommerziell 3.0 Deutschland (CC BY-NC 3.0 DE)"),
        ("http://dcat-ap.de/def/licenses/cc-by-nc/4.0", "Creative Commons Namensnennung - Nicht kommerziell 4.0 International (CC BY-NC 4.0)"),
        ("http://dcat-ap.de/def/licenses/cc-by-nd", "Creative Commons Namensnennung - Keine Bearbeitung (CC BY-ND)"),
        ("http://dcat-ap.de/def/licenses/cc-by-nd/3.0", "Creative Commons Namensnennung -- Keine Bearbeitung 3.0 Unported (CC BY-ND 3.0)"),
        ("http://dcat-ap.de/def/licenses/cc-by-nd/4.0", "Creative Commons Namensnennung - - Keine Bearbeitung 4.0 International (CC BY-ND 4.0)"),
        ("http://dcat-ap.de/def/licenses/cc-by-sa", "Creative Commons Namensnennung - Weitergabe unter gleichen Bedingungen (CC-BY-SA)"),
        ("http://dcat-ap.de/def/licenses/cc-by-sa-de/3.0", "Creative Commons Namensnennung - Weitergabe unter gleichen Bedingungen 3.0 Deutschland (CC BY-SA 3.0 DE) "),
        ("http://dcat-ap.de/def/licenses/cc-by-sa/4.0", "Creative Commons Namensnennung - Weitergabe unter gleichen Bedingungen 4.0 International (CC-BY-SA 4.0)"),
        ("http://dcat-ap.de/def/licenses/cc-by/4.0", "Creative Commons Namensnennung – 4.0 International (CC BY 4.0)"),
        ("http://dcat-ap.de/def/licenses/cc-zero", "Creative Commons CC Zero License (cc-zero)"),
        ("http://dcat-ap.de/def/licenses/ccpdm/1.0", "Public Domain Mark 1.0 (PDM)"),
        ("http://dcat-ap.de/def/licenses/dl-by-de/1.0", "Datenlizenz Deutschland Namensnennung 1.0"),
        ("http://dcat-ap.de/def/licenses/dl-by-de/2.0", "Datenlizenz Deutschland Namensnennung 2.0"),
        ("http://dcat-ap.de/def/licenses/dl-by-nc-de/1.0", "Datenlizenz Deutschland Namensnennung nicht-kommerziell 1.0"),
        ("http://dcat-ap.de/def/licenses/dl-zero-de/2.0", "Datenlizenz Deutschland – Zero – Version 2.0"),
        ("http://dcat-ap.de/def/licenses/geoNutz/20131001", "Nutzungsbestimmungen für die Bereitstellung von Geodaten des Landes Berlin"),
        ("http://dcat-ap.de/def/licenses/geonutz/20130319", "Nutzungsbestimmungen für die Bereitstellung von Geodaten des Bundes"),
        ("http://dcat-ap.de/def/licenses/gfdl", "GNU Free Documentation License (GFDL)"),
        ("http://dcat-ap.de/def/licenses/gpl/3.0", "GNU General Public License version 3.0 (GPLv3)"),
        ("http://dcat-ap.de/def/licenses/mozilla", "Mozilla Public License 2.0 (MPL)"),
        ("http://dcat-ap.de/def/licenses/odbl", "Open Data Commons Open Database License (ODbL)"),
        ("http://dcat-ap.de/def/licenses/odby", "Open Data Commons Attribution License (ODC-BY 1.0)"),
        ("http://dcat-ap.de/def/licenses/odcpddl", "Open Data Commons Public Domain Dedication and Licence (ODC PDDL)"),
        ("http://dcat-ap.de/def/licenses/officialWork", "Amtliches Werk, lizenzfrei nach §5 Abs. 1 UrhG"),
        ("http://dcat-ap.de/def/licenses/other-closed", "Andere geschlossene Lizenz"),
        ("http://dcat-ap.de/def/licenses/other-commercial", "Andere kommerzielle Lizenz"),
        ("http://dcat-ap.de/def/licenses/other-freeware", "Andere Freeware Lizenz"),
        ("http://dcat-ap.de/def/licenses/other-open", "Andere offene Lizenz"),
        ("http://dcat-ap.de/def/licenses/other-opensource", "Andere Open Source Lizenz"),
    ]

    package static let iris: Set<String> = Set(all.map(\.iri))

    /// Whether `iri` names a licence of the vocabulary (exact match; the vocabulary uses `http://`).
    package static func isKnown(_ iri: String) -> Bool { iris.contains(iri) }
}
