import VerbundAudit

/// The log's JSON value under a name that does not clash with `VerbundDataspace.JSONValue` in files importing both.
public typealias VerbundAuditValue = VerbundAudit.JSONValue
