/**
 * Scoring of labelled files for {@code eval}: one {@link dev.llmguard.cli.eval.Evaluation} per
 * format (prompts, pii, secrets), {@link dev.llmguard.cli.eval.Confusion} for the counts.
 */
package dev.llmguard.cli.eval;
