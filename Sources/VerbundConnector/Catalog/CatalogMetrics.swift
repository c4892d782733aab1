/// Metrics of the catalog module.
enum CatalogMetrics {
    /// Counter: datasets served in DSP catalog pages.
    static let datasetsServed = "verbund_catalog_datasets_served_total"
    /// Counter: crawl rounds of the federated catalog.
    static let crawlRounds = "verbund_catalog_crawl_rounds_total"
    /// Counter: members crawled, label `result` (`ok`, `failed`).
    static let crawledMembers = "verbund_catalog_crawled_members_total"
    /// Counter: member crawls stopped at a crawl bound, label `bound` (`page-bytes`, `pages`, `datasets`, `bytes`).
    static let boundsExceeded = "verbund_catalog_crawl_bounds_exceeded_total"
    /// Gauge: datasets this member publishes (sampled from the store at each scrape, declared by `CatalogModule`).
    static let published = "verbund_catalog_published_datasets"
    /// Counter: dataset refreshes that read the source, label `result` (`published`, `unchanged`).
    static let refreshes = "verbund_catalog_refreshes_total"
    /// Counter: dataset refreshes that failed (the last good version stayed published).
    static let refreshFailures = "verbund_catalog_refresh_failures_total"
    /// Gauge: datasets whose last refresh failed (or that need one to be served).
    static let refreshFailing = "verbund_catalog_refresh_failing_datasets"
    /// Counter: downloads of open data from the public listener (`OpenDataRoutes`).
    static let openDownloads = "verbund_catalog_open_downloads_total"

    static func declare(in metrics: MetricsRegistry) {
        metrics.counter(datasetsServed, help: "Datasets served in DSP catalog pages.")
        metrics.counter(crawlRounds, help: "Crawl rounds of the federated catalog.")
        metrics.counter(crawledMembers, help: "Members crawled for the federated catalog, by result.")
        metrics.counter(boundsExceeded, help: "Member crawls stopped because the member's catalog passed a crawl bound.")
        metrics.counter(refreshes, help: "Dataset refreshes that read the source, by result.")
        metrics.counter(openDownloads, help: "Downloads of open data from the public listener (no contract).")
        metrics.counter(refreshFailures, help: "Dataset refreshes that failed; the last good version stayed published.")
    }
}
