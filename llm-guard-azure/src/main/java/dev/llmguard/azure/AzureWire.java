package dev.llmguard.azure;

import com.azure.ai.openai.models.ChatCompletions;
import com.azure.ai.openai.models.ChatCompletionsOptions;
import com.azure.core.util.BinaryData;
import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmguard.ChatChunk;
import dev.llmguard.ChatMessage;
import dev.llmguard.ChatRequest;
import dev.llmguard.ChatResponse;
import dev.llmguard.Choice;
import dev.llmguard.ProviderFilterResult;
import dev.llmguard.Role;
import dev.llmguard.ToolCall;
import dev.llmguard.Usage;
import dev.llmguard.provider.AzureContentFilters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Azure OpenAI chat wire format (JSON) to and from the core types. Works on the raw JSON so
 * that no field is lost: the guarded clients serialise the caller's {@link ChatCompletionsOptions}
 * once, change only message contents on redaction, and deserialise answers with the SDK's own model
 * classes. Stateless and thread-safe.
 */
final class AzureWire {

  static final ObjectMapper MAPPER = new ObjectMapper();

  /** Joins the text parts of a user message with content parts. */
  static final String PART_SEPARATOR = "\n";

  private AzureWire() {}

  // ---------------------------------------------------------------- request

  /** The JSON body the SDK would send for {@code options}, as a mutable tree. */
  static ObjectNode toJson(ChatCompletionsOptions options) {
    return (ObjectNode) readTree(BinaryData.fromObject(options).toString());
  }

  /** The core request for the messages of {@code body}, with deployment and end-user id. */
  static ChatRequest toChatRequest(String deployment, ObjectNode body, Map<String, Object> extra) {
    List<ChatMessage> messages = new ArrayList<>();
    JsonNode ms = body.get("messages");
    if (ms != null && ms.isArray()) {
      for (JsonNode m : ms) {
        messages.add(toChatMessage(m));
      }
    }
    ChatRequest.Builder b = ChatRequest.builder().messages(messages).model(deployment);
    String user = text(body.get("user"));
    if (user != null) {
      b.userId(user);
    }
    extra.forEach(b::parameter);
    return b.build();
  }

  static ChatMessage toChatMessage(JsonNode m) {
    String roleId = text(m.get("role"));
    Role role;
    if ("function".equals(roleId)) {
      role = Role.TOOL; // the deprecated function-result message
    } else {
      role = Role.fromId(roleId == null ? "user" : roleId);
    }
    List<ToolCall> calls = new ArrayList<>();
    JsonNode tc = m.get("tool_calls");
    if (tc != null && tc.isArray()) {
      for (JsonNode c : tc) {
        JsonNode fn = c.path("function");
        String name = text(fn.get("name"));
        calls.add(new ToolCall(text(c.get("id")), name == null ? "" : name, argText(fn)));
      }
    }
    return new ChatMessage(
        role,
        contentText(m.get("content")),
        text(m.get("name")),
        text(m.get("tool_call_id")),
        calls);
  }

  /** A string content as is; the text parts of a content-part array joined; else null. */
  static String contentText(JsonNode content) {
    if (content == null || content.isNull()) {
      return null;
    }
    if (content.isTextual()) {
      return content.textValue();
    }
    if (content.isArray()) {
      List<String> texts = new ArrayList<>();
      for (JsonNode part : content) {
        if ("text".equals(text(part.get("type"))) && part.get("text") != null) {
          texts.add(part.get("text").asText());
        }
      }
      return texts.isEmpty() ? null : String.join(PART_SEPARATOR, texts);
    }
    return content.toString();
  }

  /**
   * A copy of {@code body} whose message contents are those of {@code messages} wherever they
   * differ from the original; everything else is kept as it was.
   */
  static ObjectNode withContents(ObjectNode body, List<ChatMessage> messages) {
    JsonNode ms = body.get("messages");
    if (ms == null || !ms.isArray()) {
      return body;
    }
    ObjectNode copy = body.deepCopy();
    ArrayNode out = (ArrayNode) copy.get("messages");
    for (int i = 0; i < out.size() && i < messages.size(); i++) {
      ObjectNode m = (ObjectNode) out.get(i);
      String before = contentText(m.get("content"));
      String after = messages.get(i).content();
      if (after == null || after.equals(before)) {
        continue;
      }
      JsonNode content = m.get("content");
      if (content != null && content.isArray()) {
        m.set("content", withPartTexts((ArrayNode) content, after));
      } else {
        m.put("content", after);
      }
    }
    return copy;
  }

  /**
   * Writes redacted text back into content parts. Redaction keeps line breaks, so the lines are
   * given back to the parts they came from; if the line count changed the whole text goes into the
   * first text part and the other text parts are emptied (non-text parts stay in place).
   */
  private static ArrayNode withPartTexts(ArrayNode parts, String redacted) {
    ArrayNode copy = parts.deepCopy();
    List<ObjectNode> textParts = new ArrayList<>();
    for (JsonNode p : copy) {
      if ("text".equals(text(p.get("type")))) {
        textParts.add((ObjectNode) p);
      }
    }
    if (textParts.isEmpty()) {
      return copy;
    }
    String[] lines = redacted.split(PART_SEPARATOR, -1);
    int total = 0;
    int[] counts = new int[textParts.size()];
    for (int i = 0; i < textParts.size(); i++) {
      counts[i] = textParts.get(i).path("text").asText().split(PART_SEPARATOR, -1).length;
      total += counts[i];
    }
    if (total == lines.length) {
      int at = 0;
      for (int i = 0; i < textParts.size(); i++) {
        textParts
            .get(i)
            .put(
                "text",
                String.join(
                    PART_SEPARATOR, java.util.Arrays.asList(lines).subList(at, at + counts[i])));
        at += counts[i];
      }
    } else {
      textParts.get(0).put("text", redacted);
      for (int i = 1; i < textParts.size(); i++) {
        textParts.get(i).put("text", "");
      }
    }
    return copy;
  }

  /** The JSON body for a core request (the provider-neutral client). */
  static ObjectNode toJson(ChatRequest request) {
    ObjectNode body = MAPPER.createObjectNode();
    ArrayNode ms = body.putArray("messages");
    for (ChatMessage m : request.messages()) {
      ObjectNode o = ms.addObject();
      o.put("role", m.role().id());
      if (m.content() != null) {
        o.put("content", m.content());
      } else {
        o.putNull("content");
      }
      if (m.name() != null) {
        o.put("name", m.name());
      }
      if (m.toolCallId() != null) {
        o.put("tool_call_id", m.toolCallId());
      }
      if (!m.toolCalls().isEmpty()) {
        ArrayNode calls = o.putArray("tool_calls");
        for (ToolCall c : m.toolCalls()) {
          ObjectNode call = calls.addObject();
          if (c.id() != null) {
            call.put("id", c.id());
          }
          call.put("type", "function");
          call.putObject("function").put("name", c.name()).put("arguments", c.arguments());
        }
      }
    }
    if (request.userId() != null) {
      body.put("user", request.userId());
    }
    for (Map.Entry<String, Object> p : request.parameters().entrySet()) {
      if (!p.getKey().startsWith(GuardedCall.PARAMETER_PREFIX)) {
        body.set(p.getKey(), MAPPER.valueToTree(p.getValue()));
      }
    }
    return body;
  }

  // ---------------------------------------------------------------- response

  static ChatResponse toChatResponse(JsonNode body) {
    List<Choice> choices = new ArrayList<>();
    JsonNode cs = body.get("choices");
    if (cs != null && cs.isArray()) {
      for (JsonNode c : cs) {
        JsonNode msg = c.path("message");
        ChatMessage m =
            msg.isObject() ? withAssistantRole(toChatMessage(msg)) : ChatMessage.assistant(null);
        choices.add(new Choice(c.path("index").asInt(choices.size()), m, finishReason(c)));
      }
    }
    List<ProviderFilterResult> filters = AzureContentFilters.fromCompletion(body);
    boolean refused =
        AzureContentFilters.anyFiltered(filters)
            || choices.stream()
                .anyMatch(c -> AzureContentFilters.CONTENT_FILTER.equals(c.finishReason()));
    return new ChatResponse(
        text(body.get("id")),
        text(body.get("model")),
        choices,
        usage(body.get("usage")),
        filters,
        refused
            ? Map.of(AzureOpenAIChatClient.ERROR_CODE_ATTRIBUTE, AzureContentFilters.CONTENT_FILTER)
            : Map.of());
  }

  private static ChatMessage withAssistantRole(ChatMessage m) {
    return m.role() == Role.ASSISTANT
        ? m
        : new ChatMessage(Role.ASSISTANT, m.content(), m.name(), m.toolCallId(), m.toolCalls());
  }

  /**
   * One core chunk per choice of a stream event; a choice-less event (Azure sends the prompt filter
   * results that way) gives one empty chunk. Prompt filter results and usage go on the first chunk,
   * each choice's own filter results on its chunk.
   */
  static List<ChatChunk> toChunks(JsonNode event) {
    String id = blankToNull(text(event.get("id")));
    String model = blankToNull(text(event.get("model")));
    Usage usage = event.path("usage").isObject() ? usage(event.get("usage")) : null;
    List<ProviderFilterResult> prompt =
        AzureContentFilters.fromPromptFilterResults(event.get("prompt_filter_results"));
    List<ChatChunk> out = new ArrayList<>();
    JsonNode cs = event.get("choices");
    if (cs != null && cs.isArray()) {
      for (JsonNode c : cs) {
        JsonNode delta = c.path("delta");
        String content = delta.isObject() ? text(delta.get("content")) : null;
        List<ProviderFilterResult> filters = new ArrayList<>();
        if (out.isEmpty()) {
          filters.addAll(prompt);
        }
        filters.addAll(
            AzureContentFilters.fromContentFilterResults(
                AzureContentFilters.COMPLETION, c.get("content_filter_results")));
        out.add(
            new ChatChunk(
                id,
                model,
                c.path("index").asInt(0),
                content,
                finishReason(c),
                out.isEmpty() ? usage : null,
                filters));
      }
    }
    if (out.isEmpty()) {
      out.add(new ChatChunk(id, model, 0, "", null, usage, prompt));
    }
    return out;
  }

  private static String finishReason(JsonNode choice) {
    String r = text(choice.get("finish_reason"));
    return r == null ? null : r.toLowerCase(Locale.ROOT);
  }

  static Usage usage(JsonNode u) {
    if (u == null || !u.isObject()) {
      return Usage.UNKNOWN;
    }
    return new Usage(
        u.path("prompt_tokens").isNumber() ? u.get("prompt_tokens").asLong() : -1,
        u.path("completion_tokens").isNumber() ? u.get("completion_tokens").asLong() : -1);
  }

  /**
   * A copy of the answer body whose choice contents are those of {@code guarded} wherever they
   * differ (restored placeholders, redacted answers).
   */
  static JsonNode withChoiceContents(JsonNode body, ChatResponse guarded) {
    JsonNode cs = body.get("choices");
    if (cs == null || !cs.isArray()) {
      return body;
    }
    ObjectNode copy = (ObjectNode) body.deepCopy();
    ArrayNode choices = (ArrayNode) copy.get("choices");
    for (int i = 0; i < choices.size() && i < guarded.choices().size(); i++) {
      JsonNode msg = choices.get(i).get("message");
      String after = guarded.choices().get(i).message().content();
      if (msg instanceof ObjectNode o && after != null && !after.equals(text(o.get("content")))) {
        o.put("content", after);
      }
    }
    return copy;
  }

  /**
   * The SDK's own model of an answer, deserialised exactly as the SDK's convenience methods do, so
   * that a malformed body fails with the same exception the SDK would raise.
   */
  static ChatCompletions toCompletions(BinaryData body) {
    return body.toObject(ChatCompletions.class);
  }

  /** As {@link #toCompletions(BinaryData)} for the text of one stream event. */
  static ChatCompletions toCompletions(String json) {
    try (JsonReader reader = JsonProviders.createReader(json)) {
      return ChatCompletions.fromJson(reader);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---------------------------------------------------------------- helpers

  static JsonNode readTree(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String argText(JsonNode fn) {
    JsonNode a = fn.get("arguments");
    if (a == null || a.isNull()) {
      return "";
    }
    return a.isTextual() ? a.textValue() : a.toString();
  }

  static String text(JsonNode n) {
    return n != null && n.isTextual() ? n.textValue() : null;
  }

  private static String blankToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
