/// The tables of the PostgreSQL store: the SQLite store's tables and columns (the same
/// record kinds, the same names), in PostgreSQL's types. Text compares and sorts by byte
/// (`COLLATE "C"`), as in SQLite; a `Bool` is a `bigint` 0 or 1, as SQLite keeps it, so that
/// a query's values mean the same in both. The tables SQLite numbers with an `id` have the
/// same `id` here (an identity); the others a `rowOrder` identity: the order records were
/// written in, SQLite's rowid (``orderColumn(of:)``).
///
/// Migrations are versioned and run once, in order, each in its own transaction, while
/// the process holds an advisory lock of the schema: processes starting together on a new
/// database wait for the first, then find nothing left to do.
enum PostgresSchema {
  static let migrations: [(id: String, statements: [String])] = [
    (
      "v1-sessions-and-turns",
      [
        table(
          "session",
          [("id", "text COLLATE \"C\" PRIMARY KEY")] + [
            ("openedAt", "timestamptz NOT NULL"), ("closedAt", "timestamptz"), ("country", "text COLLATE \"C\""),
            ("locale", "text COLLATE \"C\""),
          ]),
        table(
          "turn",
          [
            ("sessionId", "text COLLATE \"C\" NOT NULL REFERENCES \"session\"(\"id\") ON DELETE CASCADE"),
            ("sequence", "bigint NOT NULL"), ("at", "timestamptz NOT NULL"), ("intent", text),
            ("confidence", "double precision NOT NULL"),
            ("method", text), ("sources", text),
          ], unique: ["sessionId", "sequence"]),
      ]
    ),
    (
      "v2-age-gate-and-parental-consent",
      [
        table("setting", [("key", "text COLLATE \"C\" PRIMARY KEY"), ("value", "bytea NOT NULL")]),
        table(
          "decision",
          [
            ("sessionId", text), ("at", "timestamptz NOT NULL"), ("kind", text), ("outcome", text), ("rule", text),
            ("facts", text),
          ]),
        index("decision", ["sessionId"]),
        table(
          "device_answer",
          [
            ("deviceHash", "text COLLATE \"C\" PRIMARY KEY"), ("outcome", text), ("at", "timestamptz NOT NULL"),
          ]),
        table(
          "parental_consent",
          [
            ("reference", "text COLLATE \"C\" PRIMARY KEY"), ("childSessionId", optionalText),
            ("childDeviceHash", optionalText), ("parentContact", optionalText), ("scope", text),
            ("detail", optionalText),
            ("status", text), ("method", optionalText), ("hostMethod", optionalText), ("country", optionalText),
            ("policyVersion", text), ("requestedAt", "timestamptz NOT NULL"), ("verifiedAt", "timestamptz"),
            ("verifiedBySession", optionalText), ("endedAt", "timestamptz"),
          ]),
        index("parental_consent", ["childSessionId"]),
        index("parental_consent", ["childDeviceHash"]),
        table(
          "challenge",
          [
            ("id", "text COLLATE \"C\" PRIMARY KEY"), ("purpose", text), ("reference", text), ("salt", text),
            ("codeHash", text), ("issuedAt", "timestamptz NOT NULL"), ("expiresAt", "timestamptz NOT NULL"),
            ("attempts", "bigint NOT NULL"), ("maxAttempts", "bigint NOT NULL"), ("status", text),
          ]),
        index("challenge", ["reference"]),
        table(
          "deletion_log",
          [
            ("at", "timestamptz NOT NULL"), ("reference", optionalText), ("reason", text), ("detail", text),
          ]),
      ]
    ),
    (
      "v3-consent-and-transcripts",
      [
        table(
          "consent",
          [
            ("subject", text), ("sessionId", text), ("purpose", text), ("granted", "bigint NOT NULL"),
            ("at", "timestamptz NOT NULL"), ("method", text), ("policyVersion", text), ("jurisdiction", text),
            ("expiresAt", "timestamptz"),
          ]),
        index("consent", ["subject"]),
        table(
          "transcript_line",
          [
            ("sessionId", text), ("subject", text), ("sequence", "bigint NOT NULL"), ("at", "timestamptz NOT NULL"),
            ("speaker", text), ("text", text),
          ]),
        index("transcript_line", ["sessionId"]),
        index("transcript_line", ["subject"]),
      ]
    ),
    (
      "v4-requests-and-audit",
      [
        table(
          "data_subject",
          [
            ("id", "text COLLATE \"C\" PRIMARY KEY"), ("email", optionalText), ("emailIndex", optionalText),
            ("createdAt", "timestamptz NOT NULL"), ("restricted", "bigint NOT NULL DEFAULT 0"),
            ("erasedAt", "timestamptz"),
          ]),
        index("data_subject", ["emailIndex"]),
        table("subject_link", [("subjectId", text), ("key", text)], unique: ["subjectId", "key"]),
        index("subject_link", ["key"]),
        table(
          "request",
          [
            ("reference", "text COLLATE \"C\" PRIMARY KEY"), ("subjectId", text), ("sessionId", optionalText),
            ("type", text), ("status", text), ("regime", text), ("country", optionalText),
            ("receivedAt", "timestamptz NOT NULL"), ("dueAt", "timestamptz NOT NULL"), ("extendedAt", "timestamptz"),
            ("extensionReason", optionalText), ("closedAt", "timestamptz"), ("outcome", optionalText),
            ("details", optionalText), ("notifiedAt", "timestamptz"),
          ]),
        index("request", ["subjectId"]),
        table(
          "audit_log",
          [
            ("at", "timestamptz NOT NULL"), ("actor", text), ("action", text), ("reference", optionalText),
            ("detail", text),
          ]),
        // Append-only: a trigger refuses any change or deletion of a row, as in SQLite.
        """
        CREATE FUNCTION "policychat_audit_log_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$
        """,
        """
        CREATE TRIGGER "audit_log_append_only" BEFORE UPDATE OR DELETE ON "audit_log"
        FOR EACH ROW EXECUTE FUNCTION "policychat_audit_log_append_only"()
        """,
      ]
    ),
    (
      "v6-code-budgets",
      [
        table("code_budget", [("key", text), ("at", "timestamptz NOT NULL")]),
        index("code_budget", ["key", "at"]),
      ]
    ),
  ]

  private static let text = "text COLLATE \"C\" NOT NULL"
  private static let optionalText = "text COLLATE \"C\""

  /// The tables whose rows SQLite numbers (`autoIncrementedPrimaryKey("id")`).
  static let numbered: Set<String> = [
    "turn", "decision", "deletion_log", "consent", "transcript_line", "audit_log", "code_budget",
  ]

  /// The column that keeps the order rows were written in.
  static func orderColumn(of table: String) -> String {
    numbered.contains(table) ? "id" : "rowOrder"
  }

  private static func table(_ name: String, _ columns: [(String, String)], unique: [String] = []) -> String {
    var parts = columns.map { "\"\($0.0)\" \($0.1)" }
    parts.append(
      numbered.contains(name)
        ? "\"id\" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY" : "\"rowOrder\" bigint GENERATED ALWAYS AS IDENTITY")
    if !unique.isEmpty { parts.append("UNIQUE (" + unique.map { "\"\($0)\"" }.joined(separator: ", ") + ")") }
    return "CREATE TABLE \"\(name)\" (" + parts.joined(separator: ", ") + ")"
  }

  private static func index(_ table: String, _ columns: [String]) -> String {
    "CREATE INDEX \"\(table)_on_\(columns.joined(separator: "_"))\" ON \"\(table)\" ("
      + columns.map { "\"\($0)\"" }.joined(separator: ", ") + ")"
  }

  /// The tables, for ``PostgresSessionStore/reclaimDeletedSpace()``.
  static let tables = [
    "session", "turn", "setting", "decision", "device_answer", "parental_consent", "challenge", "deletion_log",
    "consent", "transcript_line", "data_subject", "subject_link", "request", "audit_log", "code_budget",
  ]
}
