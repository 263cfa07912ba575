import GRDB
import Synchronization

/// A full-text index of sections and intent examples: SQLite FTS5 with porter stemming over
/// unicode61, ranked by bm25.
///
/// It lives in memory and is rebuilt from the data files at start-up (a few milliseconds),
/// so it can never be stale against `knowledge/` and `intents/`.
final class SearchIndex: Sendable {
  struct Document: Sendable {
    /// The intent this document stands for (`policy.rights.erasure`, `request.erasure`).
    var target: String
    var title: String
    var aliases: String
    var body: String
    /// Words of the enclosing section, weighted low.
    var context: String
    /// For an intent example: the rough stems of its meaningful words. An example stands
    /// for a whole utterance, so a message must match most of it, not just one word.
    var exampleWords: Set<String>?
    /// For a section: the rough stems of each alias's meaningful words.
    var aliasWords: [Set<String>] = []
    /// For a section: each alias normalised, to recognise a message that is one exactly.
    var aliasTexts: Set<String> = []
  }

  struct Hit: Sendable {
    var row: Int
    /// bm25 turned positive: higher is better.
    var score: Double
  }

  let documents: [Document]
  /// The rows of the sections one of whose aliases is exactly this normalised text.
  let rowsByAliasText: [String: [Int]]
  private let queue: DatabaseQueue
  /// Results by query. The index never changes after start-up, so a word searched once
  /// never costs SQLite again; emptied when full, as people can type any number of words.
  private let hits = Mutex<[SearchKey: [Hit]]>([:])
  private let matches = Mutex<[String: Set<Int>]>([:])
  private static let cacheLimit = 20_000

  init(documents: [Document]) throws(EngineError) {
    self.documents = documents
    var byAlias: [String: [Int]] = [:]
    for (row, document) in documents.enumerated() {
      for alias in document.aliasTexts { byAlias[alias, default: []].append(row) }
    }
    rowsByAliasText = byAlias
    do {
      queue = try DatabaseQueue()
      try queue.write { db in
        try db.execute(
          sql: """
            CREATE VIRTUAL TABLE docs USING fts5(
              title, aliases, body, context,
              tokenize = 'porter unicode61 remove_diacritics 2')
            """)
        let insert = try db.makeStatement(
          sql: "INSERT INTO docs(rowid, title, aliases, body, context) VALUES (?, ?, ?, ?, ?)")
        for (row, document) in documents.enumerated() {
          try insert.execute(arguments: [row, document.title, document.aliases, document.body, document.context])
        }
      }
    } catch {
      throw .storage(reason: "could not build the search index: \(error)")
    }
  }

  /// Rows matching an FTS5 expression, best first; a negative limit means all.
  func search(_ expression: String, weights: Thresholds.ColumnWeights, limit: Int) -> [Hit] {
    let sql = """
      SELECT rowid, bm25(docs, ?, ?, ?, ?) AS rank FROM docs WHERE docs MATCH ?
      ORDER BY rank, rowid LIMIT ?
      """
    // Hashed as numbers: formatting four doubles into a string key cost more than the hit.
    let key = SearchKey(expression: expression, limit: limit, weights: weights)
    if let cached = hits.withLock({ $0[key] }) { return cached }
    let arguments: StatementArguments = [
      weights.title, weights.aliases, weights.body, weights.context, expression, limit,
    ]
    // inDatabase with a cached statement: a read transaction would toggle query_only
    // around every search, which makes SQLite recompile every statement.
    let rows =
      (try? queue.inDatabase { db in try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments) }) ?? []
    let result = rows.map { row in Hit(row: row[0], score: -(row[1] as Double)) }
    hits.withLock { cache in
      if cache.count >= Self.cacheLimit { cache.removeAll() }
      cache[key] = result
    }
    return result
  }

  /// The set of rows that match an FTS5 expression.
  func rows(matching expression: String) -> Set<Int> {
    if let cached = matches.withLock({ $0[expression] }) { return cached }
    let ids =
      (try? queue.inDatabase { db in
        try Int.fetchAll(
          db.cachedStatement(sql: "SELECT rowid FROM docs WHERE docs MATCH ?"), arguments: [expression])
      }) ?? []
    let result = Set(ids)
    matches.withLock { cache in
      if cache.count >= Self.cacheLimit { cache.removeAll() }
      cache[expression] = result
    }
    return result
  }

  /// An FTS5 expression that matches the words next to each other.
  static func phrase(_ text: String) -> String {
    quoted(text)
  }

  /// An FTS5 expression that matches any of the words, each quoted so that no word is
  /// read as an operator.
  static func anyOf(_ words: [String]) -> String {
    words.map(quoted).joined(separator: " OR ")
  }

  /// In double quotes, with any inside doubled; without Foundation's NSString bridge, as
  /// a turn quotes a dozen words.
  private static func quoted(_ text: String) -> String {
    guard text.utf8.contains(UInt8(ascii: "\"")) else { return "\"" + text + "\"" }
    return "\"" + text.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
  }

  private struct SearchKey: Hashable {
    var expression: String
    var limit: Int
    var weights: Thresholds.ColumnWeights
  }
}
