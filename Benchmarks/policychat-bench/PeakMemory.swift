import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The most memory the process has had resident so far.
enum PeakMemory {
  /// getrusage's `ru_maxrss` in KiB, or nil when the system will not say.
  ///
  /// On Linux it survives `execve`: under `swift run`, which execs the benchmark, it starts
  /// at the peak of SwiftPM itself (about 120 MiB) and says nothing about the benchmark.
  static func maxRSSKibibytes() -> Int? {
    var usage = rusage()
    #if canImport(Glibc)
      // Glibc imports RUSAGE_SELF as a C enum case while getrusage takes its raw integer.
      let who = __rusage_who_t(RUSAGE_SELF.rawValue)
    #else
      let who = RUSAGE_SELF
    #endif
    guard getrusage(who, &usage) == 0 else { return nil }
    #if canImport(Darwin)
      return Int(usage.ru_maxrss) / 1024  // bytes on Darwin
    #else
      return Int(usage.ru_maxrss)  // KiB on Linux
    #endif
  }

  /// The peak resident size of this program image (`VmHWM` of /proc/self/status, in KiB),
  /// which `execve` resets; nil where there is no /proc.
  static func highWaterMarkKibibytes() -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
      return line.split(whereSeparator: \.isWhitespace).dropFirst().first.flatMap { Int($0) }
    }
    return nil
  }
}
