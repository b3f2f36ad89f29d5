/**
 * Guarding for the official OpenAI Java SDK ({@code com.openai:openai-java}), for OpenAI and Azure
 * OpenAI: {@link dev.llmguard.openai.GuardedOpenAIClient} is a drop-in {@code OpenAIClient} (one
 * line to switch), {@link dev.llmguard.openai.OpenAiChatClient} the provider-neutral {@link
 * dev.llmguard.ChatClient} port. Both run the one {@link dev.llmguard.GuardedChatClient} engine.
 */
package dev.llmguard.openai;
