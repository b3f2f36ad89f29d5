/**
 * Text helpers shared by the built-in phrase detectors: {@link
 * dev.llmguard.detect.text.TextNormalizer} (folding with an offset map back to the original),
 * {@link dev.llmguard.detect.text.PhraseMatcher} (families of phrasings in linear time, no regular
 * expressions), {@link dev.llmguard.detect.text.RuleFile} (rules from a class-path file) and {@link
 * dev.llmguard.detect.text.Evidence} (weighted signals combined into a graded score). Usable by
 * third-party detectors; all types are thread-safe except {@code Evidence}, which is per scan
 * ({@code Evidence.open()} lends one of the calling thread's reused instances until it is closed),
 * {@code PhraseMatcher.Hits}, a reusable hit buffer, and the {@code NormalizedText} that {@code
 * TextNormalizer.normalize} returns, which lives in the calling thread's reused buffers and is
 * valid until that thread normalises another text.
 */
package dev.llmguard.detect.text;
