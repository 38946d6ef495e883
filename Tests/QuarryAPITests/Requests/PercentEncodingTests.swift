import QuarryAPI
import Testing

@Suite struct PercentEncodingTests {
    @Test(arguments: ["world/000_x.txt", "a b?c#d%e&f=g+h", "Zoë/中文", "../etc", ""])
    func percentEncodingIsReadBack(text: String) {
        #expect(PercentDecoding.decode(PercentEncoding.queryComponent(text)[...], plusAsSpace: true) == text)
        #expect(PercentDecoding.decode(PercentEncoding.path(text)[...], plusAsSpace: false) == text)
        #expect(PercentEncoding.path(text).split(separator: "/").count == text.split(separator: "/").count)
    }
}
