package dev.llmguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmguard.spi.Detector;
import dev.llmguard.support.EchoDetectorProvider;
import dev.llmguard.support.TestDetectors;
import dev.llmguard.testkit.CapturingEventSink;
import dev.llmguard.testkit.ScriptedChatClient;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetectorsDiscoveryTest {
  @TempDir Path dir;

  /** A class loader that sees a services file listing {@code lines} (plus everything we see). */
  private ClassLoader loaderWith(String... lines) throws IOException {
    Path services = dir.resolve("META-INF/services/dev.llmguard.spi.DetectorProvider");
    Files.createDirectories(services.getParent());
    Files.write(services, List.of(lines));
    return new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
  }

  private List<String> ids(GuardedChatClient g) {
    return g.detectors().stream()
        .map(Detector::id)
        .filter(id -> List.of("echo", "zz-first", "broken").contains(id))
        .toList();
  }

  @Test
  void providersAreFoundAndOrderedByOrderThenId() throws IOException {
    ClassLoader cl =
        loaderWith(
            EchoDetectorProvider.class.getName(), EchoDetectorProvider.First.class.getName());
    try (GuardedChatClient g =
        GuardedChatClient.builder(ScriptedChatClient.answering("x"))
            .ignoreExternalConfiguration()
            .classLoader(cl)
            .sinks(new CapturingEventSink())
            .build()) {
      assertThat(ids(g)).containsExactly("zz-first", "echo");
    }
  }

  @Test
  void aBrokenProviderIsReportedWithoutTakingTheOthersDown() throws IOException {
    ClassLoader cl =
        loaderWith(
            "com.example.DoesNotExist",
            EchoDetectorProvider.class.getName(),
            EchoDetectorProvider.Broken.class.getName());
    Detectors.Discovery found = Detectors.discover(cl);
    assertThat(found.providers()).containsKeys("echo", "broken");
    assertThat(found.problems()).singleElement().asString().contains("com.example.DoesNotExist");
    try (GuardedChatClient g =
        GuardedChatClient.builder(ScriptedChatClient.answering("x"))
            .ignoreExternalConfiguration()
            .classLoader(cl)
            .sinks(new CapturingEventSink())
            .build()) {
      assertThat(ids(g)).containsExactly("echo");
    }
  }

  @Test
  void aSelectedProviderThatFailsToCreateStopsTheBuildWithItsName() throws IOException {
    ClassLoader cl = loaderWith(EchoDetectorProvider.Broken.class.getName());
    assertThatThrownBy(
            () ->
                GuardedChatClient.builder(ScriptedChatClient.answering("x"))
                    .ignoreExternalConfiguration()
                    .classLoader(cl)
                    .enableDetectors("broken")
                    .build())
        .isInstanceOf(GuardConfigurationException.class)
        .hasMessageStartingWith(
            "Detector provider 'broken' (dev.llmguard.support.EchoDetectorProvider$Broken) failed to create its detector: java.lang.IllegalStateException: cannot load word list");
  }

  @Test
  void anUnknownIdFailsAndNamesWhatToAdd() throws IOException {
    ClassLoader cl = loaderWith(EchoDetectorProvider.class.getName());
    assertThatThrownBy(
            () ->
                GuardedChatClient.builder(ScriptedChatClient.answering("x"))
                    .ignoreExternalConfiguration()
                    .classLoader(cl)
                    .enableDetectors("ml-prompt-injection")
                    .build())
        .isInstanceOf(GuardConfigurationException.class)
        .hasMessageStartingWith(
            "Unknown detector 'ml-prompt-injection': add the artifact dev.llmguard:llm-guard-ml to the classpath. Detectors found: [");
    assertThatThrownBy(
            () ->
                GuardedChatClient.builder(ScriptedChatClient.answering("x"))
                    .properties(Map.of("llmguard.detectors", "nope"))
                    .classLoader(cl)
                    .build())
        .isInstanceOf(GuardConfigurationException.class)
        .hasMessageContaining(
            "Unknown detector 'nope': add the artifact that provides it (a jar registering a dev.llmguard.spi.DetectorProvider with id 'nope'");
  }

  @Test
  void selectionByIdAndSettingsComeFromProperties() throws IOException {
    ClassLoader cl =
        loaderWith(
            EchoDetectorProvider.class.getName(), EchoDetectorProvider.First.class.getName());
    CapturingEventSink sink = new CapturingEventSink();
    try (GuardedChatClient g =
        GuardedChatClient.builder(ScriptedChatClient.answering("x"))
            .properties(
                Map.of(
                    "llmguard.detectors",
                    "echo",
                    "llmguard.detector.echo.word",
                    "refund",
                    "llmguard.detector.echo.score",
                    "0.7"))
            .classLoader(cl)
            .sinks(sink)
            .build()) {
      assertThat(g.detectors()).extracting(Detector::id).containsExactly("echo");
      g.chat(ChatRequest.ofUser("I want a refund"));
    }
    assertThat(sink.single().genAi().analysis().findings().get(0).score()).isEqualTo(0.7);
  }

  @Test
  void anExplicitListReplacesDiscoveryAndKeepsItsOrder() throws IOException {
    ClassLoader cl = loaderWith(EchoDetectorProvider.class.getName());
    try (GuardedChatClient g =
        GuardedChatClient.builder(ScriptedChatClient.answering("x"))
            .ignoreExternalConfiguration()
            .classLoader(cl)
            .detectors(TestDetectors.email(), TestDetectors.injection())
            .sinks(new CapturingEventSink())
            .build()) {
      assertThat(g.detectors())
          .extracting(Detector::id)
          .containsExactly("test-email", "test-injection");
    }
  }

  @Test
  void detectorsCanBeAddedReplacedAndRemovedById() throws IOException {
    ClassLoader cl =
        loaderWith(
            EchoDetectorProvider.class.getName(), EchoDetectorProvider.First.class.getName());
    try (GuardedChatClient g =
        GuardedChatClient.builder(ScriptedChatClient.answering("x"))
            .ignoreExternalConfiguration()
            .classLoader(cl)
            .addDetector(
                TestDetectors.pattern(
                    "echo",
                    "x",
                    dev.llmguard.spi.Category.CUSTOM,
                    1,
                    null,
                    dev.llmguard.spi.Phase.PROMPT))
            .removeDetector("zz-first")
            .sinks(new CapturingEventSink())
            .build()) {
      assertThat(ids(g)).containsExactly("echo");
    }
  }
}
