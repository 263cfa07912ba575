import Foundation
import PolicyChat
import Testing

@testable import PolicyChatProtocol

/// The registry is the one list of methods: unique, documented, and what `initialize`
/// reports.
@Suite("Method registry")
struct MethodRegistryTests {
  private static let protocolDocument: String = {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    return (try? String(contentsOf: root.appendingPathComponent("docs/PROTOCOL.md"), encoding: .utf8)) ?? ""
  }()

  @Test("No two registered methods share a name")
  func namesAreUnique() {
    let names = MethodRegistry.names
    #expect(Set(names).count == names.count, "repeated: \(names.filter { name in names.count { $0 == name } > 1 })")
  }

  @Test("Every registered method is documented in docs/PROTOCOL.md", arguments: MethodRegistry.names)
  func everyMethodIsDocumented(name: String) {
    #expect(!Self.protocolDocument.isEmpty, "docs/PROTOCOL.md not found")
    #expect(Self.protocolDocument.contains("`\(name)`"), "docs/PROTOCOL.md does not document `\(name)`")
  }

  @Test("Each name dispatches to the method registered under it")
  func lookupFindsEachMethod() {
    for method in MethodRegistry.all {
      #expect(
        MethodRegistry.method(named: method.name).map(ObjectIdentifier.init) == ObjectIdentifier(method),
        "\(method.name)")
    }
    #expect(MethodRegistry.method(named: "session.opened") == nil)
  }

  @Test("The host-only methods are the registered ones marked so, and the server lists them")
  func hostOnlyComeFromTheRegistry() {
    #expect(MethodRegistry.hostOnlyNames == ["parental.hostVerified"])
    #expect(ProtocolServer.hostOnlyMethods == MethodRegistry.hostOnlyNames)
    #expect(ProtocolServer.methods == MethodRegistry.names)
    #expect(Set(MethodRegistry.hostOnlyNames).isSubset(of: MethodRegistry.names))
  }

  @Test("A nested field's mistake names its whole path")
  func nestedFieldsAreNamedInFull() throws {
    let reader = try ParamReader(.object(["signals": .object(["gpc": .string("yes")])]))
    let signals = try #require(try reader.optionalObject("signals"))
    #expect(throws: ProtocolError.invalidParams(field: "signals.gpc", message: "must be a boolean, not a string")) {
      try signals.optionalBool("gpc")
    }
    #expect(throws: ProtocolError.invalidParams(field: "signals", message: "must be an object, not a number")) {
      try ParamReader(.object(["signals": .integer(1)])).optionalObject("signals")
    }
  }
}
