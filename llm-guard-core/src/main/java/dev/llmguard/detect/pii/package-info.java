/**
 * The built-in {@code pii} detector: e-mail addresses, phone numbers (validated with
 * libphonenumber), payment cards, IBANs, US social security numbers and IP addresses, with exact
 * char spans for redaction. Create it with {@link dev.llmguard.detect.pii.PiiDetectorProvider};
 * everything else in the package is internal.
 */
package dev.llmguard.detect.pii;
