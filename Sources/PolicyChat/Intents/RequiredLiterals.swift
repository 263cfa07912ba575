/// The literal strings a regular expression cannot match without: every match of the
/// pattern contains at least one of them. A message that contains none of them cannot
/// match, so the regular expression need not run; that check is a few byte searches,
/// while running one of ICU's expressions through Foundation costs microseconds, and a
/// turn tries hundreds of them (intent patterns, keywords, cue sets).
///
/// The analysis reads ICU's syntax and errs only one way: whatever it does not
/// understand (a character class, a look-around, a back-reference) is taken to match
/// anything, which can only make the set of literals less selective, never wrong. What it
/// cannot read at all (inline flags such as `(?x)`, `\Q…\E`, code points by number) gives
/// no literals, and the expression always runs. The literals are lower-case ASCII, for
/// expressions compiled case-insensitively and matched against ASCII text.
enum RequiredLiterals {
  /// The literals, or nil when every text has to be tried.
  static func of(_ pattern: String) -> [String]? {
    var parser = Parser(scalars: Array(pattern.unicodeScalars))
    guard let info = parser.alternation(), parser.atEnd else { return nil }
    let literals = info.exact ?? info.required
    guard !literals.contains(""), literals.allSatisfy({ $0.utf8.allSatisfy { $0 < 0x80 } }) else { return nil }
    return literals.sorted()
  }

  /// What is known of the strings a part of the pattern matches.
  private struct Info {
    /// All of them, when they are few.
    var exact: Set<String>?
    /// A set of which each of them contains one; `[""]` when nothing is known.
    var required: Set<String>

    static let anything = Info(exact: nil, required: [""])
    static let empty = Info(exact: [""], required: [""])

    static func literal(_ text: String) -> Info { Info(exact: [text], required: [text]) }

    /// The exact strings if known, else the required ones.
    var necessary: Set<String> { exact ?? required }
  }

  /// Cross products and unions grow fast; past this the analysis keeps what it has.
  private static let setLimit = 64

  private struct Parser {
    let scalars: [Unicode.Scalar]
    var position = 0

    var atEnd: Bool { position >= scalars.count }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
      position + offset < scalars.count ? scalars[position + offset] : nil
    }

    private mutating func next() -> Unicode.Scalar? {
      defer { position += 1 }
      return peek()
    }

    mutating func alternation() -> Info? {
      var branches: [Info] = []
      guard let first = sequence() else { return nil }
      branches.append(first)
      while peek() == "|" {
        position += 1
        guard let branch = sequence() else { return nil }
        branches.append(branch)
      }
      return branches.count == 1 ? first : RequiredLiterals.union(branches)
    }

    private mutating func sequence() -> Info? {
      var items: [Info] = []
      // Plain characters are gathered into one literal: one string rather than a set per
      // character, which made reading the patterns a visible part of start-up.
      var run = ""
      while let scalar = peek(), scalar != "|", scalar != ")" {
        if !Self.special.contains(scalar), !(peek(1).map(Self.quantifiers.contains) ?? false) {
          run.unicodeScalars.append(Self.lowered(scalar))
          position += 1
          continue
        }
        if !run.isEmpty {
          items.append(.literal(run))
          run = ""
        }
        guard let atom = atom(), let quantified = quantifiers(on: atom) else { return nil }
        items.append(quantified)
      }
      if !run.isEmpty { items.append(.literal(run)) }
      return RequiredLiterals.concatenation(items)
    }

    private static let special: Set<Unicode.Scalar> = ["(", ")", "[", ".", "^", "$", "\\", "*", "+", "?", "{", "|"]
    private static let quantifiers: Set<Unicode.Scalar> = ["*", "+", "?", "{"]

    private mutating func atom() -> Info? {
      guard let scalar = next() else { return nil }
      switch scalar {
      case "(": return group()
      case "[": return skipClass() ? .anything : nil
      case ".": return .anything
      case "^", "$": return .empty
      case "\\": return escape()
      case "*", "+", "?", "{", ")": return nil
      default: return .literal(String(Self.lowered(scalar)))
      }
    }

    private mutating func group() -> Info? {
      var lookAround = false
      if peek() == "?" {
        position += 1
        switch next() {
        case ":", ">": break
        case "=", "!": lookAround = true
        case "<":
          if peek() == "=" || peek() == "!" {
            position += 1
            lookAround = true
          } else {
            // A named group: (?<name>…).
            while let scalar = next(), scalar != ">" {}
          }
        default:
          // Inline flags ((?i), (?x), (?-s)…) or a comment: they change how the rest reads.
          return nil
        }
      }
      guard let inner = alternation(), next() == ")" else { return nil }
      // A look-around consumes nothing; taking it as the empty string only widens the match.
      return lookAround ? .empty : inner
    }

    /// Skips a character class, nested sets and escapes included.
    private mutating func skipClass() -> Bool {
      var depth = 1
      if peek() == "^" { position += 1 }
      if peek() == "]" { position += 1 }
      while let scalar = next() {
        switch scalar {
        case "\\": position += 1
        case "[": depth += 1
        case "]":
          depth -= 1
          if depth == 0 { return true }
        default: break
        }
      }
      return false
    }

    private mutating func escape() -> Info? {
      guard let scalar = next() else { return nil }
      switch scalar {
      case "b", "B", "A", "z", "Z", "G": return .empty
      case "w", "W", "s", "S", "d", "D", "h", "H", "v", "V", "R", "X", "a", "e", "f", "r": return .anything
      case "1"..."9": return .anything
      case "n": return .literal("\n")
      case "t": return .literal("\t")
      case "p", "P", "k":
        if peek() == "{" || peek() == "<" {
          let close: Unicode.Scalar = peek() == "{" ? "}" : ">"
          while let inner = next(), inner != close {}
        } else {
          position += 1
        }
        return .anything
      default:
        // Letters and digits not listed are code points by number, \Q…\E and the like.
        if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) { return nil }
        return .literal(String(scalar))
      }
    }

    private mutating func quantifiers(on atom: Info) -> Info? {
      var info = atom
      while let scalar = peek(), ["*", "+", "?", "{"].contains(scalar) {
        position += 1
        switch scalar {
        case "?": info = Self.optional(info)
        case "*": info = .anything
        case "+": info = Info(exact: nil, required: info.necessary)
        default:
          guard let (low, high) = bounds() else { return nil }
          if low == 0 {
            info = high == 1 ? Self.optional(info) : .anything
          } else if !(low == 1 && high == 1) {
            info = Info(exact: nil, required: info.necessary)
          }
        }
        // Lazy (`*?`) and possessive (`*+`) forms match the same strings.
        if peek() == "?" || peek() == "+" { position += 1 }
      }
      return info
    }

    /// `{m}`, `{m,}` or `{m,n}` after its opening brace; nil for `{}` of any other shape.
    private mutating func bounds() -> (Int, Int?)? {
      func number() -> Int? {
        var digits = ""
        while let scalar = peek(), ("0"..."9").contains(scalar) {
          digits.unicodeScalars.append(scalar)
          position += 1
        }
        return Int(digits)
      }
      guard let low = number() else { return nil }
      var high: Int? = low
      if peek() == "," {
        position += 1
        high = number()
      }
      guard next() == "}" else { return nil }
      return (low, high)
    }

    private static func optional(_ info: Info) -> Info {
      Info(exact: info.exact.map { $0.union([""]) }, required: [""])
    }

    /// ASCII letters in lower case; anything else as it is (and then no literals at all).
    private static func lowered(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
      ("A"..."Z").contains(scalar) ? Unicode.Scalar(UInt8(scalar.value) | 0x20) : scalar
    }
  }

  /// `a|b|…`: each match is one branch's.
  private static func union(_ branches: [Info]) -> Info {
    var exact: Set<String>? = []
    var required: Set<String> = []
    for branch in branches {
      if let known = exact, let own = branch.exact, known.count + own.count <= setLimit {
        exact = known.union(own)
      } else {
        exact = nil
      }
      required.formUnion(branch.necessary)
    }
    if required.contains("") { required = [""] }
    return Info(exact: exact, required: required)
  }

  /// `a b …`: runs of parts with known strings multiply out into longer literals; the
  /// most selective of those runs and of the other parts' literals is kept.
  private static func concatenation(_ items: [Info]) -> Info {
    guard !items.isEmpty else { return .empty }
    var candidates: [Set<String>] = []
    var run: Set<String>? = nil
    var allExact = true
    for item in items {
      guard let exact = item.exact else {
        allExact = false
        if let closed = run { candidates.append(closed) }
        run = nil
        candidates.append(item.required)
        continue
      }
      if let current = run, current.count * exact.count <= setLimit {
        run = Set(current.flatMap { prefix in exact.map { prefix + $0 } })
      } else {
        if let closed = run {
          allExact = false
          candidates.append(closed)
        }
        run = exact
      }
    }
    if let closed = run { candidates.append(closed) }
    if allExact, candidates.count == 1, let only = candidates.first {
      return Info(exact: only, required: only)
    }
    return Info(exact: nil, required: candidates.max(by: isLessSelective) ?? [""])
  }

  /// A set is more selective when its shortest string is longer; then when it is smaller.
  private static func isLessSelective(_ a: Set<String>, _ b: Set<String>) -> Bool {
    func shortest(_ set: Set<String>) -> Int { set.map(\.utf8.count).min() ?? 0 }
    let (lengthA, lengthB) = (shortest(a), shortest(b))
    return lengthA != lengthB ? lengthA < lengthB : a.count > b.count
  }
}
