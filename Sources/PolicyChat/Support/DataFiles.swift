import Foundation
import Yams

/// Reading the project's data files, with errors that name the file.
enum DataFiles {
  static func read(_ url: URL, relativeTo home: URL) throws(EngineError) -> String {
    let name = relative(url, to: home)
    guard let data = FileManager.default.contents(atPath: url.path) else {
      throw .invalidData(file: name, line: nil, reason: "file not found or unreadable")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw .invalidData(file: name, line: nil, reason: "not valid UTF-8")
    }
    return text
  }

  /// Files with the extension below `folder`, recursively, sorted by path (which is the
  /// order the data is meant to be read in).
  static func list(_ folder: URL, extension ext: String, relativeTo home: URL) throws(EngineError) -> [URL] {
    guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else {
      throw .invalidData(file: relative(folder, to: home), line: nil, reason: "folder not found")
    }
    var files: [URL] = []
    for case let url as URL in walker where url.pathExtension == ext {
      files.append(url)
    }
    return files.sorted { $0.path < $1.path }
  }

  /// A YAML data file decoded as `T`; a mistake is reported with the file and, where the
  /// parser knows it, the line.
  static func decodeYAML<T: Decodable>(_ url: URL, home: URL) throws(EngineError) -> T {
    let text = try read(url, relativeTo: home)
    do {
      return try NodeDecoder.decode(T.self, from: text)
    } catch {
      throw YAMLErrors.describe(error, file: relative(url, to: home))
    }
  }

  static func relative(_ url: URL, to home: URL) -> String {
    let base = home.standardizedFileURL.path
    let path = url.standardizedFileURL.path
    guard path.hasPrefix(base + "/") else { return path }
    return String(path.dropFirst(base.count + 1))
  }
}
