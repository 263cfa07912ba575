/// A stretch of a message that one scanner recognised, before overlaps are settled.
///
/// Offsets are into the message's UTF-8 bytes: the scanners work on bytes because every
/// pattern they look for is ASCII, and that keeps them linear and allocation-free.
struct RedactionMatch {
  var kind: PersonalDataKind
  var bytes: Range<Int>
}
