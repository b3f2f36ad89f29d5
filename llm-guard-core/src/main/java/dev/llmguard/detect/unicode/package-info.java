/**
 * The built-in {@code invisible-text} detector: Unicode tag characters and variation selectors that
 * carry hidden text (decoded), zero-width characters, bidirectional controls and private-use
 * characters. Create it with {@link dev.llmguard.detect.unicode.InvisibleTextDetectorProvider}.
 */
package dev.llmguard.detect.unicode;
