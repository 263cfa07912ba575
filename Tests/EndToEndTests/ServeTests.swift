import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `policychat serve` as a web front end uses it: JSON-RPC 2.0, one message per line, over pipes.
@Suite("Stdio server")
struct ServeTests {
  static let policyQuestion = "Do you sell personal information?"
  static let policyAnswer = "does not sell"
  /// Personal data that must never reach stderr: a made-up email address and ID number.
  static let email = "thandi.mokoena@example.org"
  static let idNumber = "8001015009087"
  static let personalText = "I am Thandi, my email is \(email) and my ID number is \(idNumber)"

  @Test("A full conversation: initialize, open, ask, follow up, explain, close")
  func fullConversation() async throws {
    try await withServer { client in
      let initialize = try await client.call("initialize")
      let info = try #require(initialize.result, "\(initialize.text)")
      #expect(info["serverName"] == "policychat")
      #expect(info["protocolVersion"] == "1")
      #expect(info["serverVersion"]?.string?.isEmpty == false)
      #expect(info["policy"]?["organisation"] == "Rousora")
      #expect(info["policy"]?["version"]?.string != nil && info["policy"]?["lastUpdated"]?.string != nil)
      let methods = Set((info["methods"]?.array ?? []).compactMap(\.string))
      #expect(methods.isSuperset(of: ["initialize", "session.open", "chat.send", "chat.explain", "session.close"]))

      let opened = try await client.call("session.open", ["country": "DE", "locale": "de-DE"])
      try expectTurn(opened)
      let session = try #require(opened.result?["sessionId"]?.string)
      #expect(opened.replyText.contains("automated"), "\(opened.text)")

      let answer = try await client.say(Self.policyQuestion, in: session)
      try expectTurn(answer, in: session)
      #expect(answer.replyText.contains(Self.policyAnswer), "\(answer.text)")
      #expect(answer.result?["intent"] == "policy.sharing")
      let sources = answer.result?["sources"]?.array ?? []
      #expect(!sources.isEmpty && sources.allSatisfy { $0["id"]?.string != nil && $0["title"]?.string != nil })

      let question = try await client.say("How long does cookie consent last in Germany?", in: session)
      let followUp = try await client.say("and how long is that valid?", in: session)
      try expectTurn(followUp, in: session)
      #expect(question.result?["intent"] == "policy.cookies.consent", "\(question.text)")
      #expect(followUp.result?["intent"] == "policy.cookies.consent", "\(followUp.text)")

      let explained = try await client.call("chat.explain", ["sessionId": .string(session)])
      #expect(explained.result?["sessionId"]?.string == session)
      #expect(explained.result?["trace"]?.object != nil, "\(explained.text)")

      let closed = try await client.call("session.close", ["sessionId": .string(session)])
      #expect(closed.result == ["sessionId": .string(session), "closed": true])

      let afterClose = try await client.say(Self.policyQuestion, in: session)
      #expect(afterClose.errorCode == -32001 && afterClose.reason == "unknown_session", "\(afterClose.text)")

      client.closeInput()
      #expect(try await client.waitForExit() == .exit(0), "stderr: \(client.errorOutput)")
    }
  }

  @Test("Three interleaved sessions keep their own answers and follow-ups")
  func interleavedSessions() async throws {
    try await withServer { client in
      let topics = [
        ("How long does cookie consent last in Germany?", "policy.cookies.consent"),
        ("Can I delete my data?", "policy.rights.erasure"),
        ("How long do you keep my data?", "policy.retention.periods"),
      ]
      var sessions: [String] = []
      for _ in topics { sessions.append(try await client.openSession()) }
      #expect(Set(sessions).count == 3)

      for (index, (question, intent)) in topics.enumerated() {
        let turn = try await client.say(question, in: sessions[index])
        #expect(turn.result?["sessionId"]?.string == sessions[index])
        #expect(turn.result?["intent"]?.string == intent, "\(turn.text)")
      }
      // The same words in every session: only each session's own topic can tell the answers apart.
      for index in [2, 0, 1, 1, 2, 0] {
        let turn = try await client.say("tell me more", in: sessions[index])
        #expect(turn.result?["sessionId"]?.string == sessions[index])
        #expect(turn.result?["intent"]?.string == topics[index].1, "session \(index): \(turn.text)")
      }
      client.closeInput()
      #expect(try await client.waitForExit() == .exit(0), "stderr: \(client.errorOutput)")
    }
  }

  @Test("Every error is answered with its code and reason, and the stream goes on", arguments: ErrorCase.all)
  func errorIsAnsweredAndStreamGoesOn(_ error: ErrorCase) async throws {
    try await withServer(options: error.options) { client in
      let session = try await client.openSession()
      client.send(bytes: error.line + [UInt8(ascii: "\n")])
      let response = try await client.nextMessage()
      #expect(response.errorCode == error.code, "\(response.text)")
      #expect(response.reason == error.reason, "\(response.text)")
      #expect(response.id == error.id, "\(response.text)")
      #expect(response.field == error.field, "\(response.text)")
      #expect(response["jsonrpc"] == "2.0" && response.result == nil)
      #expect(response["error"]?["message"]?.string?.isEmpty == false)

      let next = try await client.say(Self.policyQuestion, in: session)
      #expect(next.replyText.contains(Self.policyAnswer), "\(next.text)")
      client.closeInput()
      #expect(try await client.waitForExit() == .exit(0), "stderr: \(client.errorOutput)")
    }
  }

  @Test("A database that cannot be written still answers questions, gives -32003 for a consent, then recovers")
  func storageFailureIsAnswered() async throws {
    let sqlite = try locateExecutable("sqlite3", purpose: "it holds a lock on the server's database")
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("policychat-lock-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let database = folder.appendingPathComponent("chat.sqlite").path
    try await withServer(database: database) { client in
      let session = try await client.openSession()
      let consent: JSON = ["sessionId": .string(session), "purpose": "marketing", "granted": false]
      let lock = try DatabaseLock(sqlite: sqlite, database: database, folder: folder)
      let answered: JSON
      let refused: JSON
      do {
        defer { lock.release() }
        try await lock.waitUntilHeld()
        answered = try await client.say(Self.policyQuestion, in: session)
        refused = try await client.call("consent.set", consent)
      }
      // The answer goes out; only its log record is missing, and the turn says so.
      #expect(answered.replyText.contains(Self.policyAnswer), "\(answered.text)")
      #expect(answered.text.contains("storage.warning"), "\(answered.text)")
      #expect(refused.errorCode == -32003 && refused.reason == "storage", "\(refused.text)")
      #expect(refused.id != .null)
      let recorded = try await client.call("consent.set", consent)
      #expect(recorded.result?["state"]?["consents"]?["marketing"]?.string == "refused", "\(recorded.text)")
      let next = try await client.say(Self.policyQuestion, in: session)
      #expect(next.replyText.contains(Self.policyAnswer), "\(next.text)")
      #expect(!next.text.contains("storage.warning"), "\(next.text)")
    }
  }

  @Test("A 5 MiB line gets one line_too_long error, is never held whole, and the next request succeeds")
  func hugeLineIsSkipped() async throws {
    try await withServer { client in
      let session = try await client.openSession()
      _ = try await client.say(Self.policyQuestion, in: session)
      let baseline = try client.peakMemoryKiB()

      let head = #"{"jsonrpc":"2.0","id":"huge","method":"chat.send","params":{"sessionId":"\#(session)","text":""#
      let line = Array(head.utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: 5 << 20) + Array("\"}}\n".utf8)
      client.send(bytes: line)
      let error = try await client.nextMessage()
      #expect(error.errorCode == -32002 && error.reason == "line_too_long", "\(error.text)")
      #expect(error.id == .null)
      // Had the rest of the line been read as a new line, its error would come before this answer.
      let next = try await client.say(Self.policyQuestion, in: session)
      #expect(next.replyText.contains(Self.policyAnswer), "\(next.text)")

      // The server keeps at most --max-line (1 MiB) of a line; holding the 5 MiB line would
      // add 5 MiB or more.
      let growth = try client.peakMemoryKiB() - baseline
      #expect(growth < 4096, "peak memory grew by \(growth) KiB from \(baseline) KiB")
      client.closeInput()
      #expect(try await client.waitForExit() == .exit(0), "stderr: \(client.errorOutput)")
    }
  }

  @Test("Invalid UTF-8 inside a request gets an invalid_utf8 parse error, and the stream goes on")
  func invalidUTF8InRequest() async throws {
    try await withServer { client in
      let session = try await client.openSession()
      // Latin-1 "café" and a stray continuation byte, as a front end with the wrong encoding sends.
      let request = #"{"jsonrpc":"2.0","id":9,"method":"chat.send","params":{"sessionId":"\#(session)","text":"caf"#
      client.send(bytes: Array(request.utf8) + [0xE9, 0x80] + Array("\"}}\n".utf8))
      let error = try await client.nextMessage()
      #expect(error.errorCode == -32700 && error.reason == "invalid_utf8" && error.id == .null, "\(error.text)")
      let next = try await client.say("Is my café order history shared?", in: session)
      #expect(next.result?["sessionId"]?.string == session, "\(next.text)")
    }
  }

  @Test("A notification gets no response: the first line out answers the request after it")
  func notificationGetsNoResponse() async throws {
    try await withServer { client in
      let session = try await client.openSession()
      let params: JSON = ["sessionId": .string(session), "text": .string(Self.policyQuestion)]
      client.send(ServeClient.request(id: nil, method: "chat.send", params: params))
      // Not even a failing notification is answered.
      client.send(ServeClient.request(id: nil, method: "no.such.method"))
      client.send("")
      let response = try await client.call("initialize")
      #expect(response.result?["serverName"] == "policychat")
      try await Task.sleep(for: .milliseconds(200))
      #expect(!client.hasUnreadLine)
    }
  }

  @Test("A last request without its newline is still answered at the end of the input")
  func lastLineWithoutNewlineIsAnswered() async throws {
    try await withServer { client in
      client.send(bytes: Array(ServeClient.request(id: "last", method: "initialize").utf8))
      client.closeInput()
      let response = try await client.nextMessage()
      #expect(response.id == "last" && response.result?["serverName"] == "policychat", "\(response.text)")
      #expect(try await client.waitForExit() == .exit(0), "stderr: \(client.errorOutput)")
    }
  }

  @Test("A request cut off by the end of the input gets a parse error, and the server exits 0")
  func truncatedLastLineIsAParseError() async throws {
    try await withServer { client in
      client.send(bytes: Array(#"{"jsonrpc":"2.0","id":7,"method":"chat.se"#.utf8))
      client.closeInput()
      let response = try await client.nextMessage()
      #expect(response.errorCode == -32700 && response.reason == "invalid_json", "\(response.text)")
      #expect(response.id == .null)
      #expect(try await client.waitForExit() == .exit(0), "stderr: \(client.errorOutput)")
      #expect(!client.hasUnreadLine)
    }
  }

  @Test("SIGTERM while idle ends the server with status 0 and nothing personal on stderr")
  func terminationWhileIdle() async throws {
    try await withServer { client in
      let session = try await client.openSession()
      _ = try await client.say(Self.personalText, in: session)
      _ = try await client.say(Self.policyQuestion, in: session)
      client.sendSignal(SIGTERM)
      #expect(try await client.waitForExit(timeout: .seconds(10)) == .exit(0), "stderr: \(client.errorOutput)")
      try expectNothingPersonal(in: client.errorOutput)
    }
  }

  @Test("SIGTERM in the middle of a burst of requests ends with status 0 and only whole lines out")
  func terminationWhileBusy() async throws {
    try await withServer { client in
      let session = try await client.openSession()
      let params: JSON = ["sessionId": .string(session), "text": .string(Self.policyQuestion)]
      // Long enough that the signal lands mid-burst even on a busy machine running tests in
      // parallel (300, and once 2,000 in a full run with PostgreSQL's tests beside it, were
      // answered whole before the signal arrived).
      let burst = (1...6_000).map {
        ServeClient.request(id: .number(Double(1_000 + $0)), method: "chat.send", params: params)
      }
      client.send(bytes: Array(burst.map { $0 + "\n" }.joined().utf8))
      for _ in 0..<3 { _ = try await client.nextMessage() }
      client.sendSignal(SIGTERM)
      #expect(try await client.waitForExit(timeout: .seconds(10)) == .exit(0), "stderr: \(client.errorOutput)")
      let output = String(decoding: client.receivedOutput, as: UTF8.self)
      #expect(output.hasSuffix("\n"), "the last line was cut: \(output.suffix(200))")
      let lines = output.split(separator: "\n")
      #expect(lines.count < 6_001, "SIGTERM came after the whole burst had been answered")
      for line in lines { #expect((try? JSON(line: String(line)))?.result != nil, "\(line.prefix(200))") }
    }
  }

  @Test("Lines ended by CRLF are read like lines ended by LF")
  func carriageReturnsAreIgnored() async throws {
    try await withServer { client in
      let session = try await client.openSession()
      let params: JSON = ["sessionId": .string(session), "text": .string(Self.policyQuestion)]
      client.send(ServeClient.request(id: "crlf", method: "chat.send", params: params) + "\r")
      let response = try await client.nextMessage()
      #expect(response.id == "crlf" && response.replyText.contains(Self.policyAnswer), "\(response.text)")
    }
  }

  @Test("A front end that closes its read end makes the server exit with status 0")
  func frontEndStopsReading() async throws {
    try await withServer { client in
      _ = try await client.call("initialize")
      client.closeOutput()
      client.send(ServeClient.request(id: 2, method: "initialize"))
      client.closeInput()
      #expect(try await client.waitForExit(timeout: .seconds(10)) == .exit(0), "stderr: \(client.errorOutput)")
      #expect(client.errorOutput.isEmpty, "stderr: \(client.errorOutput)")
    }
  }

  @Test("A server whose reader has gone stops by itself, even with its input still open")
  func frontEndStopsReadingButKeepsInputOpen() async throws {
    try await withServer { client in
      let session = try await client.openSession()
      client.closeOutput()
      client.send(
        ServeClient.request(id: 2, method: "chat.send", params: ["sessionId": .string(session), "text": "hi"]))
      #expect(try await client.waitForExit(timeout: .seconds(10)) == .exit(0), "stderr: \(client.errorOutput)")
      #expect(client.errorOutput.isEmpty, "stderr: \(client.errorOutput)")
    }
  }

  @Test("50 requests written at once are answered in request order")
  func pipelinedRequestsAreAnsweredInOrder() async throws {
    try await withServer { client in
      var sessions: [String] = []
      for _ in 0..<3 { sessions.append(try await client.openSession()) }
      let questions = [Self.policyQuestion, "Can I delete my data?", "What cookies do you use?", "hello"]
      var lines: [String] = []
      for number in 1...50 {
        let id = JSON.string("r\(number)")
        let session = JSON.string(sessions[number % 3])
        switch number % 5 {
        case 0: lines.append(ServeClient.request(id: id, method: "initialize"))
        case 1: lines.append(ServeClient.request(id: id, method: "chat.explain", params: ["sessionId": session]))
        case 2: lines.append(ServeClient.request(id: id, method: "no.such.method"))
        default:
          let text = JSON.string(questions[number % questions.count])
          lines.append(ServeClient.request(id: id, method: "chat.send", params: ["sessionId": session, "text": text]))
        }
      }
      client.send(bytes: Array(lines.map { $0 + "\n" }.joined().utf8))
      for number in 1...50 {
        let response = try await client.nextMessage()
        try #require(response.id == .string("r\(number)"), "response \(number): \(response.text)")
        if number % 5 >= 3 {
          #expect(response.result?["sessionId"]?.string == sessions[number % 3], "\(response.text)")
        }
      }
    }
  }

  @Test("--jobs 4: many sessions pipelined get, request by request, the answers --jobs 1 gives, in order")
  func parallelLanesAnswerAsOneAtATime() async throws {
    // Each session asks, follows up and asks "why?": the later answers depend on the
    // earlier ones of the same session, so a session's turns out of order would show.
    let conversation = [
      Self.policyQuestion, "tell me more", "How long do you keep my data?", "why?", "What cookies do you use?",
      "and how long is that valid?", "hello", "Can I delete my data?",
    ]
    func answers(jobs: String) async throws -> [String] {
      var result: [String] = []
      try await withServer(options: ["--jobs", jobs]) { client in
        var sessions: [String] = []
        for _ in 0..<12 { sessions.append(try await client.openSession()) }
        var lines: [String] = []
        for (turn, text) in conversation.enumerated() {
          for (number, session) in sessions.enumerated() {
            let id = JSON.string("t\(turn)-s\(number)")
            let params: JSON = ["sessionId": .string(session), "text": .string(text)]
            lines.append(ServeClient.request(id: id, method: "chat.send", params: params))
          }
          // Requests that name no session wait for all before them.
          lines.append(ServeClient.request(id: .string("i\(turn)"), method: "initialize"))
        }
        client.send(bytes: Array(lines.map { $0 + "\n" }.joined().utf8))
        for (turn, _) in conversation.enumerated() {
          for number in sessions.indices {
            let response = try await client.nextMessage()
            try #require(response.id == .string("t\(turn)-s\(number)"), "\(response.text)")
            let intent = response.result?["intent"]?.string ?? "none"
            result.append("\(number): \(intent): \(response.replyText)")
          }
          let initialized = try await client.nextMessage()
          try #require(initialized.id == .string("i\(turn)"), "\(initialized.text)")
        }
      }
      return result
    }
    let inParallel = try await answers(jobs: "4")
    let oneAtATime = try await answers(jobs: "1")
    #expect(inParallel.count == conversation.count * 12)
    #expect(inParallel == oneAtATime)
    // The sessions did hold different conversations' states: the follow-ups are answered.
    #expect(Set(inParallel.map { $0.split(separator: ":")[1] }).count >= 5)
  }

  @Test("--jobs must be at least 1")
  func jobsMustBePositive() async throws {
    let run = try await PipedChat.run([], arguments: ["serve", "--db", ":memory:", "--jobs", "0"])
    #expect(run.errorOutput.contains("--jobs must be at least 1"), "\(run.errorOutput)")
    #expect(run.termination == .exit(64))
  }

  @Test("--record writes every line in and out as JSON, tagged in and out, in order")
  func recordingIsJSONLines() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("policychat-record-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let recording = folder.appendingPathComponent("wire.jsonl")
    try await withServer(options: ["--record", recording.path, "--max-line", "4096"]) { client in
      _ = try await client.call("initialize")
      let session = try await client.openSession()
      _ = try await client.say(Self.policyQuestion, in: session)
      client.send("this is not JSON")
      _ = try await client.nextMessage()
      client.send(bytes: Array("caf".utf8) + [0xE9, UInt8(ascii: "\n")])
      _ = try await client.nextMessage()
      client.send(String(repeating: "never recorded ", count: 500))
      _ = try await client.nextMessage()
      client.closeInput()
      #expect(try await client.waitForExit() == .exit(0), "stderr: \(client.errorOutput)")

      let recorded = try String(contentsOf: recording, encoding: .utf8)
      #expect(recorded.hasSuffix("\n"))
      #expect(!recorded.contains("never recorded"))
      let tags = ["meta", "in", "in_raw", "in_base64", "out", "skipped"]
      let entries = try recorded.split(separator: "\n").map { line in
        let entry = try JSON(line: String(line))
        let keys = entry.object.map { Array($0.keys) } ?? []
        try #require(keys.count == 1 && tags.contains(keys[0]), "not a recording entry: \(line)")
        return (tag: keys[0], message: entry[keys[0]] ?? .null)
      }
      // The meta line (seed and clock, for replay) comes first, if at all.
      #expect(entries.dropFirst().allSatisfy { $0.tag != "meta" })
      let wire = entries.filter { $0.tag != "meta" }
      // Lines that were not JSON are kept as text under their own key.
      let expectedTags =
        Array(repeating: ["in", "out"], count: 3).joined() + ["in_raw", "out", "in_base64", "out", "skipped", "out"]
      #expect(wire.map(\.tag) == Array(expectedTags), "\(recorded)")
      let incoming = wire.filter { $0.tag.hasPrefix("in") }.map(\.message)
      try #require(incoming.count == 5)
      #expect(incoming[0]["method"] == "initialize" && incoming[2]["params"]?["text"]?.string == Self.policyQuestion)
      #expect(incoming[3] == "this is not JSON")
      #expect(incoming[4].string == Data(Array("caf".utf8) + [0xE9]).base64EncodedString())
      let output = String(decoding: client.receivedOutput, as: UTF8.self)
      let written = try output.split(separator: "\n").map { try JSON(line: String($0)) }
      #expect(wire.filter { $0.tag == "out" }.map(\.message) == written)
    }
    // The recording is a regression fixture: it replays green, twice in a row.
    for _ in 0..<2 {
      let replay = try await PipedChat.run(
        [], arguments: ["replay", "--home", PolicyChatBinary.repositoryRoot.path, recording.path])
      #expect(replay.termination == .exit(0), "\(replay.output)")
      #expect(replay.output.hasSuffix("1 passed, 0 failed\n"), "\(replay.output)")
    }
  }

  @Test("stdout carries nothing but JSON-RPC lines, even after stray input")
  func outputIsOnlyJSONLines() async throws {
    try await withServer(options: ["--max-line", "4096"]) { client in
      let session = try await client.openSession()
      let stray: [[UInt8]] = [
        Array("hello there".utf8), [0xFF, 0xFE, 0x00, 0x80], Array("{}".utf8), Array("null".utf8),
        Array(#"{"jsonrpc":"2.0","method":"chat.send","params":{"sessionId":1}}"#.utf8), [], Array("   \r".utf8),
        [UInt8](repeating: UInt8(ascii: "{"), count: 10_000), Array(#"{"jsonrpc":"2.0","id":{},"method":"x"}"#.utf8),
        Array("\u{1B}[31mred\u{1B}[0m".utf8), Array("/help".utf8),
      ]
      for line in stray { client.send(bytes: line + [UInt8(ascii: "\n")]) }
      for (id, text) in [Self.personalText, "/why"].enumerated() {
        let params: JSON = ["sessionId": .string(session), "text": .string(text)]
        client.send(ServeClient.request(id: .number(Double(100 + id)), method: "chat.send", params: params))
      }
      client.closeInput()
      #expect(try await client.waitForExit() == .exit(0), "stderr: \(client.errorOutput)")

      let output = client.receivedOutput
      let text = try #require(String(validating: output, as: UTF8.self), "stdout is not UTF-8")
      #expect(text.hasSuffix("\n"))
      let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
      // session.open, 8 errors (the notification and the blank lines get none), 2 answers.
      #expect(lines.count == 11, "stdout:\n\(text)")
      for line in lines {
        let message = try JSON(line: String(line))
        #expect(message["jsonrpc"] == "2.0" && (message.result != nil) != (message["error"] != nil), "\(line)")
      }
    }
  }

  @Test("stderr never holds the text of a message, not even of a failed request")
  func errorOutputHoldsNoMessageText() async throws {
    try await withServer(options: ["--max-line", "2048"]) { client in
      let session = try await client.openSession(["deviceId": .string(Self.idNumber)])
      let text = JSON.string(Self.personalText)
      _ = try await client.say(Self.personalText, in: session)
      _ = try await client.say("my email is \(Self.email), please delete my data", in: session)
      _ = try await client.call("chat.send", ["sessionId": .string(Self.email), "text": text])
      _ = try await client.call("chat.send", ["sessionId": .string(session), "text": .number(8_001_015_009_087)])
      _ = try await client.call(Self.email, ["text": text])
      client.send(#"{"jsonrpc":"2.0","id":1,"method":"chat.send","params":{"text":"\#(Self.personalText)""#)
      client.send(bytes: Array(Self.personalText.utf8) + [0xFF, UInt8(ascii: "\n")])
      client.send(String(repeating: Self.personalText, count: 100))
      for _ in 0..<3 { _ = try await client.nextMessage() }
      _ = try await client.call("session.close", ["sessionId": .string(session)])
      client.closeInput()
      #expect(try await client.waitForExit() == .exit(0), "stderr: \(client.errorOutput)")
      try expectNothingPersonal(in: client.errorOutput)
    }
  }

  // MARK: Helpers

  /// Runs `body` with a fresh server that is killed afterwards, whatever happened.
  private func withServer(
    database: String = ":memory:", options: [String] = [], _ body: (ServeClient) async throws -> Void
  ) async throws {
    let client = try ServeClient.start(database: database, options: options)
    defer { client.stop() }
    try await body(client)
  }

  /// Checks the shape of a Turn (DESIGN.md, "Fixed contracts: Protocol").
  private func expectTurn(_ response: JSON, in session: String? = nil) throws {
    let turn = try #require(response.result?.object, "not a result: \(response.text)")
    let sessionId = try #require(turn["sessionId"]?.string, "\(response.text)")
    if let session { #expect(sessionId == session) }
    #expect(turn["intent"]?.string?.isEmpty == false, "\(response.text)")
    #expect(turn["confidence"]?.double.map { (0...1).contains($0) } == true, "\(response.text)")
    let replies = try #require(turn["replies"]?.array, "\(response.text)")
    #expect(!replies.isEmpty && replies.allSatisfy { $0["text"]?.string?.isEmpty == false }, "\(response.text)")
    #expect(turn["sources"]?.array != nil && turn["events"]?.array != nil && turn["state"]?.object != nil)
    #expect(turn["automated"] == true)
    if let decision = turn["decision"] { #expect(decision != .null) }
  }

  private func expectNothingPersonal(in errorOutput: String) throws {
    for secret in [Self.email, Self.idNumber, "Thandi"] {
      #expect(!errorOutput.contains(secret), "stderr holds \(secret): \(errorOutput)")
    }
  }
}

/// One bad line, and the error it must get.
struct ErrorCase: Sendable, CustomTestStringConvertible {
  let name: String
  let line: [UInt8]
  let code: Int
  let reason: String
  let id: JSON
  let field: String?
  let options: [String]

  var testDescription: String { name }

  init(
    _ name: String, bytes: [UInt8], code: Int, reason: String, id: JSON = .null, field: String? = nil,
    options: [String] = []
  ) {
    self.name = name
    self.line = bytes
    self.code = code
    self.reason = reason
    self.id = id
    self.field = field
    self.options = options
  }

  init(
    _ name: String, _ line: String, code: Int, reason: String, id: JSON = .null, field: String? = nil,
    options: [String] = []
  ) {
    self.init(name, bytes: Array(line.utf8), code: code, reason: reason, id: id, field: field, options: options)
  }

  static let all: [ErrorCase] = [
    ErrorCase(
      "a line that is not JSON", #"{"jsonrpc": "2.0", "id": 1, "method": "#, code: -32700, reason: "invalid_json"),
    ErrorCase(
      "a line of invalid UTF-8",
      bytes: Array(#"{"jsonrpc":"2.0","id":1,"method":"initialize","x":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8),
      code: -32700, reason: "invalid_utf8"),
    ErrorCase("JSON that is not an object", "[1, 2, 3]", code: -32600, reason: "invalid_request"),
    ErrorCase(
      "a batch, which protocol version 1 does not support", #"[{"jsonrpc":"2.0","id":1,"method":"initialize"}]"#,
      code: -32600, reason: "invalid_request"),
    ErrorCase(
      "a request that is not JSON-RPC 2.0", #"{"jsonrpc":"1.0","id":"bad","method":"initialize"}"#, code: -32600,
      reason: "invalid_request", id: "bad"),
    ErrorCase(
      "a request whose id is an object", #"{"jsonrpc":"2.0","id":{"n":1},"method":"initialize"}"#, code: -32600,
      reason: "invalid_request"),
    ErrorCase(
      "a request without a method", #"{"jsonrpc":"2.0","id":"bad"}"#, code: -32600, reason: "invalid_request",
      id: "bad"),
    ErrorCase(
      "an unknown method", #"{"jsonrpc":"2.0","id":"bad","method":"chat.shout"}"#, code: -32601,
      reason: "unknown_method", id: "bad"),
    ErrorCase(
      "a parameter of the wrong type", #"{"jsonrpc":"2.0","id":"bad","method":"chat.send","params":{"sessionId":5}}"#,
      code: -32602, reason: "invalid_params", id: "bad", field: "sessionId"),
    ErrorCase(
      "a missing parameter", #"{"jsonrpc":"2.0","id":"bad","method":"chat.send","params":{"sessionId":"s-1"}}"#,
      code: -32602, reason: "invalid_params", id: "bad", field: "text"),
    ErrorCase(
      "params that are not an object", #"{"jsonrpc":"2.0","id":"bad","method":"chat.send","params":["s-1","hi"]}"#,
      code: -32602, reason: "invalid_params", id: "bad", field: "params"),
    ErrorCase(
      "a browser signal that is not a boolean",
      #"{"jsonrpc":"2.0","id":"bad","method":"session.open","params":{"signals":{"gpc":"1"}}}"#, code: -32602,
      reason: "invalid_params", id: "bad", field: "signals.gpc"),
    ErrorCase(
      "a message to an unknown session",
      #"{"jsonrpc":"2.0","id":"bad","method":"chat.send","params":{"sessionId":"s-0","text":"hi"}}"#, code: -32001,
      reason: "unknown_session", id: "bad"),
    ErrorCase(
      "an explanation for an unknown session",
      #"{"jsonrpc":"2.0","id":"bad","method":"chat.explain","params":{"sessionId":"s-0"}}"#, code: -32001,
      reason: "unknown_session", id: "bad"),
    ErrorCase(
      "closing an unknown session",
      #"{"jsonrpc":"2.0","id":"bad","method":"session.close","params":{"sessionId":"s-0"}}"#, code: -32001,
      reason: "unknown_session", id: "bad"),
    ErrorCase(
      "a line longer than --max-line",
      #"{"jsonrpc":"2.0","id":"bad","method":"chat.send","params":{"sessionId":"s-0","text":""#
        + String(repeating: "a", count: 2_000) + #""}}"#, code: -32002, reason: "line_too_long",
      options: ["--max-line", "1024"]),
  ]
}
