extension String {
    /// A request with the given extra headers; Host is always set.
    public static func request(_ method: String, _ target: String, body: String? = nil,
                               headers: [String] = [], version: String = "HTTP/1.1") -> String {
        var lines = ["\(method) \(target) \(version)", "Host: quarry"] + headers
        if let body {
            lines.append("Content-Length: \(body.utf8.count)")
            lines.append("Content-Type: application/json")
        }
        return lines.joined(separator: "\r\n") + "\r\n\r\n" + (body ?? "")
    }
}
