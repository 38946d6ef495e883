extension JSONValue {
    /// Parses one JSON text (RFC 8259; raw control characters inside strings are tolerated).
    public init(parsing text: String) throws(JSONParseError) {
        var copy = text
        let result = copy.withUTF8 { buffer in
            Result { () throws(JSONParseError) in try JSONByteParser.parseDocument(UnsafeRawBufferPointer(buffer)) }
        }
        self = try result.get()
    }

    /// Parses one JSON text from UTF-8 bytes.
    public init(parsing bytes: [UInt8]) throws(JSONParseError) {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(JSONParseError) in try JSONByteParser.parseDocument(buffer) }
        }
        self = try result.get()
    }
}
