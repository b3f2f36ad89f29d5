/**
 * The {@code llm-guard} command line ({@code scan}, {@code eval}, {@code bench}); entry point
 * {@link dev.llmguard.cli.Main}. Not a library API.
 */
package dev.llmguard.cli;
