/**
 * Ships llm-guard events to Elasticsearch: {@link dev.llmguard.elastic.ElasticsearchEventSink}
 * (configured by {@link dev.llmguard.elastic.ElasticsearchSinkConfig}, discovered as {@code
 * elasticsearch} through {@link dev.llmguard.elastic.ElasticsearchEventSinkProvider}), the index
 * template ({@code elastic/index-template.json}), the least-privilege roles ({@code
 * elastic/llm-guard-*-role.json}) and Kibana detection rules ({@code detection-rules/}).
 */
package dev.llmguard.elastic;
