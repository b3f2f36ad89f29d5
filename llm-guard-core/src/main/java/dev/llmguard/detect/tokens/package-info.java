/**
 * The built-in {@code token-limit} detector: BPE token counts (jtokkit, {@code cl100k_base} or
 * {@code o200k_base}) against a limit, and flooding detection. Create it with {@link
 * dev.llmguard.detect.tokens.TokenLimitDetectorProvider}.
 */
package dev.llmguard.detect.tokens;
