extension String {
  /// Without leading and trailing white space and line breaks. Foundation's
  /// `trimmingCharacters(in:)` goes through NSString on Linux, which made it one of the
  /// larger costs of loading the sections and of writing a reply.
  var trimmingWhitespace: String {
    var scalars = Substring(self).unicodeScalars
    while scalars.first?.properties.isWhitespace == true { scalars = scalars.dropFirst() }
    while scalars.last?.properties.isWhitespace == true { scalars = scalars.dropLast() }
    return String(scalars)
  }
}
