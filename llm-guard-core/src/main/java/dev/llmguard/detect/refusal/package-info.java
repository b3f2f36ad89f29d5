/**
 * The built-in {@code refusal} detector: notices when the model declined to answer. A refusal is
 * not a threat by itself, but it tells triage that a prompt was probably malicious (or that the
 * application is broken), and its graded score becomes {@code gen_ai.security.refusal_score}.
 */
package dev.llmguard.detect.refusal;
