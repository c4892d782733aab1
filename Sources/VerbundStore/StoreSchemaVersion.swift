/// The version of the SQLite schema this build writes; migrations bring older databases up to it.
package enum StoreSchemaVersion {
    package static var current: Int { StoreSchema.currentVersion }
}
