import Foundation

/// How dates are written for people, officers and logs: always in UTC, the same in every
/// locale. One place for it, instead of a formatter built at each call in five files.
public enum UTCDate {
  /// "2026-11-29T09:00:00Z", as the protocol and the audit log write times.
  public static func iso8601(_ date: Date) -> String {
    date.formatted(.iso8601)
  }

  /// "2026-11-29".
  public static func day(_ date: Date) -> String {
    String(iso8601(date).prefix(10))
  }

  /// "2026-11-29 at 09:00 UTC".
  public static func minute(_ date: Date) -> String {
    let iso = iso8601(date)
    return "\(iso.prefix(10)) at \(iso.dropFirst(11).prefix(5)) UTC"
  }
}
