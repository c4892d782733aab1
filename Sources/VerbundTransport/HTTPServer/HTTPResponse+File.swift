import VerbundHTTP

extension HTTPResponse {
    /// Serves the file at `path` for `request`, honouring `Range` and `If-Range` (RFC 9110 §14, §13.1.5):
    /// 200 with the whole file, 206 with one range, or 416 when no byte of the range exists.
    ///
    /// - Parameter etag: a strong entity tag (e.g. from the content digest); defaults to size and mtime.
    package static func file(at path: String, for request: HTTPRequest,
                            contentType: String = "application/octet-stream", etag: String? = nil) throws -> HTTPResponse {
        let file = try ReadableFile(path: path)
        let tag = etag ?? file.defaultETag
        var headers: HTTPHeaders = ["Content-Type": contentType, "Accept-Ranges": "bytes", "ETag": tag]
        let resolution = request.method == .get || request.method == .head
            ? HTTPByteRange.resolve(range: request.headers["range"], ifRange: request.headers["if-range"],
                                    etag: tag, length: file.size)
            : .full
        switch resolution {
        case .full:
            return HTTPResponse(status: .ok, headers: headers, body: .file(file, nil))
        case let .partial(range):
            headers.add("Content-Range", HTTPByteRange.contentRange(range, length: file.size))
            return HTTPResponse(status: .partialContent, headers: headers, body: .file(file, range))
        case .unsatisfiable:
            headers.remove("Content-Type")
            headers.add("Content-Range", HTTPByteRange.unsatisfiedContentRange(length: file.size))
            return HTTPResponse(status: .rangeNotSatisfiable, headers: headers, body: .empty)
        }
    }
}
