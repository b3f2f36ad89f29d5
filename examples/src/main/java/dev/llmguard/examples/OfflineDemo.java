package dev.llmguard.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmguard.ChatRequest;
import dev.llmguard.ChatResponse;
import dev.llmguard.GuardedChatClient;
import dev.llmguard.GuardrailViolationException;
import dev.llmguard.Policy;
import dev.llmguard.event.EventDispatcher;
import dev.llmguard.event.GuardEvent;
import dev.llmguard.sink.JsonLinesFileSink;
import dev.llmguard.spi.EventSink;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Runs a scripted mix of benign and malicious conversations through {@link GuardedChatClient} with
 * an in-process stand-in for the model, prints a verdict table and writes the events as JSON lines.
 * Needs no network.
 *
 * <pre>
 * java -jar examples/target/llm-guard-demo.jar [--mode monitor|redact|block] [--events FILE]
 * </pre>
 */
public final class OfflineDemo {

  /** One scripted exchange. */
  public record Conversation(String label, String user, String prompt, String answer) {}

  /** What happened to one exchange. */
  public record Row(Conversation conversation, String outcome, GuardEvent event) {}

  public static void main(String[] args) {
    Policy.Mode mode = Policy.Mode.MONITOR;
    Path events = Path.of("target", "llm-guard-demo-events.jsonl");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--mode" -> mode = parseMode(args, ++i);
        case "--events" -> events = Path.of(value(args, ++i, "--events"));
        case "--help", "-h" -> {
          System.out.println("usage: llm-guard-demo [--mode monitor|redact|block] [--events FILE]");
          return;
        }
        default -> {
          System.err.println("Unknown option '" + args[i] + "'. Try --help.");
          System.exit(2);
        }
      }
    }
    run(mode, events, System.out);
  }

  private static Policy.Mode parseMode(String[] args, int i) {
    String v = value(args, i, "--mode");
    try {
      return Policy.Mode.valueOf(v.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      System.err.println("--mode must be monitor, redact or block, not '" + v + "'");
      System.exit(2);
      return null;
    }
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      System.err.println(option + " needs a value");
      System.exit(2);
    }
    return args[i];
  }

  /** Runs the demo and prints the table; returns the rows (used by the tests). */
  public static List<Row> run(Policy.Mode mode, Path eventsFile, PrintStream out) {
    List<Conversation> script = loadScript();
    Map<String, String> answers = new LinkedHashMap<>();
    script.forEach(c -> answers.put(c.prompt(), c.answer()));
    ScriptedLlm llm = new ScriptedLlm(answers);

    List<GuardEvent> seen = new CopyOnWriteArrayList<>();
    EventSink recorder =
        new EventSink() {
          @Override
          public String id() {
            return "demo-table";
          }

          @Override
          public void publish(List<GuardEvent> batch) {
            seen.addAll(batch);
          }
        };
    EventDispatcher dispatcher =
        EventDispatcher.builder().sink(new JsonLinesFileSink(eventsFile)).sink(recorder).build();
    List<Row> rows = new ArrayList<>();
    try (GuardedChatClient guard =
        GuardedChatClient.builder(llm)
            .policy(Policy.custom().mode(mode).build())
            .serviceName("llm-guard-demo")
            .eventDispatcher(dispatcher)
            .build()) {
      out.printf(
          "llm-guard offline demo — policy %s, %d detectors: %s%n%n",
          mode.name().toLowerCase(Locale.ROOT),
          guard.detectors().size(),
          guard.detectors().stream().map(d -> d.id()).toList());
      for (Conversation c : script) {
        String outcome;
        try {
          ChatResponse r =
              guard.chat(
                  ChatRequest.builder()
                      .system("You are the support assistant of ACME Stores.")
                      .user(c.prompt())
                      .userId(c.user())
                      .build());
          outcome = "answered: " + r.text();
        } catch (GuardrailViolationException e) {
          outcome = "BLOCKED (" + e.verdict().phase().id() + ")";
        }
        guard.flush();
        rows.add(new Row(c, outcome, seen.get(seen.size() - 1)));
      }
    }
    dispatcher.close();
    printTable(rows, out);
    EventDispatcher.Stats s = dispatcher.stats();
    out.printf(
        "%nEvents: %d emitted, %d delivered, %d dropped, %d failed — written to %s%n",
        s.emitted(), s.delivered(), s.dropped(), s.failed(), eventsFile.toAbsolutePath());
    return rows;
  }

  static void printTable(List<Row> rows, PrintStream out) {
    String fmt = "%-2s  %-16s  %-40s  %-7s  %-6s  %-44s%n";
    out.printf(fmt, "#", "scenario", "prompt", "action", "risk", "detections (score)");
    out.println("-".repeat(124));
    Map<String, Integer> byCategory = new TreeMap<>();
    int i = 1;
    for (Row r : rows) {
      GuardEvent.GenAi g = r.event().genAi();
      List<String> hits = new ArrayList<>();
      for (GuardEvent.FindingFields f : g.analysis().findings()) {
        if (f.triggered()) {
          hits.add(String.format(Locale.ROOT, "%s %.2f", f.detector(), f.score()));
          byCategory.merge(f.category(), 1, Integer::sum);
        }
      }
      String action =
          r.event().event().type().contains("denied")
              ? "BLOCK"
              : g.policy().action().isEmpty() ? "ALLOW" : String.join("+", g.policy().action());
      out.printf(
          fmt,
          i++,
          r.conversation().label(),
          clip(r.conversation().prompt(), 40),
          action,
          String.format(Locale.ROOT, "%.0f", r.event().event().riskScore()),
          clip(hits.isEmpty() ? "-" : String.join(", ", hits), 44));
    }
    out.println();
    out.println("Detections by category: " + (byCategory.isEmpty() ? "none" : byCategory));
  }

  private static String clip(String s, int n) {
    String one = s.replaceAll("[\\p{Cntrl}\\p{Cf}]", "·");
    return one.length() <= n ? one : one.substring(0, n - 1) + "…";
  }

  static List<Conversation> loadScript() {
    ObjectMapper mapper = new ObjectMapper();
    List<Conversation> out = new ArrayList<>();
    try (InputStream in = OfflineDemo.class.getResourceAsStream("/demo/conversations.jsonl");
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode n = mapper.readTree(line);
        out.add(
            new Conversation(
                n.get("label").asText(),
                n.get("user").asText(),
                n.get("prompt").asText(),
                n.get("answer").asText()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the demo script", e);
    }
    return out;
  }
}
