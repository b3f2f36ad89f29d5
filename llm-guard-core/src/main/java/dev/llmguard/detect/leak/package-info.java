/**
 * The built-in {@code system-prompt-leak} detector: notices answers that reproduce the
 * application's system prompt, by word n-gram overlap or by the per-call canary token that the
 * guard can plant in the system prompt.
 */
package dev.llmguard.detect.leak;
