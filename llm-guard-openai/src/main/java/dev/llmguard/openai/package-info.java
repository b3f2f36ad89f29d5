/**
 * Guarding for the official OpenAI Java SDK ({@code com.openai:openai-java}), for OpenAI and Azure
 * OpenAI: {@link dev.llmguard.openai.GuardedOpenAIClient} is a drop-in {@code OpenAIClient} (one
 * line to switch) whose chat completions (also through {@code withRawResponse()}) and Responses API
 * calls are guarded, with an {@code async()} view; {@link dev.llmguard.openai.OpenAiChatClient} is
 * the provider-neutral {@link dev.llmguard.ChatClient} port. All run the one {@link
 * dev.llmguard.GuardedChatClient} engine; Azure content-filter annotations are read by the shared
 * {@link dev.llmguard.provider.AzureContentFilters} parser.
 */
package dev.llmguard.openai;
