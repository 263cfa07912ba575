import Foundation

/// What the request flows (``RequestFlow``, ``RequestStatusFlow``) read: data subjects,
/// requests, code challenges and the settings of knowledge/requests.yaml. The verifier, the
/// random source and the code refusals' replies they share with the parental flows
/// (FlowContext+Parental.swift).
extension FlowContext {
  var requestSettings: RequestSettings { engine.requestSettings }

  /// The data subject with this address (not an erased one).
  func subject(email: String) throws(EngineError) -> DataSubjectRecord? {
    try engine.store.subject(email: email)
  }

  func subject(id: String) throws(EngineError) -> DataSubjectRecord? {
    try engine.store.subject(id: id)
  }

  /// The data subject a consent/transcript subject key (a device hash, `session:` id) is
  /// linked to.
  func subject(linkedTo key: String) throws(EngineError) -> DataSubjectRecord? {
    try engine.store.subject(linkedTo: key)
  }

  /// A request by its reference (RQ-...).
  func request(reference: String) throws(EngineError) -> RequestRecord? {
    try engine.store.request(reference: reference)
  }

  /// Every request of a subject.
  func requests(of subjectId: String) throws(EngineError) -> [RequestRecord] {
    try engine.store.requests(RequestFilter(subjectId: subjectId))
  }

  /// A code challenge by its id.
  func challenge(id: String) throws(EngineError) -> ChallengeRecord? {
    try engine.store.challenge(id: id)
  }

  /// What is held about `subject` as it will be once it is saved and `keys` are linked to
  /// it: those writes are the turn's effects, applied after the reply that shows it.
  func heldOnceLinked(_ subject: DataSubjectRecord, keys: [String]) throws(EngineError) -> SubjectExport {
    try engine.store.subjectExport(subject, alsoLinked: keys, at: now)
  }
}
