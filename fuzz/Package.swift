// swift-tools-version: 6.1
// libFuzzer executables over the engine's readers of untrusted input; see docs/FUZZING.md.
// A package of its own because every executable here must be built with -sanitize=fuzzer,
// which links libFuzzer into it; the main package's ordinary builds must not.
import PackageDescription

let package = Package(
  name: "PolicyChatFuzz",
  platforms: [.macOS(.v15)],
  dependencies: [
    .package(name: "PolicyChat", path: "..")
  ],
  targets: [
    // Declares libFuzzer's driver, which each executable's top-level code calls.
    .target(name: "CFuzzerDriver"),
    .executableTarget(
      name: "FuzzProtocolLine",
      dependencies: ["CFuzzerDriver", .product(name: "PolicyChatFuzzing", package: "PolicyChat")]),
    .executableTarget(
      name: "FuzzTranscript",
      dependencies: ["CFuzzerDriver", .product(name: "PolicyChatFuzzing", package: "PolicyChat")]),
    .executableTarget(
      name: "FuzzDateOfBirth",
      dependencies: ["CFuzzerDriver", .product(name: "PolicyChatFuzzing", package: "PolicyChat")]),
    .executableTarget(
      name: "FuzzRedactor", dependencies: ["CFuzzerDriver", .product(name: "PolicyChatFuzzing", package: "PolicyChat")]),
    .executableTarget(
      name: "FuzzIntentFile",
      dependencies: ["CFuzzerDriver", .product(name: "PolicyChatFuzzing", package: "PolicyChat")]),
    .executableTarget(
      name: "FuzzKnowledgeSection",
      dependencies: ["CFuzzerDriver", .product(name: "PolicyChatFuzzing", package: "PolicyChat")]),
  ],
  swiftLanguageModes: [.v6]
)
