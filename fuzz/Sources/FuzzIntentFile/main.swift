import CFuzzerDriver
import Foundation
import PolicyChatFuzzing

/// One input, from libFuzzer.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
  FuzzTarget.intentFile.run(UnsafeRawBufferPointer(start: start, count: count))
  return 0
}

// SwiftPM links every Linux executable with `main` pointing at this file's top-level code, so
// libFuzzer's own `main` (what `-parse-as-library` would rely on) is never used: this hands
// the command line to libFuzzer's driver instead.
var arguments = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&arguments, &argv, fuzz))
