/**
 * The {@code jailbreak} detector: persona and role-play jailbreaks scored from many weak signals.
 * Rules: {@code /dev/llmguard/detect/jailbreak/rules.txt}.
 */
package dev.llmguard.detect.jailbreak;
