/**
 * Helpers for backend authors: parsers of provider wire formats that every backend of the same
 * provider shares (for example {@link dev.llmguard.provider.AzureContentFilters}, used by the Azure
 * SDK adapter and by any OpenAI-compatible client that talks to Azure). Applications do not need
 * this package.
 */
package dev.llmguard.provider;
