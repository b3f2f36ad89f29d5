package dev.llmguard;

/**
 * The policy blocked the exchange. For a blocked prompt the delegate was never called; for a
 * blocked answer (or stream) the answer was withheld. Carries the {@link Verdict}; the message
 * names detectors and categories but never the detected text.
 */
public class GuardrailViolationException extends LlmGuardException {
  private static final long serialVersionUID = 1L;
  private final transient Verdict verdict;
  private final String eventId;

  public GuardrailViolationException(Verdict verdict, String eventId) {
    super(
        "Blocked by llm-guard ("
            + verdict.summary()
            + ")"
            + (eventId == null ? "" : ", event " + eventId));
    this.verdict = verdict;
    this.eventId = eventId;
  }

  public Verdict verdict() {
    return verdict;
  }

  /** The id of the event that records this block ({@code event.id}), for support tickets. */
  public String eventId() {
    return eventId;
  }
}
