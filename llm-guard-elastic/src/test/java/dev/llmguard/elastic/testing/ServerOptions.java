package dev.llmguard.elastic.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a test server is set up: a name (also the key under which the extension shares it), whether
 * security (TLS and users) is on, and an optional tiny write queue that makes the server answer
 * {@code 429} under load. Immutable.
 *
 * @param name instance name, e.g. {@code plain}
 * @param security TLS on HTTP and transport, file-realm users, roles from {@link #roles}
 * @param writeQueueSize {@code > 0}: one write thread with a queue of this size; {@code 0}: default
 * @param roles file-realm roles, role name to JSON role body
 * @param users file-realm users besides the admin
 */
public record ServerOptions(
    String name,
    boolean security,
    int writeQueueSize,
    Map<String, String> roles,
    List<User> users) {

  /** Plain HTTP, no security, default thread pools: the server most tests share. */
  public static final ServerOptions PLAIN =
      new ServerOptions("plain", false, 0, Map.of(), List.of());

  public ServerOptions {
    roles = Map.copyOf(new LinkedHashMap<>(roles));
    users = List.copyOf(users);
  }

  /** A user of the file realm. */
  public record User(String name, String password, List<String> roles) {}

  public ServerOptions withName(String newName) {
    return new ServerOptions(newName, security, writeQueueSize, roles, users);
  }

  public ServerOptions withWriteQueueSize(int size) {
    return new ServerOptions(name, security, size, roles, users);
  }

  public ServerOptions withSecurity(Map<String, String> newRoles, List<User> newUsers) {
    return new ServerOptions(name, true, writeQueueSize, newRoles, newUsers);
  }

  /** The server version under test: system property {@code elasticsearch.version}. */
  public static String version() {
    String v = System.getProperty("elasticsearch.version");
    if (v == null || v.isBlank()) {
      throw new IllegalStateException(
          "System property elasticsearch.version is not set; run the integration tests through"
              + " Maven (mvn -pl llm-guard-elastic -am verify), which sets it");
    }
    return v.trim();
  }

  /**
   * The JDK the server runs on: system property {@code elasticsearch.java.home}, else this JVM's.
   * Elasticsearch 9 needs Java 21 or newer.
   */
  public static Path javaHome() {
    String v = System.getProperty("elasticsearch.java.home");
    Path home = Path.of(v == null || v.isBlank() ? System.getProperty("java.home") : v.trim());
    if (!Files.isExecutable(home.resolve("bin/java"))) {
      throw new IllegalStateException(
          "No JDK for Elasticsearch "
              + version()
              + " at "
              + home
              + "; set -Delasticsearch.java.home (9.x needs Java 21+) or -Des9.skip=true");
    }
    return home;
  }
}
