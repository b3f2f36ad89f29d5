/** The event sinks that ship with llm-guard-core: a JSON-lines file and an SLF4J log. */
package dev.llmguard.sink;
