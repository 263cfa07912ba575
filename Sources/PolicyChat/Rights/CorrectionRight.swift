/// Correction: the e-mail address on record, at once; any other correction goes to the
/// privacy officer.
struct CorrectionRight: RightFulfilment {
  let type = "correction"
  let canFulfilAutomatically = true
  let asks = RightQuestion.details

  func carryOut(_ request: RightRequest, state: inout SessionState, engine: Engine) throws(EngineError)
    -> RightOutcome
  {
    guard let newEmail = request.details.flatMap(GateAnswers.email(in:)),
      var subject = try engine.store.subject(id: request.subjectId)
    else {
      return try passOn(request, state: &state, engine: engine)
    }
    subject.email = newEmail
    try engine.store.saveSubject(subject)
    return RightOutcome(
      intent: "request.correction_done",
      values: ["what": "your e-mail address on record is now \(GateAnswers.masked(newEmail))"],
      outcome: "the e-mail address on record was corrected")
  }
}
