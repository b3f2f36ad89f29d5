package dev.llmguard.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.core.JsonValue;
import com.openai.core.ObjectMappers;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageParam;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.completions.CompletionUsage;
import dev.llmguard.ChatChunk;
import dev.llmguard.ChatMessage;
import dev.llmguard.ChatRequest;
import dev.llmguard.ChatResponse;
import dev.llmguard.Choice;
import dev.llmguard.InvalidRequestException;
import dev.llmguard.Role;
import dev.llmguard.ToolCall;
import dev.llmguard.Usage;
import dev.llmguard.provider.AzureContentFilters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Conversions between the OpenAI SDK's chat types and the core types. Messages are read through
 * their wire JSON (the SDK's own mapper), so every message shape the SDK can send is understood the
 * same way, and a redacted message is written back by changing only its text. Stateless.
 */
final class OpenAiWire {

  /** Parameters with this prefix are ours and never sent to the provider. */
  static final String PARAMETER_PREFIX = "llmguard.";

  private static final JsonMapper MAPPER = ObjectMappers.jsonMapper();

  private OpenAiWire() {}

  /** Where one core message came from: the SDK message index and the text part (or -1). */
  record Origin(int message, int part) {}

  /** The core view of the SDK's messages, one core message per text (part) of each. */
  record Conversation(List<ChatMessage> messages, List<Origin> origins) {}

  static Conversation conversation(List<ChatCompletionMessageParam> params) {
    List<ChatMessage> out = new ArrayList<>(params.size());
    List<Origin> origins = new ArrayList<>(params.size());
    for (int i = 0; i < params.size(); i++) {
      JsonNode node = MAPPER.valueToTree(params.get(i));
      Role role = role(node.path("role").asText(""));
      String name = text(node.get("name"));
      String toolCallId = text(node.get("tool_call_id"));
      List<ToolCall> calls = toolCalls(node.get("tool_calls"));
      JsonNode content = node.get("content");
      if (content != null && content.isArray()) {
        boolean any = false;
        for (int p = 0; p < content.size(); p++) {
          JsonNode part = content.get(p);
          String kind = part.path("type").asText("");
          String t = text(part.get(kind.equals("refusal") ? "refusal" : "text"));
          if (t == null) {
            continue;
          }
          out.add(new ChatMessage(role, t, name, toolCallId, any ? List.of() : calls));
          origins.add(new Origin(i, p));
          any = true;
        }
        if (!any) {
          // Only images, audio or files: the turn still counts, with no text to scan.
          out.add(new ChatMessage(role, "", name, toolCallId, calls));
          origins.add(new Origin(i, -2));
        }
      } else {
        out.add(new ChatMessage(role, text(content), name, toolCallId, calls));
        origins.add(new Origin(i, -1));
      }
    }
    return new Conversation(out, origins);
  }

  private static Role role(String wire) {
    if (wire.equals("function")) {
      return Role.TOOL;
    }
    return Role.fromId(wire);
  }

  private static List<ToolCall> toolCalls(JsonNode calls) {
    if (calls == null || !calls.isArray() || calls.isEmpty()) {
      return List.of();
    }
    List<ToolCall> out = new ArrayList<>(calls.size());
    for (JsonNode c : calls) {
      JsonNode fn = c.has("function") ? c.get("function") : c.get("custom");
      if (fn == null) {
        continue;
      }
      String name = text(fn.get("name"));
      String args = text(fn.has("arguments") ? fn.get("arguments") : fn.get("input"));
      if (name != null) {
        out.add(new ToolCall(text(c.get("id")), name, args));
      }
    }
    return out;
  }

  /**
   * The SDK messages to send for the engine's forwarded messages: the caller's own objects where
   * nothing changed, the same message with only its text replaced where the engine redacted it, and
   * a leading system message when the engine added one (canary tokens).
   */
  static List<ChatCompletionMessageParam> forwardedMessages(
      List<ChatCompletionMessageParam> original, Conversation conv, List<ChatMessage> forwarded) {
    int shift = forwarded.size() - conv.messages().size();
    if (shift != 0 && shift != 1) {
      throw new dev.llmguard.LlmGuardException(
          "The guard forwarded "
              + forwarded.size()
              + " messages for "
              + conv.messages().size()
              + "; only one added system message is supported");
    }
    ObjectNode[] patched = new ObjectNode[original.size()];
    for (int k = 0; k < conv.messages().size(); k++) {
      ChatMessage was = conv.messages().get(k);
      ChatMessage now = forwarded.get(k + shift);
      if (Objects.equals(was.content(), now.content())) {
        continue;
      }
      Origin o = conv.origins().get(k);
      ObjectNode node = patched[o.message()];
      if (node == null) {
        node = MAPPER.valueToTree(original.get(o.message()));
        patched[o.message()] = node;
      }
      if (o.part() >= 0) {
        ObjectNode part = (ObjectNode) node.get("content").get(o.part());
        part.put(part.has("refusal") && !part.has("text") ? "refusal" : "text", now.content());
      } else if (o.part() == -1) {
        node.put("content", now.content());
      }
    }
    if (shift == 0 && allNull(patched)) {
      return original;
    }
    List<ChatCompletionMessageParam> out = new ArrayList<>(original.size() + shift);
    if (shift == 1) {
      out.add(toParam(forwarded.get(0)));
    }
    for (int i = 0; i < original.size(); i++) {
      out.add(
          patched[i] == null
              ? original.get(i)
              : MAPPER.convertValue(patched[i], ChatCompletionMessageParam.class));
    }
    return out;
  }

  private static boolean allNull(Object[] a) {
    for (Object o : a) {
      if (o != null) {
        return false;
      }
    }
    return true;
  }

  /** One core message as an SDK message param. */
  static ChatCompletionMessageParam toParam(ChatMessage m) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("role", m.role().id());
    if (m.content() != null) {
      node.put("content", m.content());
    } else {
      node.putNull("content");
    }
    if (m.name() != null) {
      node.put("name", m.name());
    }
    if (m.toolCallId() != null) {
      node.put("tool_call_id", m.toolCallId());
    }
    if (!m.toolCalls().isEmpty()) {
      ArrayNode calls = node.putArray("tool_calls");
      for (ToolCall c : m.toolCalls()) {
        ObjectNode call = calls.addObject();
        if (c.id() != null) {
          call.put("id", c.id());
        }
        call.put("type", "function");
        call.putObject("function").put("name", c.name()).put("arguments", c.arguments());
      }
    }
    return MAPPER.convertValue(node, ChatCompletionMessageParam.class);
  }

  /**
   * The SDK request for a provider-neutral request: its messages, its model (or {@code
   * defaultModel}) and each of its parameters as a body property of the same name.
   *
   * @throws InvalidRequestException when neither the request nor the client names a model
   */
  static ChatCompletionCreateParams toParams(ChatRequest request, String defaultModel) {
    String model = request.model() != null ? request.model() : defaultModel;
    if (model == null) {
      throw new InvalidRequestException(
          "ChatRequest has no model and the OpenAiChatClient no default model: set"
              + " ChatRequest.builder().model(\"gpt-4o-mini\") or OpenAiChatClient.builder().model(…)");
    }
    ChatCompletionCreateParams.Builder b = ChatCompletionCreateParams.builder().model(model);
    List<ChatCompletionMessageParam> messages = new ArrayList<>(request.messages().size());
    for (ChatMessage m : request.messages()) {
      if (m == null) {
        throw new InvalidRequestException("ChatRequest.messages contains null");
      }
      messages.add(toParam(m));
    }
    b.messages(messages);
    for (Map.Entry<String, Object> e : request.parameters().entrySet()) {
      if (!e.getKey().startsWith(PARAMETER_PREFIX)) {
        b.putAdditionalBodyProperty(e.getKey(), JsonValue.from(e.getValue()));
      }
    }
    return b.build();
  }

  /**
   * The core view of an SDK answer, with Azure's content-filter annotations when present.
   *
   * @throws com.openai.errors.OpenAIInvalidDataException when a required field is missing or
   *     mistyped (as the SDK's own accessors do)
   */
  static ChatResponse toChatResponse(ChatCompletion c) {
    List<ChatCompletion.Choice> sdkChoices = c.choices();
    List<Choice> choices = new ArrayList<>(sdkChoices.size());
    ObjectNode filters = null;
    for (ChatCompletion.Choice ch : sdkChoices) {
      var msg = ch.message();
      List<ToolCall> calls = List.of();
      Optional<List<ChatCompletionMessageToolCall>> sdkCalls = msg.toolCalls();
      if (sdkCalls.isPresent() && !sdkCalls.get().isEmpty()) {
        calls = toolCalls(MAPPER.valueToTree(sdkCalls.get()));
      }
      String finish =
          ch._finishReason()
              .asKnown()
              .map(ChatCompletion.Choice.FinishReason::asString)
              .orElse(null);
      choices.add(
          new Choice(
              (int) ch.index(),
              new ChatMessage(Role.ASSISTANT, msg.content().orElse(null), null, null, calls),
              finish));
      JsonValue cfr = ch._additionalProperties().get("content_filter_results");
      if (cfr != null) {
        filters = filters != null ? filters : MAPPER.createObjectNode();
        ObjectNode one = filters.withArray("choices").addObject();
        one.put("index", ch.index());
        one.set("content_filter_results", MAPPER.valueToTree(cfr));
      }
    }
    filters = withPromptFilters(c._additionalProperties(), filters);
    return new ChatResponse(
        blankToNull(c.id()),
        blankToNull(c.model()),
        choices,
        usage(c.usage()),
        filters == null ? List.of() : AzureContentFilters.fromCompletion(filters),
        Map.of());
  }

  private static ObjectNode withPromptFilters(Map<String, JsonValue> extra, ObjectNode filters) {
    JsonValue prompt = extra.get("prompt_filter_results");
    if (prompt == null) {
      prompt = extra.get("prompt_annotations");
    }
    if (prompt == null) {
      return filters;
    }
    ObjectNode out = filters != null ? filters : MAPPER.createObjectNode();
    out.set("prompt_filter_results", MAPPER.valueToTree(prompt));
    return out;
  }

  /** One core chunk for one SDK chunk: the text of every choice, the first finish reason. */
  static ChatChunk toChatChunk(ChatCompletionChunk c) {
    StringBuilder delta = new StringBuilder();
    String finish = null;
    int index = 0;
    ObjectNode filters = null;
    List<ChatCompletionChunk.Choice> choices = c._choices().asKnown().orElse(List.of());
    for (int i = 0; i < choices.size(); i++) {
      ChatCompletionChunk.Choice ch = choices.get(i);
      if (i == 0) {
        index = ch._index().asKnown().map(Long::intValue).orElse(0);
      }
      ch._delta().asKnown().flatMap(d -> d.content()).ifPresent(delta::append);
      if (finish == null) {
        finish =
            ch._finishReason()
                .asKnown()
                .map(ChatCompletionChunk.Choice.FinishReason::asString)
                .orElse(null);
      }
      JsonValue cfr = ch._additionalProperties().get("content_filter_results");
      if (cfr != null) {
        filters = filters != null ? filters : MAPPER.createObjectNode();
        ObjectNode one = filters.withArray("choices").addObject();
        one.put("index", ch._index().asKnown().orElse(0L));
        one.set("content_filter_results", MAPPER.valueToTree(cfr));
      }
    }
    filters = withPromptFilters(c._additionalProperties(), filters);
    Usage usage = c._usage().asKnown().map(OpenAiWire::usage).orElse(null);
    return new ChatChunk(
        blankToNull(c._id().asKnown().orElse(null)),
        blankToNull(c._model().asKnown().orElse(null)),
        index,
        delta.toString(),
        finish,
        usage,
        filters == null ? List.of() : AzureContentFilters.fromCompletion(filters));
  }

  private static Usage usage(Optional<CompletionUsage> u) {
    return u.map(OpenAiWire::usage).orElse(Usage.UNKNOWN);
  }

  private static Usage usage(CompletionUsage u) {
    return Usage.of(
        u._promptTokens().asKnown().orElse(-1L), u._completionTokens().asKnown().orElse(-1L));
  }

  /**
   * The SDK answer for what the engine returned: the SDK's own object when the engine changed no
   * text, else a copy with only the changed choice contents replaced.
   */
  static ChatCompletion result(ChatCompletion raw, ChatResponse guarded) {
    List<ChatCompletion.Choice> sdk = raw.choices();
    if (sdk.size() != guarded.choices().size()) {
      return raw;
    }
    List<ChatCompletion.Choice> out = null;
    for (int i = 0; i < sdk.size(); i++) {
      ChatCompletion.Choice ch = sdk.get(i);
      String was = ch.message().content().orElse(null);
      String now = guarded.choices().get(i).message().content();
      if (Objects.equals(was, now)) {
        continue;
      }
      if (out == null) {
        out = new ArrayList<>(sdk);
      }
      out.set(i, ch.toBuilder().message(ch.message().toBuilder().content(now).build()).build());
    }
    return out == null ? raw : raw.toBuilder().choices(out).build();
  }

  /** A JSON value of the SDK as a Jackson tree. */
  static JsonNode tree(JsonValue v) {
    return MAPPER.valueToTree(v);
  }

  static String text(JsonNode n) {
    return n != null && n.isTextual() ? n.textValue() : null;
  }

  private static String blankToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
