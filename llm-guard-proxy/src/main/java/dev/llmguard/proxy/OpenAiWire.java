package dev.llmguard.proxy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmguard.ChatChunk;
import dev.llmguard.ChatMessage;
import dev.llmguard.ChatRequest;
import dev.llmguard.ChatResponse;
import dev.llmguard.Choice;
import dev.llmguard.InvalidRequestException;
import dev.llmguard.ProviderFilterResult;
import dev.llmguard.Role;
import dev.llmguard.ToolCall;
import dev.llmguard.Usage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the OpenAI chat-completions request shape ({@code {"messages": [...]}}) into a {@link
 * ChatRequest} and writes {@link ChatResponse}s and {@link ChatChunk}s back in the OpenAI / Azure
 * response shape ({@code {"choices": [...], "usage": {...}}}), including Azure's {@code
 * prompt_filter_results} and per-choice {@code content_filter_results}. Stateless and thread-safe.
 */
public final class OpenAiWire {

  /** Shared mapper; nesting and string sizes are bounded so hostile JSON fails fast. */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(64)
                          .maxStringLength(64 * 1024 * 1024)
                          .build())
                  .build())
          .build();

  /** Request fields the proxy maps itself; every other top-level field is passed to the model. */
  private static final Set<String> MAPPED =
      Set.of("messages", "model", "user", "stream", "stream_options");

  private OpenAiWire() {}

  /** A parsed request: the chat request plus whether the client asked for a stream. */
  public record Parsed(ChatRequest request, boolean stream) {}

  /**
   * Parses a request body.
   *
   * @param body the raw body, UTF-8
   * @param defaultModel deployment used when the body names no {@code model}; may be {@code null}
   * @throws BadRequestException (400) for a body that is not a JSON object, has no non-empty {@code
   *     messages} array, or has a malformed message
   */
  public static Parsed parseRequest(byte[] body, String defaultModel) {
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (IOException e) {
      throw new BadRequestException(
          400, "invalid_json", "The request body is not valid JSON: " + firstLine(e));
    }
    if (root == null || !root.isObject()) {
      throw new BadRequestException(
          400, "invalid_json", "The request body must be a JSON object with a messages array");
    }
    JsonNode messages = root.get("messages");
    if (messages == null || messages.isNull()) {
      throw new BadRequestException(
          400, "missing_messages", "The request has no messages: send {\"messages\": [...]}");
    }
    if (!messages.isArray() || messages.isEmpty()) {
      throw new BadRequestException(
          400, "missing_messages", "messages must be a non-empty array of {role, content} objects");
    }
    ChatRequest.Builder b = ChatRequest.builder();
    int i = 0;
    for (JsonNode m : messages) {
      b.message(message(m, i++));
    }
    String model = text(root.get("model"));
    b.model(model != null && !model.isBlank() ? model : defaultModel);
    String user = text(root.get("user"));
    if (user != null && !user.isBlank()) {
      b.userId(user);
    }
    for (Map.Entry<String, JsonNode> f : root.properties()) {
      if (!MAPPED.contains(f.getKey())) {
        b.parameter(f.getKey(), MAPPER.convertValue(f.getValue(), Object.class));
      }
    }
    JsonNode stream = root.get("stream");
    if (stream != null && !stream.isNull() && !stream.isBoolean()) {
      throw new BadRequestException(400, "invalid_request", "stream must be true or false");
    }
    return new Parsed(b.build(), stream != null && stream.asBoolean(false));
  }

  private static ChatMessage message(JsonNode m, int index) {
    if (m == null || !m.isObject()) {
      throw invalid(index, "must be an object with role and content");
    }
    String roleName = text(m.get("role"));
    if (roleName == null) {
      throw invalid(index, "has no role");
    }
    Role role;
    try {
      role = Role.fromId(roleName);
    } catch (InvalidRequestException e) {
      throw invalid(index, e.getMessage());
    }
    String content = content(m.get("content"), index);
    List<ToolCall> calls = new ArrayList<>();
    JsonNode tc = m.get("tool_calls");
    if (tc != null && tc.isArray()) {
      for (JsonNode c : tc) {
        JsonNode fn = c.path("function");
        String name = text(fn.get("name"));
        if (name == null) {
          throw invalid(index, "has a tool call without a function name");
        }
        calls.add(new ToolCall(text(c.get("id")), name, text(fn.get("arguments"))));
      }
    }
    if (content == null && calls.isEmpty()) {
      throw invalid(index, "has no content");
    }
    return new ChatMessage(role, content, text(m.get("name")), text(m.get("tool_call_id")), calls);
  }

  /** A string, or the text parts of a content-part array joined by newlines. */
  private static String content(JsonNode c, int index) {
    if (c == null || c.isNull()) {
      return null;
    }
    if (c.isTextual()) {
      return c.asText();
    }
    if (c.isArray()) {
      StringBuilder sb = new StringBuilder();
      for (JsonNode part : c) {
        if ("text".equals(part.path("type").asText()) && part.path("text").isTextual()) {
          if (sb.length() > 0) {
            sb.append('\n');
          }
          sb.append(part.get("text").asText());
        }
      }
      return sb.toString();
    }
    throw invalid(index, "content must be a string or an array of content parts");
  }

  private static BadRequestException invalid(int index, String what) {
    return new BadRequestException(400, "invalid_message", "messages[" + index + "] " + what);
  }

  /** The OpenAI / Azure {@code chat.completion} object for {@code r}. */
  public static ObjectNode toJson(ChatResponse r, long createdEpochSeconds) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("id", r.id());
    o.put("object", "chat.completion");
    o.put("created", createdEpochSeconds);
    o.put("model", r.model());
    List<ProviderFilterResult> prompt = bySource(r.providerFilters(), "prompt");
    if (!prompt.isEmpty()) {
      ObjectNode pf = o.putArray("prompt_filter_results").addObject();
      pf.put("prompt_index", 0);
      pf.set("content_filter_results", filterResults(prompt));
    }
    List<ProviderFilterResult> completion = bySource(r.providerFilters(), "completion");
    ArrayNode choices = o.putArray("choices");
    for (Choice c : r.choices()) {
      ObjectNode ch = choices.addObject();
      ch.put("index", c.index());
      ch.put("finish_reason", c.finishReason());
      ch.set("message", message(c.message()));
      if (c.index() == 0 && !completion.isEmpty()) {
        ch.set("content_filter_results", filterResults(completion));
      }
    }
    o.set("usage", usage(r.usage()));
    return o;
  }

  private static ObjectNode message(ChatMessage m) {
    ObjectNode msg = MAPPER.createObjectNode();
    msg.put("role", m.role().id());
    msg.put("content", m.content());
    if (!m.toolCalls().isEmpty()) {
      ArrayNode calls = msg.putArray("tool_calls");
      for (ToolCall t : m.toolCalls()) {
        ObjectNode call = calls.addObject();
        call.put("id", t.id());
        call.put("type", "function");
        call.putObject("function").put("name", t.name()).put("arguments", t.arguments());
      }
    }
    return msg;
  }

  /** {@code usage} as the provider reported it; unknown counts are left out. */
  static ObjectNode usage(Usage u) {
    ObjectNode o = MAPPER.createObjectNode();
    if (u.inputTokens() >= 0) {
      o.put("prompt_tokens", u.inputTokens());
    }
    if (u.outputTokens() >= 0) {
      o.put("completion_tokens", u.outputTokens());
    }
    if (u.isKnown()) {
      o.put("total_tokens", u.totalTokens());
    }
    return o;
  }

  /** One {@code chat.completion.chunk} for a streamed piece. */
  public static ObjectNode toChunkJson(
      ChatChunk c, String id, String model, long createdEpochSeconds, boolean first) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("id", c.id() != null ? c.id() : id);
    o.put("object", "chat.completion.chunk");
    o.put("created", createdEpochSeconds);
    o.put("model", c.model() != null ? c.model() : model);
    List<ProviderFilterResult> prompt = bySource(c.providerFilters(), "prompt");
    if (!prompt.isEmpty()) {
      ObjectNode pf = o.putArray("prompt_filter_results").addObject();
      pf.put("prompt_index", 0);
      pf.set("content_filter_results", filterResults(prompt));
    }
    ArrayNode choices = o.putArray("choices");
    boolean hasChoice = !c.delta().isEmpty() || c.finishReason() != null || first;
    if (hasChoice) {
      ObjectNode ch = choices.addObject();
      ch.put("index", c.index());
      ObjectNode delta = ch.putObject("delta");
      if (first) {
        delta.put("role", "assistant");
      }
      if (!c.delta().isEmpty() || first) {
        delta.put("content", c.delta());
      }
      ch.put("finish_reason", c.finishReason());
      List<ProviderFilterResult> completion = bySource(c.providerFilters(), "completion");
      if (!completion.isEmpty()) {
        ch.set("content_filter_results", filterResults(completion));
      }
    }
    if (c.usage() != null) {
      o.set("usage", usage(c.usage()));
    }
    return o;
  }

  /** Azure's {@code content_filter_results} object for these results of one source. */
  static ObjectNode filterResults(List<ProviderFilterResult> results) {
    ObjectNode o = MAPPER.createObjectNode();
    for (ProviderFilterResult f : results) {
      ObjectNode cat = o.putObject(f.category());
      if (f.filtered() != null) {
        cat.put("filtered", f.filtered());
      }
      if (f.severity() != null) {
        cat.put("severity", f.severity());
      }
      if (f.detected() != null) {
        cat.put("detected", f.detected());
      }
      f.details().forEach(cat::put);
    }
    return o;
  }

  private static List<ProviderFilterResult> bySource(List<ProviderFilterResult> all, String src) {
    List<ProviderFilterResult> out = new ArrayList<>();
    for (ProviderFilterResult f : all) {
      if (src.equals(f.source())) {
        out.add(f);
      }
    }
    return out;
  }

  /** Serialises {@code node} compactly. */
  public static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot serialise a JSON tree", e);
    }
  }

  private static String text(JsonNode n) {
    return n == null || n.isNull() ? null : n.isValueNode() ? n.asText() : n.toString();
  }

  private static String firstLine(Exception e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
