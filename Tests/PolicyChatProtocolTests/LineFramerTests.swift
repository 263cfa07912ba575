import PolicyChatProtocol
import Testing

@Suite struct LineFramerTests {
  private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

  @Test func linesAreSplitAtNewlinesAcrossChunks() {
    var framer = LineFramer(maxLineBytes: 100)
    #expect(framer.push(bytes("{\"a\":")) == [])
    #expect(framer.push(bytes("1}\n{\"b\"")) == [.line(bytes("{\"a\":1}"))])
    #expect(framer.push(bytes(":2}\r\n")) == [.line(bytes("{\"b\":2}"))])
  }

  @Test func anOverlongLineIsReportedOnceAndSkippedToTheNextNewline() {
    var framer = LineFramer(maxLineBytes: 8)
    var events: [LineFramer.Event] = []
    for _ in 0..<1_000 { events += framer.push(bytes("xxxxxxxxxx")) }
    events += framer.push(bytes("yyy\nok\n"))
    #expect(events == [.tooLong, .line(bytes("ok"))])
  }

  @Test func aLineOfExactlyTheLimitIsKept() {
    var framer = LineFramer(maxLineBytes: 4)
    #expect(framer.push(bytes("abcd\nabcde\n")) == [.line(bytes("abcd")), .tooLong])
  }

  @Test func aLastLineWithoutNewlineCountsAtTheEnd() {
    var framer = LineFramer(maxLineBytes: 100)
    #expect(framer.push(bytes("one\ntwo")) == [.line(bytes("one"))])
    #expect(framer.finish() == [.line(bytes("two"))])
    #expect(framer.finish() == [])
  }

  @Test func anOverlongLineCutByTheEndOfInputIsNotReportedTwice() {
    var framer = LineFramer(maxLineBytes: 2)
    #expect(framer.push(bytes("abcdef")) == [.tooLong])
    #expect(framer.finish() == [])
  }
}
