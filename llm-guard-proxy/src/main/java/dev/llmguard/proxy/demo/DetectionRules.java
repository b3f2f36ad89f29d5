package dev.llmguard.proxy.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmguard.proxy.OpenAiWire;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The detection rules shipped by {@code llm-guard-elastic} under {@value #FOLDER}, read so the demo
 * can run each rule's query against the events' data stream. Understood: JSON rules whose {@code
 * query} is Query DSL (an object) or a KQL / Lucene string, and TOML rules in Elastic's
 * detection-rules layout ({@code name = "…"}, {@code language = "kuery"|"lucene"}, {@code query =
 * '''…'''}). KQL is run through {@code query_string}, which reads the simple {@code field: value
 * and …} form the rules use. Immutable.
 */
public final class DetectionRules {

  /** The classpath folder: {@value}. */
  public static final String FOLDER = "detection-rules";

  /**
   * One rule: its name, the Query DSL to run and, for a threshold rule, the field to group by and
   * the smallest group that fires ({@code null} and 0 for a plain query rule).
   */
  public record Rule(
      String file, String name, JsonNode query, String thresholdField, int threshold) {
    Rule(String file, String name, JsonNode query) {
      this(file, name, query, null, 0);
    }
  }

  private static final Pattern TOML_STRING =
      Pattern.compile(
          "(?m)^\\s*(name|language|query|type)\\s*=\\s*(?:'''([^']*)'''|\"\"\"([^\"]*)\"\"\"|\"([^\"\\n]*)\"|'([^'\\n]*)')");

  private final List<Rule> rules;
  private final List<String> skipped;

  private DetectionRules(List<Rule> rules, List<String> skipped) {
    this.rules = List.copyOf(rules);
    this.skipped = List.copyOf(skipped);
  }

  public List<Rule> rules() {
    return rules;
  }

  /** Rule files that could not be run here (EQL, ES|QL, unreadable), with the reason. */
  public List<String> skipped() {
    return skipped;
  }

  /** The rules on the classpath; none when the folder is absent. */
  public static DetectionRules loadShipped() {
    List<Rule> rules = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    URL url = DetectionRules.class.getClassLoader().getResource(FOLDER);
    if (url == null) {
      return new DetectionRules(rules, skipped);
    }
    try {
      URI uri = url.toURI();
      if ("jar".equals(uri.getScheme())) {
        FileSystem fs;
        try {
          fs = FileSystems.newFileSystem(uri, Map.of());
        } catch (FileSystemAlreadyExistsException e) {
          fs = FileSystems.getFileSystem(uri);
        }
        readFolder(fs.getPath(FOLDER), rules, skipped);
      } else {
        readFolder(Path.of(uri), rules, skipped);
      }
    } catch (IOException | URISyntaxException | RuntimeException e) {
      skipped.add(FOLDER + ": " + e);
    }
    rules.sort((a, b) -> a.name().compareTo(b.name()));
    return new DetectionRules(rules, skipped);
  }

  private static void readFolder(Path dir, List<Rule> rules, List<String> skipped)
      throws IOException {
    try (Stream<Path> files = Files.walk(dir, 3)) {
      for (Path p : (Iterable<Path>) files.sorted()::iterator) {
        String f = p.getFileName() == null ? "" : p.getFileName().toString();
        if (!Files.isRegularFile(p)) {
          continue;
        }
        try {
          String text = new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
          if (f.endsWith(".json")) {
            parseJson(f, text, rules, skipped);
          } else if (f.endsWith(".toml")) {
            parseToml(f, text, rules, skipped);
          }
        } catch (IOException | RuntimeException e) {
          skipped.add(f + ": " + e.getMessage());
        }
      }
    }
  }

  static void parseJson(String file, String text, List<Rule> rules, List<String> skipped)
      throws IOException {
    JsonNode root = OpenAiWire.MAPPER.readTree(text);
    JsonNode r = root.has("rule") ? root.get("rule") : root;
    String name = r.path("name").asText(file);
    JsonNode q = r.get("query");
    String language = r.path("language").asText("kuery");
    String type = r.path("type").asText("query");
    if (!type.equals("query") && !type.equals("threshold")) {
      skipped.add(file + ": " + type + " rules cannot run on the demo's Elasticsearch");
      return;
    }
    int before = rules.size();
    if (q != null && q.isObject()) {
      rules.add(new Rule(file, name, q.has("query") ? q.get("query") : q));
    } else if (q != null && q.isTextual()) {
      add(file, name, language, q.asText(), rules, skipped);
    } else {
      skipped.add(file + ": no query");
    }
    JsonNode t = r.path("threshold");
    if (type.equals("threshold") && rules.size() > before) {
      JsonNode field = t.path("field");
      String f = field.isArray() ? field.path(0).asText(null) : field.asText(null);
      Rule plain = rules.remove(rules.size() - 1);
      rules.add(new Rule(file, name, plain.query(), f, Math.max(1, t.path("value").asInt(1))));
    }
  }

  static void parseToml(String file, String text, List<Rule> rules, List<String> skipped) {
    Map<String, String> kv = new LinkedHashMap<>();
    Matcher m = TOML_STRING.matcher(text);
    while (m.find()) {
      String v =
          m.group(2) != null
              ? m.group(2)
              : m.group(3) != null ? m.group(3) : m.group(4) != null ? m.group(4) : m.group(5);
      kv.putIfAbsent(m.group(1), v);
    }
    if (kv.get("query") == null) {
      skipped.add(file + ": no query");
      return;
    }
    add(
        file,
        kv.getOrDefault("name", file),
        kv.getOrDefault("language", "kuery"),
        kv.get("query"),
        rules,
        skipped);
  }

  private static void add(
      String file,
      String name,
      String language,
      String query,
      List<Rule> rules,
      List<String> skipped) {
    if (!language.equals("kuery") && !language.equals("lucene")) {
      skipped.add(file + ": " + language + " queries cannot run on the demo's Elasticsearch");
      return;
    }
    ObjectNode qs = OpenAiWire.MAPPER.createObjectNode();
    String lucene = language.equals("kuery") ? kqlToLucene(query) : query.trim();
    qs.putObject("query_string").put("query", lucene).put("analyze_wildcard", true);
    rules.add(new Rule(file, name, qs));
  }

  /** The boolean words of simple KQL in Lucene's upper case; everything else is kept. */
  static String kqlToLucene(String kql) {
    return kql.trim()
        .replaceAll("(?i)\\s+and\\s+", " AND ")
        .replaceAll("(?i)\\s+or\\s+", " OR ")
        .replaceAll("(?i)(^|\\s|\\()not\\s+", "$1NOT ");
  }

  /**
   * Runs every rule, restricted to documents whose request id starts with {@code prefix}.
   *
   * @return rule name → names of the matching demo requests (from {@code nameByRequestId})
   */
  public Map<String, List<String>> run(
      ElasticQueries es, String prefix, Map<String, String> nameByRequestId)
      throws IOException, InterruptedException {
    Map<String, List<String>> out = new TreeMap<>();
    for (Rule r : rules) {
      List<String> names = new ArrayList<>();
      if (r.thresholdField() == null) {
        for (String id : es.requestIdsMatching(r.query(), prefix)) {
          names.add(nameByRequestId.getOrDefault(id, id));
        }
      } else {
        Map<String, List<String>> groups =
            es.requestIdsByField(r.query(), prefix, r.thresholdField());
        for (List<String> ids : groups.values()) {
          if (ids.size() >= r.threshold()) {
            ids.forEach(id -> names.add(nameByRequestId.getOrDefault(id, id)));
          }
        }
      }
      names.sort(null);
      out.put(r.name(), names);
    }
    return out;
  }

  /** Reads a rule file from a stream (tests). */
  static DetectionRules of(String file, InputStream in) throws IOException {
    List<Rule> rules = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    if (file.endsWith(".toml")) {
      parseToml(file, text, rules, skipped);
    } else {
      parseJson(file, text, rules, skipped);
    }
    return new DetectionRules(rules, skipped);
  }
}
