package dev.llmguard.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.core.ObjectMappers;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseStreamEvent;
import dev.llmguard.ChatChunk;
import dev.llmguard.ChatMessage;
import dev.llmguard.ChatResponse;
import dev.llmguard.Choice;
import dev.llmguard.LlmGuardException;
import dev.llmguard.Role;
import dev.llmguard.ToolCall;
import dev.llmguard.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Conversions between the SDK's Responses API types and the core types, through their wire JSON:
 * {@code instructions} is the system message, {@code input} (a string or a list of items) the
 * conversation, the {@code output} messages' text the answer. Stateless.
 */
final class ResponsesWire {
  private static final JsonMapper MAPPER = ObjectMappers.jsonMapper();

  /** Origin index of the {@code instructions}. */
  static final int INSTRUCTIONS = -1;

  /** Origin index of a plain-string {@code input}. */
  static final int INPUT_TEXT = -2;

  private ResponsesWire() {}

  /** The model's wire name, whichever of the SDK's model variants holds it. */
  static String modelName(com.openai.models.ResponsesModel model) {
    return OpenAiWire.text(MAPPER.valueToTree(model));
  }

  static OpenAiWire.Conversation conversation(ResponseCreateParams params) {
    List<ChatMessage> out = new ArrayList<>();
    List<OpenAiWire.Origin> origins = new ArrayList<>();
    params
        .instructions()
        .ifPresent(
            text -> {
              out.add(ChatMessage.system(text));
              origins.add(new OpenAiWire.Origin(INSTRUCTIONS, -1));
            });
    ResponseCreateParams.Input input = params.input().orElse(null);
    if (input == null) {
      return new OpenAiWire.Conversation(out, origins);
    }
    if (input.isText()) {
      out.add(ChatMessage.user(input.asText()));
      origins.add(new OpenAiWire.Origin(INPUT_TEXT, -1));
      return new OpenAiWire.Conversation(out, origins);
    }
    List<ResponseInputItem> items = input.asResponse();
    for (int i = 0; i < items.size(); i++) {
      JsonNode item = MAPPER.valueToTree(items.get(i));
      String type = item.path("type").asText("message");
      if (type.equals("function_call_output")) {
        JsonNode output = item.get("output");
        out.add(
            new ChatMessage(
                Role.TOOL,
                output != null && output.isTextual() ? output.textValue() : "",
                null,
                OpenAiWire.text(item.get("call_id")),
                List.of()));
        origins.add(new OpenAiWire.Origin(i, output != null && output.isTextual() ? -3 : -4));
        continue;
      }
      if (type.equals("function_call")) {
        out.add(
            new ChatMessage(
                Role.ASSISTANT,
                null,
                null,
                null,
                List.of(
                    new ToolCall(
                        OpenAiWire.text(item.get("call_id")),
                        item.path("name").asText("function"),
                        OpenAiWire.text(item.get("arguments"))))));
        origins.add(new OpenAiWire.Origin(i, -4));
        continue;
      }
      if (!item.has("role")) {
        continue; // reasoning items, item references …: nothing to scan
      }
      Role role = Role.fromId(item.get("role").asText());
      JsonNode content = item.get("content");
      if (content != null && content.isArray()) {
        for (int p = 0; p < content.size(); p++) {
          String t = OpenAiWire.text(content.get(p).get("text"));
          if (t != null) {
            out.add(ChatMessage.of(role, t));
            origins.add(new OpenAiWire.Origin(i, p));
          }
        }
      } else {
        out.add(ChatMessage.of(role, OpenAiWire.text(content)));
        origins.add(new OpenAiWire.Origin(i, -1));
      }
    }
    return new OpenAiWire.Conversation(out, origins);
  }

  /**
   * The request to send for the engine's forwarded messages: the caller's own when nothing changed;
   * else the same request with only the changed texts replaced (an added system message becomes the
   * {@code instructions}).
   */
  static ResponseCreateParams forwarded(
      ResponseCreateParams params, OpenAiWire.Conversation conv, List<ChatMessage> forwarded) {
    int shift = forwarded.size() - conv.messages().size();
    if (shift != 0 && shift != 1) {
      throw new LlmGuardException(
          "The guard forwarded " + forwarded.size() + " messages for " + conv.messages().size());
    }
    ResponseCreateParams.Builder b = null;
    if (shift == 1) {
      b = params.toBuilder().instructions(forwarded.get(0).content());
    }
    List<ResponseInputItem> items =
        params
            .input()
            .filter(ResponseCreateParams.Input::isResponse)
            .map(i -> i.asResponse())
            .orElse(null);
    ObjectNode[] patched = items == null ? new ObjectNode[0] : new ObjectNode[items.size()];
    for (int k = 0; k < conv.messages().size(); k++) {
      ChatMessage was = conv.messages().get(k);
      ChatMessage now = forwarded.get(k + shift);
      if (Objects.equals(was.content(), now.content())) {
        continue;
      }
      OpenAiWire.Origin o = conv.origins().get(k);
      if (o.message() == INSTRUCTIONS) {
        b = (b != null ? b : params.toBuilder()).instructions(now.content());
      } else if (o.message() == INPUT_TEXT) {
        b = (b != null ? b : params.toBuilder()).input(now.content());
      } else if (o.part() != -4) {
        ObjectNode node = patched[o.message()];
        if (node == null) {
          node = MAPPER.valueToTree(items.get(o.message()));
          patched[o.message()] = node;
        }
        if (o.part() >= 0) {
          ((ObjectNode) node.get("content").get(o.part())).put("text", now.content());
        } else if (o.part() == -3) {
          node.put("output", now.content());
        } else {
          node.put("content", now.content());
        }
      }
    }
    boolean anyItem = false;
    for (ObjectNode n : patched) {
      anyItem |= n != null;
    }
    if (anyItem) {
      List<ResponseInputItem> out = new ArrayList<>(items);
      for (int i = 0; i < patched.length; i++) {
        if (patched[i] != null) {
          out.set(i, MAPPER.convertValue(patched[i], ResponseInputItem.class));
        }
      }
      b = (b != null ? b : params.toBuilder()).input(ResponseCreateParams.Input.ofResponse(out));
    }
    return b == null ? params : b.build();
  }

  /** The core view of a Responses API answer: one choice with the output text and tool calls. */
  static ChatResponse toChatResponse(Response r) {
    JsonNode json = MAPPER.valueToTree(r);
    return toChatResponse(json);
  }

  private static ChatResponse toChatResponse(JsonNode json) {
    StringBuilder text = new StringBuilder();
    boolean anyText = false;
    List<ToolCall> calls = new ArrayList<>();
    for (JsonNode item : json.path("output")) {
      String type = item.path("type").asText("");
      if (type.equals("message")) {
        for (JsonNode part : item.path("content")) {
          String t =
              OpenAiWire.text(
                  part.get(part.path("type").asText("").equals("refusal") ? "refusal" : "text"));
          if (t != null) {
            text.append(t);
            anyText = true;
          }
        }
      } else if (type.equals("function_call")) {
        calls.add(
            new ToolCall(
                OpenAiWire.text(item.get("call_id")),
                item.path("name").asText("function"),
                OpenAiWire.text(item.get("arguments"))));
      }
    }
    String finish = finishReason(json, calls);
    JsonNode usage = json.get("usage");
    Usage u =
        usage == null || !usage.isObject()
            ? Usage.UNKNOWN
            : Usage.of(
                usage.path("input_tokens").asLong(-1), usage.path("output_tokens").asLong(-1));
    return new ChatResponse(
        OpenAiWire.text(json.get("id")),
        OpenAiWire.text(json.get("model")),
        List.of(
            new Choice(
                0,
                new ChatMessage(
                    Role.ASSISTANT, anyText ? text.toString() : null, null, null, calls),
                finish)),
        u,
        List.of(),
        Map.of());
  }

  /**
   * {@code stop} / {@code tool_calls} when completed, the incomplete reason when cut, else null.
   */
  private static String finishReason(JsonNode response, List<ToolCall> calls) {
    String status = response.path("status").asText("");
    switch (status) {
      case "completed":
        return calls.isEmpty() ? "stop" : "tool_calls";
      case "incomplete":
        String reason = OpenAiWire.text(response.path("incomplete_details").get("reason"));
        return "max_output_tokens".equals(reason)
            ? "length"
            : reason == null ? "incomplete" : reason;
      default:
        return null;
    }
  }

  /**
   * The SDK answer for what the engine returned: the SDK's own object when the text is unchanged,
   * else a copy whose first output text carries the engine's text (and any later ones none).
   */
  static Response result(Response raw, ChatResponse asSent, ChatResponse guarded) {
    String now = guarded.text();
    if (Objects.equals(asSent.text(), now)) {
      return raw;
    }
    ObjectNode json = MAPPER.valueToTree(raw);
    boolean first = true;
    for (JsonNode item : json.path("output")) {
      if (!item.path("type").asText("").equals("message")) {
        continue;
      }
      for (JsonNode part : (ArrayNode) item.path("content")) {
        if (part.has("text")) {
          ((ObjectNode) part).put("text", first ? now : "");
          first = false;
        }
      }
    }
    return MAPPER.convertValue(json, Response.class);
  }

  /** One core chunk per stream event: text deltas, and the finish and usage at the end. */
  static ChatChunk toChatChunk(ResponseStreamEvent event) {
    JsonNode json = MAPPER.valueToTree(event);
    String type = json.path("type").asText("");
    JsonNode response = json.get("response");
    switch (type) {
      case "response.output_text.delta":
        return new ChatChunk(
            null, null, 0, OpenAiWire.text(json.get("delta")), null, null, List.of());
      case "response.completed":
      case "response.incomplete":
      case "response.failed":
        ChatResponse r = toChatResponse(response);
        return new ChatChunk(
            r.id(), r.model(), 0, "", r.choices().get(0).finishReason(), r.usage(), List.of());
      default:
        if (response != null && response.isObject()) {
          return new ChatChunk(
              OpenAiWire.text(response.get("id")),
              OpenAiWire.text(response.get("model")),
              0,
              "",
              null,
              null,
              List.of());
        }
        return new ChatChunk(null, null, 0, "", null, null, List.of());
    }
  }
}
