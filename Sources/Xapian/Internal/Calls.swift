import CXapian

/// Runs one shim call that reports failure through a `qx_error**`; throws it as a XapianError.
@inline(__always)
func shimCall(_ call: (UnsafeMutablePointer<OpaquePointer?>) -> Int32) throws(XapianError) {
    var error: OpaquePointer?
    if call(&error) != 0 { throw XapianError(consuming: error) }
}

/// Lends a string's UTF-8 bytes to C without copying (native Swift strings are contiguous UTF-8).
@inline(__always)
func withBytes<R>(_ string: String, _ body: (UnsafePointer<CChar>?, Int) -> R) -> R {
    var string = string
    return string.withUTF8 { buffer in
        body(UnsafeRawPointer(buffer.baseAddress)?.assumingMemoryBound(to: CChar.self), buffer.count)
    }
}

@inline(__always)
func withBytes<R>(_ bytes: [UInt8], _ body: (UnsafePointer<CChar>?, Int) -> R) -> R {
    bytes.withUnsafeBufferPointer { buffer in
        body(UnsafeRawPointer(buffer.baseAddress)?.assumingMemoryBound(to: CChar.self), buffer.count)
    }
}

extension qx_string {
    /// Copies the bytes out and frees the C buffer.
    mutating func takeBytes() -> [UInt8] {
        defer { qx_string_free(&self) }
        guard let data, len > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: data, count: len))
    }

    /// Decodes as UTF-8 (invalid sequences become U+FFFD) and frees the C buffer.
    mutating func takeString() -> String {
        defer { qx_string_free(&self) }
        guard let data, len > 0 else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: data, count: len), as: UTF8.self)
    }
}

/// Runs a shim call that yields a string; returns it decoded as UTF-8.
@inline(__always)
func stringResult(_ call: (UnsafeMutablePointer<qx_string>, UnsafeMutablePointer<OpaquePointer?>) -> Int32)
    throws(XapianError) -> String
{
    var out = qx_string(data: nil, len: 0)
    try shimCall { call(&out, $0) }
    return out.takeString()
}

@inline(__always)
func bytesResult(_ call: (UnsafeMutablePointer<qx_string>, UnsafeMutablePointer<OpaquePointer?>) -> Int32)
    throws(XapianError) -> [UInt8]
{
    var out = qx_string(data: nil, len: 0)
    try shimCall { call(&out, $0) }
    return out.takeBytes()
}

/// Runs a shim call that yields a materialised list; maps each item and frees the list.
func listResult<T>(
    _ call: (UnsafeMutablePointer<OpaquePointer?>, UnsafeMutablePointer<OpaquePointer?>) -> Int32,
    _ transform: (_ bytes: UnsafeRawBufferPointer, _ number: UInt64, _ weight: Double) -> T
) throws(XapianError) -> [T] {
    var list: OpaquePointer?
    try shimCall { call(&list, $0) }
    guard let list else { return [] }
    defer { qx_list_free(list) }
    let count = qx_list_size(list)
    var result: [T] = []
    result.reserveCapacity(count)
    for i in 0..<count {
        var length = 0
        let pointer = qx_list_bytes(list, i, &length)
        result.append(transform(UnsafeRawBufferPointer(start: pointer, count: length),
                                qx_list_number(list, i), qx_list_weight(list, i)))
    }
    return result
}

extension String {
    init(utf8Bytes bytes: UnsafeRawBufferPointer) {
        self = String(decoding: bytes, as: UTF8.self)
    }
}
