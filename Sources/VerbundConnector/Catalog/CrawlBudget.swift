/// How much one peer may make the crawler read in one crawl of its catalog. A peer serving huge pages or an endless
/// chain of `rel="next"` links (RFC 8288) is stopped at the first bound it passes; its crawl fails, and its datasets
/// from the last good crawl stay.
package struct CrawlBounds: Sendable, Equatable {
    /// Bytes of one catalog page (the response body).
    package var maxPageBytes: Int
    /// Pages per crawl of one peer.
    package var maxPages: Int
    /// Datasets per crawl of one peer (nested catalogs flattened).
    package var maxDatasets: Int
    /// Page bytes per crawl of one peer, all pages together.
    package var maxBytes: Int
    /// The total time one page may take (connect, request, whole answer).
    package var pageDeadline: Duration
    /// The total time one crawl of one peer may take, all pages together.
    package var peerDeadline: Duration

    package init(maxPageBytes: Int = 4 << 20, maxPages: Int = 1_000, maxDatasets: Int = 50_000, maxBytes: Int = 64 << 20,
                pageDeadline: Duration = .seconds(30), peerDeadline: Duration = .seconds(120)) {
        self.maxPageBytes = maxPageBytes
        self.maxPages = maxPages
        self.maxDatasets = maxDatasets
        self.maxBytes = maxBytes
        self.pageDeadline = pageDeadline
        self.peerDeadline = peerDeadline
    }

    package static let standard = CrawlBounds()
}

/// The bound a peer's catalog passed.
package enum CrawlBound: String, Sendable, Equatable {
    case pageBytes = "page-bytes"
    case pages
    case datasets
    case bytes
}

/// What one crawl of one peer has read so far, against its `CrawlBounds`: a pure value the fetcher asks before and
/// after each page.
struct CrawlBudget: Sendable, Equatable {
    let bounds: CrawlBounds
    private(set) var pages = 0
    private(set) var datasets = 0
    private(set) var bytes = 0

    init(bounds: CrawlBounds) {
        self.bounds = bounds
    }

    /// The most body bytes the next page may have: the page bound, or less when the crawl's byte total is nearly used.
    /// Nil when no further page may be read at all (the page or byte total is used up).
    var nextPageLimit: Int? {
        guard pages < bounds.maxPages, bytes < bounds.maxBytes else { return nil }
        return min(bounds.maxPageBytes, bounds.maxBytes - bytes)
    }

    /// Which bound stops the next page, if any (for the log line when `nextPageLimit` is nil).
    var exhausted: CrawlBound? {
        if pages >= bounds.maxPages { return .pages }
        if bytes >= bounds.maxBytes { return .bytes }
        return nil
    }

    /// A page of `pageBytes` bytes with `pageDatasets` datasets was read; returns the bound it passed, if any.
    mutating func read(pageBytes: Int, pageDatasets: Int) -> CrawlBound? {
        pages += 1
        bytes += pageBytes
        datasets += pageDatasets
        if pageBytes > bounds.maxPageBytes { return .pageBytes }
        if bytes > bounds.maxBytes { return .bytes }
        if datasets > bounds.maxDatasets { return .datasets }
        return nil
    }

    /// The limit a bound stands for, for the log line.
    func limit(of bound: CrawlBound) -> Int {
        switch bound {
        case .pageBytes: bounds.maxPageBytes
        case .pages: bounds.maxPages
        case .datasets: bounds.maxDatasets
        case .bytes: bounds.maxBytes
        }
    }
}
