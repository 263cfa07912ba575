import Foundation

/// How many one-time codes may go out, and how many wrong ones may be typed, over a
/// rolling window, whatever the reference a code is for: knowledge/verification.yaml.
public struct CodeBudgets: Sendable, Equatable {
  /// How far back codes and wrong guesses count.
  public var window: TimeInterval
  /// Codes to one mailbox from sessions and devices not verified as its owner's.
  public var perAddress: Int
  /// Codes to one mailbox from each device (or session) verified as its owner's.
  public var perOwnDevice: Int
  /// Codes one conversation can have sent, to any addresses.
  public var perSession: Int
  /// Codes one device can have sent, to any addresses.
  public var perDevice: Int
  /// Wrong codes typed for one mailbox, over all its codes.
  public var wrongGuessesPerAddress: Int

  static func load(home: URL) throws(EngineError) -> CodeBudgets {
    let url = home.appendingPathComponent("knowledge/verification.yaml")
    let name = DataFiles.relative(url, to: home)
    let file: File = try DataFiles.decodeYAML(url, home: home)
    let budgets = file.budgets
    guard file.window.hours > 0,
      [budgets.perAddress, budgets.perOwnDevice, budgets.perSession, budgets.perDevice, budgets.wrongGuessesPerAddress]
        .allSatisfy({ $0 > 0 })
    else {
      throw .invalidData(file: name, line: nil, reason: "window.hours and every budget must be positive whole numbers")
    }
    return CodeBudgets(
      window: TimeInterval(file.window.hours) * 3_600, perAddress: budgets.perAddress,
      perOwnDevice: budgets.perOwnDevice, perSession: budgets.perSession, perDevice: budgets.perDevice,
      wrongGuessesPerAddress: budgets.wrongGuessesPerAddress)
  }

  /// The window in words ("24 hours").
  var windowText: String {
    let hours = Int(window / 3_600)
    return hours == 1 ? "1 hour" : "\(hours) hours"
  }

  private struct File: Decodable {
    var window: Window
    var budgets: Budgets
  }

  private struct Window: Decodable {
    var hours: Int
  }

  private struct Budgets: Decodable {
    var perAddress: Int
    var perOwnDevice: Int
    var perSession: Int
    var perDevice: Int
    var wrongGuessesPerAddress: Int
  }
}
