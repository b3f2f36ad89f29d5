/**
 * The {@code prompt-injection} detector: instruction override, prompt extraction, identity
 * override, forced outputs, chat-template tokens and fake turns, fake delimiters, adversarial
 * filler, and instructions hidden in encodings. Rules: {@code
 * /dev/llmguard/detect/injection/rules.txt}.
 */
package dev.llmguard.detect.injection;
