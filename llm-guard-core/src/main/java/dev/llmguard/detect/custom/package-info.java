/**
 * Detectors the application configures with its own lists: {@code banned-substrings} ({@link
 * dev.llmguard.detect.custom.BannedSubstringsDetectorProvider}) and {@code regex} ({@link
 * dev.llmguard.detect.custom.RegexDetectorProvider}). With no configuration they report nothing.
 */
package dev.llmguard.detect.custom;
