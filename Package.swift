// swift-tools-version: 6.1
import PackageDescription

let package = Package(
  name: "PolicyChat",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "policychat", targets: ["policychat"]),
    .library(name: "PolicyChat", targets: ["PolicyChat"]),
    // For the libFuzzer executables in fuzz/, a package of their own (docs/FUZZING.md).
    .library(name: "PolicyChatFuzzing", targets: ["PolicyChatFuzzing"]),
  ],
  dependencies: [
    .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
    .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
    .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
    .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
    .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
  ],
  targets: [
    .target(
      name: "PolicyChat",
      dependencies: [
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Yams", package: "Yams"),
        .product(name: "Crypto", package: "swift-crypto"),
      ]
    ),
    // The PostgreSQL store, for deployments on several machines (docs/DEPLOYMENT.md): a
    // module of its own, so that an embedder of the SQLite engine links no network stack.
    .target(
      name: "PolicyChatPostgres",
      dependencies: [
        "PolicyChat",
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    .target(
      name: "PolicyChatProtocol",
      dependencies: ["PolicyChat"]
    ),
    .target(
      name: "PolicyChatReplay",
      dependencies: [
        "PolicyChat",
        "PolicyChatProtocol",
        .product(name: "Yams", package: "Yams"),
      ]
    ),
    .systemLibrary(
      name: "CReadline",
      providers: [.apt(["libreadline-dev"])]
    ),
    .executableTarget(
      name: "policychat",
      dependencies: [
        "PolicyChat",
        "PolicyChatPostgres",
        "PolicyChatProtocol",
        "PolicyChatReplay",
        "CReadline",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .target(
      name: "PolicyChatFuzzing",
      dependencies: ["PolicyChat", "PolicyChatProtocol", "PolicyChatReplay"]
    ),
    .executableTarget(
      name: "policychat-bench",
      dependencies: ["PolicyChat"],
      path: "Benchmarks/policychat-bench"
    ),
    .testTarget(
      name: "PolicyChatTests",
      dependencies: [
        "PolicyChat",
        "PolicyChatPostgres",
        // To read every table of a database directly, as an auditor would.
        .product(name: "GRDB", package: "GRDB.swift"),
      ],
      resources: [.copy("Fixtures")]
    ),
    .testTarget(
      name: "PolicyChatProtocolTests",
      dependencies: ["PolicyChatProtocol", "PolicyChat"]
    ),
    .testTarget(
      name: "PolicyChatReplayTests",
      dependencies: ["PolicyChatReplay", "PolicyChat"]
    ),
    .testTarget(
      name: "FuzzCorpusTests",
      dependencies: ["PolicyChatFuzzing"]
    ),
    .testTarget(
      name: "EndToEndTests",
      dependencies: ["PolicyChat"]
    ),
  ],
  swiftLanguageModes: [.v6]
)
