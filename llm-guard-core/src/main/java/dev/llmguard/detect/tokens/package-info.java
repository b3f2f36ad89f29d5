/**
 * The built-in {@code token-limit} detector: BPE token counts ({@code cl100k_base} or {@code
 * o200k_base}, exactly as jtokkit counts them, by an allocation-free counter over jtokkit's rank
 * tables) against a limit, and flooding detection. Create it with {@link
 * dev.llmguard.detect.tokens.TokenLimitDetectorProvider}.
 */
package dev.llmguard.detect.tokens;
