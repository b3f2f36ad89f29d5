package dev.llmguard.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmguard.ChatMessage;
import dev.llmguard.ChatRequest;
import dev.llmguard.InvalidRequestException;
import dev.llmguard.Role;
import dev.llmguard.azure.wire.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AzureWireTest {

  private static ObjectNode body(String json) {
    return (ObjectNode) AzureWire.readTree(json);
  }

  private static ObjectNode partsRequest() {
    ObjectNode b = body("{\"messages\":[]}");
    ObjectNode m = ((com.fasterxml.jackson.databind.node.ArrayNode) b.get("messages")).addObject();
    m.put("role", "user");
    var parts = m.putArray("content");
    parts
        .addObject()
        .put("type", "text")
        .put("text", "Invoice for jana.novak@example.org:\nline 2");
    parts
        .addObject()
        .put("type", "image_url")
        .putObject("image_url")
        .put("url", "https://x.example/a.png");
    parts.addObject().put("type", "text").put("text", "Thanks");
    return b;
  }

  @Test
  void readsTheTextPartsOfAUserMessageJoinedByNewlines() {
    ChatRequest r = AzureWire.toChatRequest("d", partsRequest(), Map.of());

    assertThat(r.messages().get(0).content())
        .isEqualTo("Invoice for jana.novak@example.org:\nline 2\nThanks");
  }

  @Test
  void writesRedactedTextBackIntoTheSamePartsWhenLinesAreKept() {
    ObjectNode b = partsRequest();
    List<ChatMessage> redacted =
        List.of(ChatMessage.user("Invoice for [EMAIL_1]:\nline 2\nThanks"));

    JsonNode out = AzureWire.withContents(b, redacted);

    assertThat(out.at("/messages/0/content/0/text").asText())
        .isEqualTo("Invoice for [EMAIL_1]:\nline 2");
    assertThat(out.at("/messages/0/content/1/image_url/url").asText())
        .isEqualTo("https://x.example/a.png");
    assertThat(out.at("/messages/0/content/2/text").asText()).isEqualTo("Thanks");
    assertThat(b.at("/messages/0/content/0/text").asText()).contains("jana.novak"); // not mutated
  }

  @Test
  void putsRedactedTextIntoTheFirstPartWhenARedactionSpannedALineBreak() {
    List<ChatMessage> redacted = List.of(ChatMessage.user("Invoice for [SECRET_1]\nThanks"));

    JsonNode out = AzureWire.withContents(partsRequest(), redacted);

    assertThat(out.at("/messages/0/content/0/text").asText())
        .isEqualTo("Invoice for [SECRET_1]\nThanks");
    assertThat(out.at("/messages/0/content/2/text").asText()).isEmpty();
    assertThat(out.at("/messages/0/content/1/type").asText()).isEqualTo("image_url");
  }

  @Test
  void mapsTheDeprecatedFunctionMessageToAToolMessageAndRejectsUnknownRoles() {
    ChatMessage m =
        AzureWire.toChatMessage(
            AzureWire.readTree(
                "{\"role\":\"function\",\"name\":\"lookup_order\",\"content\":\"{}\"}"));

    assertThat(m.role()).isEqualTo(Role.TOOL);
    assertThat(m.name()).isEqualTo("lookup_order");
    assertThatThrownBy(
            () ->
                AzureWire.toChatMessage(
                    AzureWire.readTree("{\"role\":\"narrator\",\"content\":\"x\"}")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("narrator");
  }

  @Test
  void givesOneChunkPerChoiceWithPromptFiltersAndUsageOnTheFirst() {
    List<String> lines = new ArrayList<>();
    for (String l : Fixtures.text("stream-plain.sse").split("\n")) {
      if (l.startsWith("data: {")) {
        lines.add(l.substring(6));
      }
    }

    var first = AzureWire.toChunks(AzureWire.readTree(lines.get(0)));
    var last = AzureWire.toChunks(AzureWire.readTree(lines.get(lines.size() - 1)));
    var finish = AzureWire.toChunks(AzureWire.readTree(lines.get(lines.size() - 2)));

    assertThat(first)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.id()).isNull();
              assertThat(c.providerFilters()).hasSize(5);
            });
    assertThat(last)
        .singleElement()
        .satisfies(c -> assertThat(c.usage().outputTokens()).isEqualTo(9));
    assertThat(finish)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.finishReason()).isEqualTo("stop");
              assertThat(c.providerFilters()).allMatch(f -> f.source().equals("completion"));
            });
  }
}
