import Foundation
import VerbundConnector
import VerbundDataspace

/// The `verbund datasets publish` options that say who stands behind a dataset and whether it is open data
/// (docs/dcat-ap-de.md, "Publishing the metadata"; docs/operator.md, "Open data"). The daemon checks the values and
/// names the field it refuses.
enum ProvenancePublishOptions {
    static let options: [OptionSpec] = [
        .value("maintainer", "NAME", "Who maintains the data (dcatde:maintainer; geodcatap:custodian in DCAT-AP.de 3.0)."),
        .value("maintainer-email", "ADDRESS", "The maintainer's email address (needs --maintainer)."),
        .value("maintainer-homepage", "URL", "The maintainer's web page (needs --maintainer)."),
        .value("originator", "NAME", "Who originated the data (dcatde:originator; geodcatap:originator in 3.0)."),
        .value("originator-email", "ADDRESS", "The originator's email address (needs --originator)."),
        .value("originator-homepage", "URL", "The originator's web page (needs --originator)."),
        .value("availability", "CODE", "Planned availability (dcatap:availability): AVAILABLE, EXPERIMENTAL, STABLE, TEMPORARY or the EU IRI."),
        .value("identifier", "TEXT", "The city's own identifier of the dataset (dct:identifier; default: its IRI)."),
        .value("contributor-id", "URI", "dcatde:contributorID of the dataset, http://dcat-ap.de/def/contributors/… (default: the catalog's)."),
        .flag("open", "Open data: anyone may download the file from the public listener (/open/<id>) without a contract; "
              + "implies --public and access right PUBLIC; not for an API dataset."),
    ]

    /// Sets the fields the options give; an email address or web page without its name is a usage error.
    static func apply(_ arguments: ParsedArguments, to publication: inout DatasetPublication) throws {
        publication.maintainer = try agent(arguments, "maintainer")
        publication.originator = try agent(arguments, "originator")
        publication.availability = arguments.value("availability")
        publication.identifier = arguments.value("identifier")
        publication.contributorID = arguments.value("contributor-id")
        if arguments.flag("open") { publication.open = true }
    }

    static func agent(_ arguments: ParsedArguments, _ role: String) throws -> DatasetMetadata.Agent? {
        let email = arguments.value(role + "-email"), homepage = arguments.value(role + "-homepage")
        guard let name = arguments.value(role) else {
            if email != nil || homepage != nil { throw CLIError.usage("--\(role)-email and --\(role)-homepage need --\(role) NAME") }
            return nil
        }
        return DatasetMetadata.Agent(name: name, email: email, homepage: homepage)
    }
}
