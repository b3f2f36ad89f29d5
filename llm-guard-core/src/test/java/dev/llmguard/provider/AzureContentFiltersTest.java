package dev.llmguard.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmguard.ProviderError;
import dev.llmguard.ProviderFilterResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AzureContentFiltersTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static String fixture(String name) {
    try (InputStream in =
        AzureContentFiltersTest.class.getResourceAsStream("/provider/azure/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode json(String name) {
    try {
      return MAPPER.readTree(fixture(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ProviderFilterResult find(
      List<ProviderFilterResult> results, String source, String category) {
    return results.stream()
        .filter(r -> r.source().equals(source) && r.category().equals(category))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + source + "/" + category + " in " + results));
  }

  @Test
  void readsSeverityAndDetectionCategoriesOfPromptAndCompletion() {
    List<ProviderFilterResult> r =
        AzureContentFilters.fromCompletion(json("completion-filtered-annotations.json"));

    assertThat(find(r, "prompt", "violence"))
        .isEqualTo(
            new ProviderFilterResult(
                "prompt", "violence", false, "medium", null, Map.of("prompt_index", "0")));
    assertThat(find(r, "prompt", "jailbreak").detected()).isTrue();
    assertThat(find(r, "prompt", "indirect_attack").detected()).isTrue();
    assertThat(find(r, "prompt", "profanity").isHit()).isFalse();
    assertThat(find(r, "completion", "profanity").detected()).isTrue();
    assertThat(find(r, "completion", "hate").details()).containsEntry("choice_index", "0");
    assertThat(r).filteredOn(x -> x.source().equals("prompt")).hasSize(8);
    assertThat(r).filteredOn(x -> x.source().equals("completion")).hasSize(7);
  }

  @Test
  void keepsTheNestedCitationOfProtectedMaterialCode() {
    ProviderFilterResult code =
        find(
            AzureContentFilters.fromCompletion(json("completion-filtered-annotations.json")),
            "completion",
            "protected_material_code");

    assertThat(code.detected()).isTrue();
    assertThat(code.filtered()).isFalse();
    assertThat(code.details())
        .containsEntry(
            "citation_url",
            "https://github.com/TheAlgorithms/Python/blob/master/sorts/quick_sort.py")
        .containsEntry("citation_license", "MIT");
  }

  @Test
  void reportsAFilteredCompletionAsFiltered() {
    List<ProviderFilterResult> r =
        AzureContentFilters.fromCompletion(json("completion-finish-content-filter.json"));

    assertThat(find(r, "completion", "violence"))
        .extracting(ProviderFilterResult::filtered, ProviderFilterResult::severity)
        .containsExactly(true, "high");
    assertThat(AzureContentFilters.anyFiltered(r)).isTrue();
    assertThat(
            AzureContentFilters.anyFiltered(
                AzureContentFilters.fromCompletion(json("completion-plain.json"))))
        .isFalse();
  }

  @Test
  void readsPromptAnnotationsBlocklistIdsAndSkipsFiltersThatDidNotRun() {
    List<ProviderFilterResult> r =
        AzureContentFilters.fromCompletion(json("chunk-prompt-annotations.json"));

    assertThat(r)
        .extracting(ProviderFilterResult::category)
        .containsExactly("custom_blocklists", "hate");
    assertThat(find(r, "prompt", "custom_blocklists").details())
        .containsEntry("blocklist_ids", "competitor-names");
  }

  @Test
  void recognisesTheContentFilterErrorWithTheSingularSpelling() {
    ProviderError e =
        AzureContentFilters.fromContentFilterError(fixture("error-400-content-filter.json"))
            .orElseThrow();

    assertThat(e.errorCode()).isEqualTo("content_filter");
    assertThat(e.blockedByProvider()).isTrue();
    assertThat(find(e.providerFilters(), "prompt", "hate"))
        .extracting(ProviderFilterResult::filtered, ProviderFilterResult::severity)
        .containsExactly(true, "high");
    assertThat(find(e.providerFilters(), "prompt", "jailbreak").filtered()).isTrue();
  }

  @Test
  void recognisesTheContentFilterErrorWithThePluralSpelling() {
    ProviderError e =
        AzureContentFilters.fromContentFilterError(fixture("error-400-content-filter-results.json"))
            .orElseThrow();

    assertThat(find(e.providerFilters(), "prompt", "indirect_attack"))
        .extracting(ProviderFilterResult::filtered, ProviderFilterResult::detected)
        .containsExactly(true, true);
    assertThat(e.providerFilters()).hasSize(6);
  }

  @Test
  void describesOtherErrorsByTheirCodeOrStatusWithoutABlock() {
    assertThat(AzureContentFilters.describeHttpError(429, fixture("error-429-rate-limit.json")))
        .isEqualTo(new ProviderError("429", false, List.of()));
    assertThat(AzureContentFilters.describeHttpError(502, "<html>Bad Gateway</html>"))
        .isEqualTo(new ProviderError("502", false, List.of()));
    assertThat(AzureContentFilters.fromContentFilterError(fixture("error-429-rate-limit.json")))
        .isEmpty();
  }

  @Test
  void givesNothingForTextThatIsNotJsonOrNodesOfTheWrongShape() {
    assertThat(AzureContentFilters.fromContentFilterError("{\"error\": {\"code\": \"content_f"))
        .isEmpty();
    assertThat(AzureContentFilters.fromContentFilterError((String) null)).isEmpty();
    assertThat(AzureContentFilters.fromCompletion(null)).isEmpty();
    assertThat(AzureContentFilters.fromCompletion(MAPPER.getNodeFactory().textNode("x"))).isEmpty();
    assertThat(
            AzureContentFilters.fromContentFilterResults(
                "completion", MAPPER.createObjectNode().put("hate", "high")))
        .isEmpty();
  }
}
