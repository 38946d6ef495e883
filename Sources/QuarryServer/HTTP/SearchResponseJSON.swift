import NIOCore
import QuarryAPI

/// A value the worker can write as JSON straight into the response buffer.
protocol DirectJSON {
    func writeJSON(into buffer: inout ByteBuffer)
}

/// Search results are the daemon's hot path: written by hand, field for field what `SearchResponse`'s
/// Codable form is (nil fields left out), because Foundation's JSONEncoder cost ~85 µs per 10-hit page here.
extension SearchResponse: DirectJSON {
    func writeJSON(into buffer: inout ByteBuffer) {
        buffer.writeStaticString(#"{"query":"#)
        buffer.writeJSONString(query)
        buffer.writeStaticString(#","total":{"estimated":"#)
        buffer.writeString(String(total.estimated))
        buffer.writeStaticString(#","lower":"#)
        buffer.writeString(String(total.lower))
        buffer.writeStaticString(#","upper":"#)
        buffer.writeString(String(total.upper))
        buffer.writeStaticString(total.exact ? #","exact":true},"hits":["# : #","exact":false},"hits":["#)
        for (index, hit) in hits.enumerated() {
            if index > 0 { buffer.writeStaticString(",") }
            hit.writeJSON(into: &buffer)
        }
        buffer.writeStaticString("]")
        if let facets {
            buffer.writeStaticString(#","facets":{"#)
            for (index, (name, counts)) in facets.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { buffer.writeStaticString(",") }
                buffer.writeJSONString(name)
                buffer.writeStaticString(":[")
                for (position, count) in counts.enumerated() {
                    if position > 0 { buffer.writeStaticString(",") }
                    buffer.writeStaticString(#"{"value":"#)
                    buffer.writeJSONString(count.value)
                    buffer.writeStaticString(#","count":"#)
                    buffer.writeString(String(count.count))
                    buffer.writeStaticString("}")
                }
                buffer.writeStaticString("]")
            }
            buffer.writeStaticString("}")
        }
        if let suggestion {
            buffer.writeStaticString(#","suggestion":"#)
            buffer.writeJSONString(suggestion)
        }
        if let notes {
            buffer.writeStaticString(#","notes":["#)
            for (index, note) in notes.enumerated() {
                if index > 0 { buffer.writeStaticString(",") }
                buffer.writeJSONString(note)
            }
            buffer.writeStaticString("]")
        }
        buffer.writeStaticString(#","tookMicroseconds":"#)
        buffer.writeString(String(tookMicroseconds))
        buffer.writeStaticString("}")
    }
}

extension SearchHit {
    func writeJSON(into buffer: inout ByteBuffer) {
        buffer.writeStaticString(#"{"rank":"#)
        buffer.writeString(String(rank))
        buffer.writeStaticString(#","id":"#)
        buffer.writeJSONString(id)
        buffer.writeStaticString(#","score":"#)
        // Swift prints the shortest digits that read back exactly; scores are always finite.
        buffer.writeString(score.isFinite ? String(score) : "0")
        buffer.writeStaticString(#","percent":"#)
        buffer.writeString(String(percent))
        buffer.writeStaticString(#","title":"#)
        buffer.writeJSONString(title)
        if let date {
            buffer.writeStaticString(#","date":"#)
            buffer.writeJSONString(date.iso)
        }
        if let category {
            buffer.writeStaticString(#","category":"#)
            buffer.writeJSONString(category)
        }
        if let url {
            buffer.writeStaticString(#","url":"#)
            buffer.writeJSONString(url)
        }
        if let snippet {
            buffer.writeStaticString(#","snippet":"#)
            buffer.writeJSONString(snippet)
        }
        if let collapsed {
            buffer.writeStaticString(#","collapsed":"#)
            buffer.writeString(String(collapsed))
        }
        buffer.writeStaticString("}")
    }
}
