package dev.llmguard.elastic.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** The kinds of test server the integration tests use. */
public enum Profile {
  /**
   * Plain HTTP, security off, one write thread with a write queue of {@value #WRITE_QUEUE}: a sink
   * with more concurrent bulk requests than that meets {@code 429} answers.
   */
  PLAIN,
  /**
   * TLS on HTTP and transport, security on, with the users of {@link SecuredUsers}: the
   * least-privilege writer (role from {@code elastic/llm-guard-writer-role.json}) and a setup user
   * (writer plus template install); and a monitor-only user. (The test distribution has no native
   * realm: its security index needs a module it lacks.)
   */
  SECURED;

  /** Write queue of the plain server. */
  public static final int WRITE_QUEUE = 4;

  ServerOptions options() {
    return switch (this) {
      case PLAIN -> ServerOptions.PLAIN.withWriteQueueSize(WRITE_QUEUE);
      case SECURED ->
          ServerOptions.PLAIN
              .withName("secured")
              .withSecurity(
                  Map.of(
                      SecuredUsers.WRITER_ROLE,
                      classpathText("elastic/llm-guard-writer-role.json"),
                      SecuredUsers.SETUP_ROLE,
                      classpathText("elastic/llm-guard-setup-role.json"),
                      "llm_guard_test_nothing",
                      "{\"cluster\": [\"monitor\"]}"),
                  List.of(
                      new ServerOptions.User(
                          SecuredUsers.WRITER,
                          SecuredUsers.WRITER_PASSWORD,
                          List.of(SecuredUsers.WRITER_ROLE)),
                      new ServerOptions.User(
                          SecuredUsers.SETUP,
                          SecuredUsers.SETUP_PASSWORD,
                          List.of(SecuredUsers.WRITER_ROLE, SecuredUsers.SETUP_ROLE)),
                      new ServerOptions.User(
                          SecuredUsers.MONITOR,
                          SecuredUsers.MONITOR_PASSWORD,
                          List.of(SecuredUsers.MONITOR_ROLE))));
    };
  }

  private static String classpathText(String resource) {
    try (InputStream in = Profile.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      // One line, so that it sits after "name: " in roles.yml.
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("\\s*\\n\\s*", " ");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
