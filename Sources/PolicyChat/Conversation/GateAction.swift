import Foundation

/// A structured step of the age screen or parental consent, for front ends with their
/// own forms (the protocol's `age.*` and `parental.*` methods). Each does what the same
/// words in the chat do.
public enum GateAction: Sendable, Equatable {
  /// An answer to the age screen: a date of birth, a month and year, or an age, written
  /// any usual way ("2010-03-14", "March 2010", "15").
  case declareAge(String)
  /// The country the person lives in: an ISO 3166-1 alpha-2 code or a name.
  case setCountry(String)
  /// A child's parent's or guardian's e-mail address, to ask for their consent.
  case requestParentalConsent(contact: String)
  /// A parent's step on a consent: start giving it, review, revoke, delete the child's
  /// data, or ask for a new code.
  case parent(ParentAction, reference: String)
  /// The code a parent received.
  case enterCode(reference: String, code: String)
  /// The parent's explicit answer after seeing what they consent to.
  case confirmConsent(reference: String, agree: Bool)
  /// The host verified the parent itself (`card`, `id_document`, `video_call`,
  /// `signed_form`, ...; see knowledge/age-gate.yaml).
  case hostVerified(reference: String, method: String)
  /// Turns a consent purpose (knowledge/consent.yaml) on or off, from the host's own
  /// consent controls.
  case setConsent(purpose: String, granted: Bool)
  /// The person's consent choices, as a turn.
  case consentStatus
  /// Starts a rights request (`access`, `erasure`, ...), as if the person had asked.
  case startRequest(type: String)
  /// The request's next answer, by the protocol's parameter: `email`, `code`, `text` (the
  /// details) or `confirm` (`true` for yes, anything else no; never read as words).
  case requestAnswer(field: String, value: String)
  /// "What's the status of RQ-...?".
  case requestStatus(reference: String)
  /// Stops the request being taken.
  case cancelRequest
}
