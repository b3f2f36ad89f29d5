/**
 * Implementation details of llm-guard. <b>Not API</b>: anything here may change or disappear in any
 * release without notice; do not use it from applications or extensions.
 */
package dev.llmguard.internal;
