/// A precondition of an end-to-end test that does not hold, such as a missing binary or tool.
struct EndToEndFailure: Error, CustomStringConvertible {
  let description: String

  init(_ description: String) {
    self.description = description
  }
}
